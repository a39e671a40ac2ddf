// CrisisScreen: decides whether a message shows danger or asks for a person.
//
// This is the second stage of every message, after normalising and before
// anything else, in every conversation state. Nothing later can undo what it
// decides: a message it flags is escalated, whatever else it also says.
//
// It holds the intents marked `escalate: true` (crisis.* and handoff.human)
// and matches all their patterns in one PatternSet pass over the whole text,
// however long. Exclusions work by masking: each exclusion that matches (an
// idiom such as "this traffic is killing me", an explicit negation such as
// "i'm not suicidal") is blanked out of the text, and the patterns run again
// on what is left. So an exclusion only removes the words it names; a real
// crisis elsewhere in the same message still escalates.
//
// When several crisis intents match, the one with the highest priority wins,
// then the one with more matching patterns, then the first in file order.
//
// Thread-safe; immutable after Create().
#ifndef RECONNECT_BOT_CRISIS_SCREEN_H_
#define RECONNECT_BOT_CRISIS_SCREEN_H_

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "bot/content.h"
#include "bot/pattern_set.h"

namespace reconnect::bot {

struct ScreenResult {
  bool escalate = false;
  const Intent* intent = nullptr;  // the winning crisis intent, or null.
  // Ids of the matching rules after masking, as "<intent id>#<pattern index>".
  std::vector<std::string> rules;
};

class CrisisScreen {
 public:
  // Returns a screen over the escalating intents of `content`. Fails with
  // FailedPrecondition when there are none (a guide without a crisis screen
  // must not start), or with the PatternSet's error when a pattern does not
  // compile.
  static absl::StatusOr<std::unique_ptr<CrisisScreen>> Create(
      const Content& content, const PatternSet::Options& options);

  // Screens a normalised text. Returns an error only when matching itself
  // failed (for example the DFA ran out of memory); callers must then treat
  // the message as a possible crisis.
  absl::StatusOr<ScreenResult> Screen(std::string_view normalized) const;

 private:
  struct Rule {
    const Intent* intent;
    int index;  // position in intent->patterns
  };
  CrisisScreen() = default;
  absl::StatusOr<ScreenResult> Decide(const std::vector<int>& hits) const;

  std::unique_ptr<PatternSet> patterns_;
  std::vector<Rule> rules_;
  std::unique_ptr<PatternSet> exclusions_;
  std::vector<std::unique_ptr<RE2>> exclusion_res_;  // same order, for masking
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_CRISIS_SCREEN_H_
