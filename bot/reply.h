// Reply: what the guide answers to one message, before any channel shapes it.
#ifndef RECONNECT_BOT_REPLY_H_
#define RECONNECT_BOT_REPLY_H_

#include <string>
#include <vector>

#include "bot/content.h"

namespace reconnect::bot {

struct Reply {
  std::vector<std::string> messages;       // one to three, rendered.
  std::vector<std::string> quick_replies;  // labels; sent back when tapped.
  // Catalog id (the best guess when clarifying), or "system.empty",
  // "system.too_long" or "system.error" for the guide's own answers.
  std::string intent;
  bool clarifying = false;  // asked "Did you mean ...?"
  bool escalated = false;
  std::string category;       // crisis intent id when escalated.
  std::string escalation_id;  // the stored escalation, when one was recorded.
  bool handed_off = false;    // the conversation is now with a person.
  std::string region;         // region of `resources`; "" when unknown.
  std::vector<Resource> resources;  // shown when escalated.
  bool duplicate = false;           // repeats the answer to a retried message.

  // What explains the decision, for `classify` and tests; never shown.
  double score = 0;
  std::vector<std::string> rules;
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_REPLY_H_
