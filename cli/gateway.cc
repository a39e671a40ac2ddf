// `reconnect gateway`: the HTTP gateway alone, in front of a core that runs
// elsewhere (`reconnect serve` on another host or port). Also the gateway
// flags that `reconnect serve` shares.
#include <signal.h>

#include <filesystem>
#include <iostream>

#include "absl/strings/str_join.h"
#include "adapters/gateway.h"
#include "cli/commands.h"

namespace reconnect::cli {

void AddGatewayFlags(CLI::App* command, GatewayFlags* flags) {
  command
      ->add_option("--http-address", flags->http_address,
                   "host:port for the HTTP gateway (web chat API, platform "
                   "webhooks, /healthz, /metrics)")
      ->capture_default_str();
  command->add_option("--secrets", flags->secrets_file,
                      "File of NAME=value lines (mode 0600) with platform "
                      "secrets; the environment wins over it");
  command->add_option("--web-dir", flags->web_dir,
                      "Folder of the widget, demo page and operator console "
                      "(default: $RECONNECT_WEB_DIR, else ./web)");
  command->add_option("--web-origin", flags->web_origins,
                      "Origin allowed to use the web chat API from a browser, "
                      "such as https://clinic.example (repeatable; also "
                      "RECONNECT_WEB_ORIGINS)");
}

std::unique_ptr<adapters::Gateway> StartGateway(
    std::shared_ptr<grpc::Channel> core, const GatewayFlags& flags,
    const std::string& data_dir) {
  std::string secrets_file = flags.secrets_file;
  if (const char* env = std::getenv("RECONNECT_SECRETS_FILE");
      secrets_file.empty() && env != nullptr) {
    secrets_file = env;
  }
  adapters::Settings settings;
  if (!secrets_file.empty()) {
    auto from_file = adapters::Settings::WithFile(secrets_file);
    if (!from_file.ok()) {
      std::cerr << "reconnect: " << from_file.status().message() << "\n";
      return nullptr;
    }
    settings = *std::move(from_file);
  }
  adapters::GatewayOptions options;
  options.http.address = flags.http_address;
  options.web.allowed_origins = flags.web_origins;
  options.web_dir = flags.web_dir.empty() ? DefaultWebDir() : flags.web_dir;
  if (!std::filesystem::is_directory(options.web_dir)) {
    std::cerr << "reconnect: no web folder at " << options.web_dir
              << "; serving the APIs without the widget and pages\n";
    options.web_dir.clear();
  }
  adapters::ReadWebOrigins(settings, &options);
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  options.cursor_file = data_dir + "/gateway-cursor";
  auto gateway = adapters::Gateway::Start(std::move(core), settings, options);
  if (!gateway.ok()) {
    std::cerr << "reconnect: " << gateway.status().message() << "\n";
    return nullptr;
  }
  const auto channels = (*gateway)->configured_channels();
  const std::string host =
      flags.http_address.substr(0, flags.http_address.rfind(':'));
  std::cerr << "reconnect: HTTP gateway on http://" << host << ":"
            << (*gateway)->port()
            << " (web chat at /v1/web/conversations; platforms: "
            << (channels.empty() ? "none configured"
                                 : absl::StrJoin(channels, ", "))
            << ")\n";
  return std::move(gateway).value();
}

namespace {

int RunGateway(const GatewayFlags& flags, const std::string& upstream,
               const std::string& data_dir) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  auto core = grpc::CreateChannel(upstream, grpc::InsecureChannelCredentials());
  auto gateway = StartGateway(core, flags, data_dir);
  if (gateway == nullptr) return 1;
  std::cerr << "reconnect: forwarding to the guide at " << upstream
            << "   (Ctrl-C stops)\n";
  int sig = 0;
  sigwait(&stop, &sig);
  std::cerr << "reconnect: stopping\n";
  gateway->Shutdown();
  return 0;
}

}  // namespace

void AddGatewayCommand(CLI::App* app, int* exit_code) {
  auto* command = app->add_subcommand(
      "gateway", "Run the HTTP gateway alone, in front of a remote guide.");
  auto flags = std::make_shared<GatewayFlags>();
  auto upstream = std::make_shared<std::string>();
  auto data_dir = std::make_shared<std::string>("var");
  AddGatewayFlags(command, flags.get());
  command
      ->add_option("--upstream", *upstream, "host:port of the guide's gRPC API")
      ->required();
  command
      ->add_option("--data-dir", *data_dir,
                   "Folder for the gateway's delivery cursor")
      ->capture_default_str();
  command->callback([flags, upstream, data_dir, exit_code] {
    *exit_code = RunGateway(*flags, *upstream, *data_dir);
  });
}

}  // namespace reconnect::cli
