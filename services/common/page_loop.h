#ifndef TIENDO_SERVICES_COMMON_PAGE_LOOP_H_
#define TIENDO_SERVICES_COMMON_PAGE_LOOP_H_

// The client side of paging: calls a List RPC page after page until the
// last one, for callers that need every row.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <utility>

namespace tiendo {

// Calls `call(context, request, response)` with `request` and then with each
// answer's next_page_token, handing every response to `take`; stops at the
// last page or the first error. `prepare` sets up each call's context
// (deadline, metadata): a context serves one call only.
template <typename Request, typename Response, typename Call, typename Take>
grpc::Status ForEachPage(
    Request request, Call call, Take take,
    const std::function<void(grpc::ClientContext&)>& prepare = {}) {
  for (;;) {
    grpc::ClientContext context;
    if (prepare) prepare(context);
    Response response;
    grpc::Status status = call(&context, request, &response);
    if (!status.ok()) return status;
    take(response);
    if (response.next_page_token().empty()) return grpc::Status::OK;
    request.set_page_token(response.next_page_token());
  }
}

// Every page of a List RPC merged into `response` (each repeated field's
// rows one page after another), without a next_page_token.
template <typename Request, typename Response, typename Call>
grpc::Status MergeAllPages(
    Request request, Response* response, Call call,
    const std::function<void(grpc::ClientContext&)>& prepare = {}) {
  grpc::Status status = ForEachPage<Request, Response>(
      std::move(request), call,
      [response](const Response& page) { response->MergeFrom(page); }, prepare);
  response->clear_next_page_token();
  return status;
}

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_PAGE_LOOP_H_
