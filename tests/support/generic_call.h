#ifndef TIENDO_TESTS_SUPPORT_GENERIC_CALL_H_
#define TIENDO_TESTS_SUPPORT_GENERIC_CALL_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace tiendo::testing {

// Calls `method` ("/tiendo.v1.PlanService/ImportPlan") with the serialized
// `request`, whatever its kind (unary or streaming), reads every answer and
// returns the call's status. With `first_message_suffices` (a watch stream
// that never ends by itself), the first message read ends the call as OK.
grpc::Status CallMethod(const std::shared_ptr<grpc::Channel>& channel,
                        const std::string& method, const std::string& request,
                        absl::Duration deadline = absl::Seconds(10),
                        bool first_message_suffices = false);

// Every method of a service ("tiendo.v1.PlanService"), as
// "/package.Service/Method".
std::vector<std::string> Methods(const std::string& service);

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_SUPPORT_GENERIC_CALL_H_
