// reconnect: the trauma-informed conversational guide, as one binary.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"

namespace reconnect::cli {

void AddContentFlags(CLI::App* command, ContentFlags* flags) {
  command->add_option("--intents", flags->intents_dir,
                      "Folder of intents, clinic and resource files "
                      "(default: $RECONNECT_INTENTS_DIR, else ./intents)");
  command->add_option("--clinic", flags->clinic_file,
                      "Clinic settings file, instead of <intents>/clinic.yaml");
  command->add_option("--max-message-bytes", flags->max_message_bytes,
                      "Longest message answered on topic; longer ones are "
                      "still screened for crisis")
      ->capture_default_str();
}

std::string DefaultIntentsDir() {
  if (const char* env = std::getenv("RECONNECT_INTENTS_DIR"); env && *env) {
    return env;
  }
  std::error_code ec;
  if (std::filesystem::is_directory("intents", ec)) return "intents";
  return RECONNECT_SOURCE_INTENTS_DIR;
}

std::unique_ptr<bot::Guide> LoadGuide(const ContentFlags& flags) {
  bot::GuideOptions options;
  options.max_message_bytes = flags.max_message_bytes;
  const std::string dir =
      flags.intents_dir.empty() ? DefaultIntentsDir() : flags.intents_dir;
  auto guide = bot::Guide::Create(dir, flags.clinic_file, options);
  if (!guide.ok()) {
    std::cerr << "reconnect: cannot load the guide from " << dir << ":\n"
              << guide.status().message() << "\n";
    return nullptr;
  }
  return std::move(guide).value();
}

}  // namespace reconnect::cli

int main(int argc, char** argv) {
  CLI::App app{
      "Reconnect: a trauma-informed guide to intimacy after trauma.\n"
      "Not a therapist and not for emergencies."};
  app.require_subcommand(1);
  int exit_code = 0;
  reconnect::cli::AddServeCommand(&app, &exit_code);
  reconnect::cli::AddChatCommand(&app, &exit_code);
  reconnect::cli::AddClassifyCommand(&app, &exit_code);
  reconnect::cli::AddLintCommand(&app, &exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
