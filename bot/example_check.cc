#include "bot/example_check.h"

#include "absl/strings/str_cat.h"

namespace reconnect::bot {

std::vector<std::string> CheckExamples(Guide& guide) {
  std::vector<std::string> problems;
  int n = 0;
  for (const Intent& intent : guide.content().intents) {
    for (const std::string& example : intent.examples) {
      Message message;
      message.channel = "lint";
      message.conversation_id = absl::StrCat("example-", ++n);
      message.text = example;
      absl::StatusOr<Reply> reply = guide.Converse(message);
      std::string got;
      if (!reply.ok()) {
        got = absl::StrCat("an error: ", reply.status().message());
      } else if (intent.escalate != reply->escalated) {
        got =
            absl::StrCat(reply->intent, reply->escalated ? " (escalated)"
                                                         : " (not escalated)");
      } else if (reply->intent != intent.id) {
        got = reply->intent;
      } else if (reply->clarifying) {
        got = "a \"Did you mean\" question";
      } else {
        continue;
      }
      problems.push_back(absl::StrCat(intent.where.file, ":", intent.where.line,
                                      ": example '", example, "' of ",
                                      intent.id, " resolves to ", got));
    }
  }
  return problems;
}

}  // namespace reconnect::bot
