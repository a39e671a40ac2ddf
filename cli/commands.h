// The `reconnect` binary's subcommands. Each Add*Command() registers one
// subcommand, its flags and its --help on `app`; when it runs it stores the
// process exit code in *exit_code.
#ifndef RECONNECT_CLI_COMMANDS_H_
#define RECONNECT_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include <string>

#include "bot/guide.h"

namespace reconnect::cli {

// Flags every subcommand that loads content shares.
struct ContentFlags {
  std::string intents_dir;  // resolved by DefaultIntentsDir() when empty
  std::string clinic_file;
  size_t max_message_bytes = bot::GuideOptions().max_message_bytes;
};

// Adds --intents, --clinic and --max-message-bytes to `command`.
void AddContentFlags(CLI::App* command, ContentFlags* flags);

// Returns the intents folder to use when none is given: $RECONNECT_INTENTS_DIR,
// else ./intents when it exists, else the source tree's intents/ folder.
std::string DefaultIntentsDir();

// Loads the guide, printing every content problem to stderr on failure.
std::unique_ptr<bot::Guide> LoadGuide(const ContentFlags& flags);

void AddServeCommand(CLI::App* app, int* exit_code);
void AddChatCommand(CLI::App* app, int* exit_code);
void AddClassifyCommand(CLI::App* app, int* exit_code);
void AddLintCommand(CLI::App* app, int* exit_code);

}  // namespace reconnect::cli

#endif  // RECONNECT_CLI_COMMANDS_H_
