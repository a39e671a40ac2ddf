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
  command
      ->add_option("--max-message-bytes", flags->max_message_bytes,
                   "Longest message answered on topic; longer ones are "
                   "still screened for crisis")
      ->capture_default_str();
}

void AddRuntimeFlags(CLI::App* command, ContentFlags* flags) {
  command
      ->add_option("--data-dir", flags->data_dir,
                   "Folder for the escalation store (escalations.db)")
      ->capture_default_str();
  command
      ->add_option("--handoff-idle-minutes", flags->handoff_idle_minutes,
                   "A hand-off with no action from a person for this long "
                   "returns to the guide, and the user is told")
      ->capture_default_str();
  command
      ->add_option("--remind-after-minutes", flags->remind_after_minutes,
                   "Notify people again about an escalation nobody has "
                   "acknowledged after this long")
      ->capture_default_str();
  command
      ->add_option("--webhook-give-up-minutes", flags->webhook_give_up_minutes,
                   "Stop retrying an escalation webhook after this long")
      ->capture_default_str();
  command
      ->add_option("--webhook-retry-seconds", flags->webhook_retry_seconds,
                   "First webhook retry after this long; doubles each "
                   "time, up to 5 minutes, with jitter")
      ->capture_default_str();
  command
      ->add_option("--retention-days", flags->retention_days,
                   "Delete closed escalations older than this (0 keeps "
                   "them)")
      ->capture_default_str();
}

std::unique_ptr<service::Embedded> StartEmbedded(const ContentFlags& flags) {
  service::EmbeddedOptions options;
  options.intents_dir =
      flags.intents_dir.empty() ? DefaultIntentsDir() : flags.intents_dir;
  options.clinic_file = flags.clinic_file;
  options.data_dir = flags.data_dir;
  options.guide.max_message_bytes = flags.max_message_bytes;
  options.guide.handoff.idle_timeout =
      absl::Minutes(flags.handoff_idle_minutes);
  options.guide.handoff.remind_after =
      absl::Minutes(flags.remind_after_minutes);
  options.webhook.give_up_after = absl::Minutes(flags.webhook_give_up_minutes);
  options.webhook.first_retry = absl::Seconds(flags.webhook_retry_seconds);
  options.retention = absl::Hours(24) * flags.retention_days;
  service::ReadEnvironment(&options);
  auto embedded = service::Embedded::Start(options);
  if (!embedded.ok()) {
    std::cerr << "reconnect: cannot start the guide:\n"
              << embedded.status().message() << "\n";
    return nullptr;
  }
  return std::move(embedded).value();
}

std::string DefaultIntentsDir() {
  if (const char* env = std::getenv("RECONNECT_INTENTS_DIR"); env && *env) {
    return env;
  }
  std::error_code ec;
  if (std::filesystem::is_directory("intents", ec)) return "intents";
  return RECONNECT_SOURCE_INTENTS_DIR;
}

std::string DefaultWebDir() {
  if (const char* env = std::getenv("RECONNECT_WEB_DIR"); env && *env) {
    return env;
  }
  std::error_code ec;
  if (std::filesystem::is_regular_file("web/index.html", ec)) return "web";
  return RECONNECT_SOURCE_WEB_DIR;
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
  reconnect::cli::AddGatewayCommand(&app, &exit_code);
  reconnect::cli::AddChatCommand(&app, &exit_code);
  reconnect::cli::AddClassifyCommand(&app, &exit_code);
  reconnect::cli::AddLintCommand(&app, &exit_code);
  reconnect::cli::AddEscalationsCommand(&app, &exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
