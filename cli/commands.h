// The `reconnect` binary's subcommands. Each Add*Command() registers one
// subcommand, its flags and its --help on `app`; when it runs it stores the
// process exit code in *exit_code.
#ifndef RECONNECT_CLI_COMMANDS_H_
#define RECONNECT_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "bot/guide.h"
#include "service/embedded.h"

namespace grpc {
class Channel;
}
namespace reconnect::adapters {
class Gateway;
}

namespace reconnect::cli {

// Flags every subcommand that loads content shares.
struct ContentFlags {
  std::string intents_dir;  // resolved by DefaultIntentsDir() when empty
  std::string clinic_file;
  size_t max_message_bytes = bot::GuideOptions().max_message_bytes;
  // For commands that run the whole guide (serve, chat):
  std::string data_dir = "var";
  int handoff_idle_minutes = 30;
  int remind_after_minutes = 10;
  int webhook_give_up_minutes = 24 * 60;
  double webhook_retry_seconds = 2;
  int retention_days = 90;
};

// Adds --intents, --clinic and --max-message-bytes to `command`.
void AddContentFlags(CLI::App* command, ContentFlags* flags);

// Adds --data-dir and the hand-off and retention flags to `command`.
void AddRuntimeFlags(CLI::App* command, ContentFlags* flags);

// Starts the embedded guide (store, hand-off worker, webhook) with the
// environment's settings; prints the problem and returns null on failure.
std::unique_ptr<service::Embedded> StartEmbedded(const ContentFlags& flags);

// Returns the intents folder to use when none is given: $RECONNECT_INTENTS_DIR,
// else ./intents when it exists, else the source tree's intents/ folder.
std::string DefaultIntentsDir();

// Returns the folder of web pages to serve when none is given:
// $RECONNECT_WEB_DIR, else ./web when it exists, else the source tree's web/.
std::string DefaultWebDir();

// Loads the guide, printing every content problem to stderr on failure.
std::unique_ptr<bot::Guide> LoadGuide(const ContentFlags& flags);

// Flags of the HTTP gateway, shared by `serve` and `gateway`.
struct GatewayFlags {
  std::string http_address = "127.0.0.1:8080";
  std::string secrets_file;  // else $RECONNECT_SECRETS_FILE, else none
  std::vector<std::string> web_origins;
  std::string web_dir;  // resolved by DefaultWebDir() when empty
};
void AddGatewayFlags(CLI::App* command, GatewayFlags* flags);

// Starts the gateway in front of `core`, keeping its delivery cursor in
// `data_dir`; prints the problem and returns null on failure.
std::unique_ptr<adapters::Gateway> StartGateway(
    std::shared_ptr<grpc::Channel> core, const GatewayFlags& flags,
    const std::string& data_dir);

void AddServeCommand(CLI::App* app, int* exit_code);
void AddGatewayCommand(CLI::App* app, int* exit_code);
void AddChatCommand(CLI::App* app, int* exit_code);
void AddClassifyCommand(CLI::App* app, int* exit_code);
void AddLintCommand(CLI::App* app, int* exit_code);
void AddEscalationsCommand(CLI::App* app, int* exit_code);

}  // namespace reconnect::cli

#endif  // RECONNECT_CLI_COMMANDS_H_
