#include "tests/support/generic_call.h"

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>

#include "absl/strings/str_cat.h"
#include "tests/support/stack.h"

namespace tiendo::testing {

grpc::Status CallMethod(const std::shared_ptr<grpc::Channel>& channel,
                        const std::string& method, const std::string& request,
                        absl::Duration deadline, bool first_message_suffices) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  SetDeadline(context, deadline);
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, method, &queue);
  void* tag = nullptr;
  bool ok = false;
  // One operation at a time: each waits for its own completion.
  auto wait = [&] { return queue.Next(&tag, &ok) && ok; };
  call->StartCall(call.get());
  if (wait()) {
    grpc::Slice bytes(request);
    call->Write(grpc::ByteBuffer(&bytes, 1), call.get());
    if (wait()) {
      call->WritesDone(call.get());
      wait();
    }
  }
  grpc::ByteBuffer reply;
  bool answered = false;
  while (true) {
    call->Read(&reply, call.get());
    if (!wait()) break;
    if (first_message_suffices) {
      answered = true;
      context.TryCancel();
    }
  }
  grpc::Status status;
  call->Finish(&status, call.get());
  wait();
  return answered ? grpc::Status::OK : status;
}

std::vector<std::string> Methods(const std::string& service) {
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          service);
  std::vector<std::string> methods;
  if (descriptor == nullptr) return methods;
  for (int i = 0; i < descriptor->method_count(); ++i) {
    methods.push_back(
        absl::StrCat("/", service, "/", descriptor->method(i)->name()));
  }
  return methods;
}

}  // namespace tiendo::testing
