// Server: starts the gRPC server around a guide.
//
// The server carries the Guide service, the Operator service (when the
// guide records escalations), the standard gRPC health service
// (grpc.health.v1.Health, reporting SERVING) and server reflection, so stock
// tools such as grpcurl and grpc_cli can list and call it.
#ifndef RECONNECT_SERVICE_SERVER_H_
#define RECONNECT_SERVICE_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "bot/guide.h"
#include "service/guide_service.h"
#include "service/operator_service.h"

namespace reconnect::service {

struct ServerOptions {
  // host:port to listen on; port 0 picks a free port (see Server::port()).
  std::string address = "127.0.0.1:50051";
  // Largest request accepted, in bytes. Bigger than the guide's message limit
  // on purpose: oversized text must reach the crisis screen, not be cut off
  // by the transport.
  int max_receive_bytes = 4 << 20;
  // Token that operator calls must carry; empty turns the operator API off.
  std::string operator_token;
};

class Server {
 public:
  // Starts serving `guide` (which must outlive the server). Fails with
  // Unavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      bot::Guide* guide, const ServerOptions& options);

  // The port actually bound.
  int port() const { return port_; }
  // A channel to this server inside the process, without a socket: how the
  // gateway that `reconnect serve` starts reaches the guide.
  std::shared_ptr<grpc::Channel> InProcessChannel() {
    return server_->InProcessChannel(grpc::ChannelArguments());
  }
  // Blocks until Shutdown() is called from another thread.
  void Wait() { server_->Wait(); }
  // Stops accepting calls and cancels streams still open after a second.
  void Shutdown();

 private:
  Server() = default;
  std::unique_ptr<GuideService> service_;
  std::unique_ptr<OperatorService> operator_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace reconnect::service

#endif  // RECONNECT_SERVICE_SERVER_H_
