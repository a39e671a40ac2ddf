#include "service/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"

namespace reconnect::service {

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    bot::Guide* guide, const ServerOptions& options) {
  std::unique_ptr<Server> server(new Server);
  server->service_ = std::make_unique<GuideService>(guide);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.address, grpc::InsecureServerCredentials(),
                           &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_receive_bytes);
  builder.RegisterService(server->service_.get());
  if (guide->handoff() != nullptr) {
    server->operator_service_ = std::make_unique<OperatorService>(
        guide->handoff(), options.operator_token);
    builder.RegisterService(server->operator_service_.get());
  }
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.address));
  }
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  return server;
}

void Server::Shutdown() {
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
}

}  // namespace reconnect::service
