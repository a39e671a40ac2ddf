// OperatorApi: the operator console's JSON view of the Operator gRPC
// service (proto/reconnect/v1/operator.proto), for clinic staff in a
// browser.
//
//   GET  /v1/operator/escalations?state=open&state=acknowledged&limit=100
//   GET  /v1/operator/escalations/{id}
//   POST /v1/operator/escalations/{id}/acknowledge   {"person": "Sam"}
//   POST /v1/operator/escalations/{id}/messages      {"person", "text"}
//   POST /v1/operator/escalations/{id}/release       {"person": "Sam"}
//   POST /v1/operator/escalations/{id}/resolve       {"person": "Sam"}
//   GET  /v1/operator/changes?after=CHANGE_SEQ&wait=25
//        a long-poll: escalations changed after CHANGE_SEQ, or none once
//        `wait` seconds (at most 30) have passed
//
// Bodies are the protobuf JSON mapping with the proto's field names. Every
// call must carry "Authorization: Bearer <operator token>", which is passed
// to the core; it decides. A request without it is refused here (401)
// without reaching the core, and so is a call from another site's page
// (the console is served from the gateway itself). gRPC errors become HTTP
// statuses: unauthenticated 401, not found 404, no longer with a person 409,
// core unreachable 503.
#ifndef RECONNECT_ADAPTERS_OPERATOR_API_H_
#define RECONNECT_ADAPTERS_OPERATOR_API_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <set>

#include "absl/synchronization/mutex.h"
#include "adapters/http_server.h"
#include "adapters/metrics.h"
#include "reconnect/v1/operator.grpc.pb.h"

namespace reconnect::adapters {

class OperatorApi {
 public:
  // `metrics` must outlive the object. At most `max_waiting` long-polls wait
  // at once (each holds a thread); more are answered 429.
  OperatorApi(std::shared_ptr<grpc::Channel> core, Metrics* metrics,
              int max_waiting = 32);
  ~OperatorApi();  // Shutdown()

  // Handles a request whose path starts with /v1/operator/.
  void Handle(const Request& request, std::shared_ptr<Responder> responder);

  // Ends waiting long-polls and waits for their threads.
  void Shutdown();

 private:
  Response Call(const Request& request, const std::string& id,
                const std::string& action);
  void Changes(const Request& request, const std::string& token,
               std::shared_ptr<Responder> responder);

  std::unique_ptr<reconnect::v1::Operator::Stub> stub_;
  Metrics* metrics_;
  const int max_waiting_;
  absl::Mutex mu_;
  std::set<grpc::ClientContext*> waiting_ ABSL_GUARDED_BY(mu_);
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_OPERATOR_API_H_
