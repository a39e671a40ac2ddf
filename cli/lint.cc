// `reconnect lint`: checks an intents folder before clinic staff ship it.
#include <iostream>

#include "bot/content_loader.h"
#include "bot/example_check.h"
#include "cli/commands.h"

namespace reconnect::cli {
namespace {

int RunLint(const std::string& dir_flag, const std::string& clinic_file) {
  const std::string dir = dir_flag.empty() ? DefaultIntentsDir() : dir_flag;
  bot::LoadReport report = bot::LoadContentFolder(dir, clinic_file);
  std::vector<std::string> problems = report.problems;
  const size_t intents = report.content.intents.size();
  size_t patterns = 0, examples = 0;
  for (const auto& intent : report.content.intents) {
    patterns += intent.patterns.size() + intent.excludes.size();
    examples += intent.examples.size();
  }
  if (problems.empty()) {
    // Only clean content can be compiled into a guide to run the examples.
    auto guide = bot::Guide::Create(std::move(report.content), {});
    if (!guide.ok()) {
      problems.push_back(dir + ":1: " + std::string(guide.status().message()));
    } else {
      problems = bot::CheckExamples(**guide);
    }
  }
  for (const auto& p : problems) std::cout << p << "\n";
  if (!problems.empty()) {
    std::cerr << "reconnect lint: " << problems.size() << " problem"
              << (problems.size() == 1 ? "" : "s") << " in " << dir << "\n";
    return 1;
  }
  std::cerr << "reconnect lint: " << dir << " is clean (" << intents
            << " intents, " << patterns << " patterns, " << examples
            << " examples checked)\n";
  return 0;
}

}  // namespace

void AddLintCommand(CLI::App* app, int* exit_code) {
  auto* command = app->add_subcommand(
      "lint",
      "Check an intents folder: YAML, fields, patterns, suggestions, catalog "
      "coverage, and that every example resolves to its own intent. Exit 0 "
      "when clean; otherwise prints every problem as file:line: message and "
      "exits 1.");
  auto dir = std::make_shared<std::string>();
  auto clinic = std::make_shared<std::string>();
  command->add_option("dir", *dir,
                      "The intents folder (default: as for serve)");
  command->add_option("--clinic", *clinic,
                      "Clinic settings file, instead of <dir>/clinic.yaml");
  command->callback(
      [dir, clinic, exit_code] { *exit_code = RunLint(*dir, *clinic); });
}

}  // namespace reconnect::cli
