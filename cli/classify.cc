// `reconnect classify`: how the guide's understanding is measured.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"

namespace reconnect::cli {
namespace {

// One JSON object per line, whatever the line holds: the score script and
// other tools depend on the count and order of lines.
nlohmann::json Classify(bot::Guide& guide, size_t line_number,
                        const std::string& line) {
  bot::Message message;
  message.channel = "cli";
  message.conversation_id = absl::StrCat("classify-", line_number);
  message.text = line;
  absl::StatusOr<bot::Reply> reply = guide.Converse(message);
  nlohmann::json out;
  if (!reply.ok()) {
    out["intent"] = bot::kFallbackIntent;
    out["escalate"] = false;
    out["error"] = std::string(reply.status().message());
    return out;
  }
  out["intent"] = reply->intent;
  out["escalate"] = reply->escalated;
  out["score"] = reply->score;
  out["rules"] = reply->rules;
  if (reply->clarifying) out["clarifying"] = true;
  return out;
}

int RunClassify(const ContentFlags& flags) {
  std::unique_ptr<bot::Guide> guide = LoadGuide(flags);
  if (guide == nullptr) return 2;
  std::ios::sync_with_stdio(false);
  std::string line;
  size_t number = 0;
  while (std::getline(std::cin, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    nlohmann::json out;
    try {
      out = Classify(*guide, number, line);
    } catch (const std::exception& e) {
      out = {{"intent", bot::kFallbackIntent},
             {"escalate", false},
             {"error", e.what()}};
    }
    std::cout << out.dump(-1, ' ', false,
                          nlohmann::json::error_handler_t::replace)
              << "\n";
  }
  std::cout.flush();
  return 0;
}

}  // namespace

void AddClassifyCommand(CLI::App* app, int* exit_code) {
  auto* command = app->add_subcommand(
      "classify",
      "Read messages from stdin, one per line, and print one JSON object per "
      "line: {\"intent\", \"escalate\", \"score\", \"rules\"}. Each line is "
      "the "
      "first message of a new conversation.");
  auto flags = std::make_shared<ContentFlags>();
  AddContentFlags(command, flags.get());
  command->callback([flags, exit_code] { *exit_code = RunClassify(*flags); });
}

}  // namespace reconnect::cli
