// OperatorService: the gRPC face of the hand-off desk (reconnect.v1.Operator),
// for consoles and tools used by people at the clinic.
//
// Every call must carry `authorization: Bearer <token>` matching the
// configured operator token (compared in constant time). Without a
// configured token the service refuses everything with PERMISSION_DENIED, so
// an unprotected operator API can never be served by accident.
#ifndef RECONNECT_SERVICE_OPERATOR_SERVICE_H_
#define RECONNECT_SERVICE_OPERATOR_SERVICE_H_

#include <string>

#include "bot/handoff.h"
#include "reconnect/v1/operator.grpc.pb.h"

namespace reconnect::service {

class OperatorService final : public reconnect::v1::Operator::Service {
 public:
  // `desk` must outlive the service.
  OperatorService(bot::HandoffDesk* desk, std::string token)
      : desk_(desk), token_(std::move(token)) {}

  grpc::Status WatchEscalations(
      grpc::ServerContext* context,
      const reconnect::v1::WatchEscalationsRequest* request,
      grpc::ServerWriter<reconnect::v1::EscalationEvent>* writer) override;
  grpc::Status ListEscalations(
      grpc::ServerContext* context,
      const reconnect::v1::ListEscalationsRequest* request,
      reconnect::v1::ListEscalationsReply* reply) override;
  grpc::Status GetEscalation(grpc::ServerContext* context,
                             const reconnect::v1::EscalationRef* request,
                             reconnect::v1::EscalationDetail* reply) override;
  grpc::Status Acknowledge(grpc::ServerContext* context,
                           const reconnect::v1::EscalationRef* request,
                           reconnect::v1::EscalationRecord* reply) override;
  grpc::Status SendMessage(grpc::ServerContext* context,
                           const reconnect::v1::SendMessageRequest* request,
                           reconnect::v1::SendMessageReply* reply) override;
  grpc::Status Release(grpc::ServerContext* context,
                       const reconnect::v1::EscalationRef* request,
                       reconnect::v1::EscalationRecord* reply) override;
  grpc::Status Resolve(grpc::ServerContext* context,
                       const reconnect::v1::EscalationRef* request,
                       reconnect::v1::EscalationRecord* reply) override;

 private:
  grpc::Status Authorize(grpc::ServerContext* context) const;

  bot::HandoffDesk* desk_;
  std::string token_;
};

// Converts store values to the API's messages.
void ToProto(const bot::Escalation& e, reconnect::v1::EscalationRecord* out);
void ToProto(const bot::HandoffMessage& m, reconnect::v1::HandoffMessage* out);

// Maps an absl::Status to the gRPC status with the same code and message.
grpc::Status ToGrpc(const absl::Status& status);

}  // namespace reconnect::service

#endif  // RECONNECT_SERVICE_OPERATOR_SERVICE_H_
