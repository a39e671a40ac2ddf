// `reconnect serve`: the guide as a gRPC server.
#include <signal.h>

#include <iostream>
#include <thread>

#include "adapters/gateway.h"
#include "cli/commands.h"
#include "service/embedded.h"
#include "service/server.h"

namespace reconnect::cli {
namespace {

int RunServe(const ContentFlags& flags, const GatewayFlags& gateway_flags,
             const std::string& address) {
  // Block the stop signals in every thread so one waiter can take them and
  // shut the server down cleanly.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  auto embedded = StartEmbedded(flags);
  if (embedded == nullptr) return 2;
  service::ServerOptions options;
  options.address = address;
  options.operator_token = (*embedded).options().operator_token;
  auto server = service::Server::Start(embedded->guide(), options);
  if (!server.ok()) {
    std::cerr << "reconnect: " << server.status().message() << "\n";
    return 1;
  }
  std::unique_ptr<adapters::Gateway> gateway;
  if (!gateway_flags.http_address.empty()) {
    gateway = StartGateway((*server)->InProcessChannel(), gateway_flags,
                           embedded->options().data_dir);
    if (gateway == nullptr) {
      (*server)->Shutdown();
      return 1;
    }
  }
  const auto& o = embedded->options();
  std::cerr << "reconnect: the guide is listening for gRPC on " << address
            << " (reconnect.v1.Guide, reconnect.v1.Operator, health, "
               "reflection)\n"
            << "reconnect: escalations are recorded in " << o.data_dir
            << "/escalations.db; webhook "
            << (o.webhook.url.empty() ? "off" : "on") << ", operator API "
            << (o.operator_token.empty() ? "off (set RECONNECT_OPERATOR_TOKEN)"
                                         : "on")
            << "\n"
            << "reconnect: talk to it with: reconnect chat --server " << address
            << "   (Ctrl-C stops)\n";
  std::thread waiter([&stop, &server, &gateway] {
    int sig = 0;
    sigwait(&stop, &sig);
    std::cerr << "reconnect: stopping\n";
    // The gateway first: it finishes its calls to the guide.
    if (gateway != nullptr) gateway->Shutdown();
    (*server)->Shutdown();
  });
  (*server)->Wait();
  waiter.join();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App* app, int* exit_code) {
  auto* command =
      app->add_subcommand("serve",
                          "Run the guide: gRPC API and HTTP gateway "
                          "(--http-address \"\" turns the gateway off).");
  auto flags = std::make_shared<ContentFlags>();
  auto address = std::make_shared<std::string>("127.0.0.1:50051");
  auto gateway_flags = std::make_shared<GatewayFlags>();
  AddContentFlags(command, flags.get());
  AddRuntimeFlags(command, flags.get());
  AddGatewayFlags(command, gateway_flags.get());
  command->add_option("--grpc-address", *address, "host:port to listen on")
      ->capture_default_str();
  command->callback([flags, gateway_flags, address, exit_code] {
    *exit_code = RunServe(*flags, *gateway_flags, *address);
  });
}

}  // namespace reconnect::cli
