// Matcher: finds which ordinary intent a message is about.
//
// Runs after the crisis screen, on the normalised text. All patterns and
// exclusions of every non-escalating intent are compiled into one PatternSet
// and matched in a single pass. Then each intent is scored:
//
//   score = sum of the weights of its patterns that matched
//         + priority / 100
//
// An intent with a matching exclusion is dropped. The best score wins when it
// reaches Options::min_score; otherwise the message is `fallback`. When the
// runner-up also reaches min_score and is within Options::ambiguity_margin
// of the winner, the result is kAmbiguous, and the guide asks which topic was
// meant. Ties are broken by priority, then by the order the intents were loaded
// in.
//
// The matcher knows nothing about conversations or replies. Thread-safe;
// immutable after Create().
#ifndef RECONNECT_BOT_MATCHER_H_
#define RECONNECT_BOT_MATCHER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "bot/content.h"
#include "bot/pattern_set.h"

namespace reconnect::bot {

struct Candidate {
  const Intent* intent = nullptr;
  double score = 0;
  std::vector<std::string> rules;  // "<intent id>#<pattern index>"
};

struct MatchResult {
  enum Decision { kFallback, kIntent, kAmbiguous };
  Decision decision = kFallback;
  // Every intent with at least one matching pattern and no exclusion, best
  // first. For kIntent the winner is ranked[0]; for kAmbiguous the close
  // contenders lead the list.
  std::vector<Candidate> ranked;
};

class Matcher {
 public:
  struct Options {
    double min_score = 1.0;          // below this the message falls back.
    double ambiguity_margin = 0.25;  // runner-up this close: ask.
    PatternSet::Options pattern_set;
  };

  // Returns a matcher over the intents of `content` that do not escalate;
  // fails when a pattern does not compile or the set does not fit in memory.
  // `content` must outlive the matcher.
  static absl::StatusOr<std::unique_ptr<Matcher>> Create(
      const Content& content, const Options& options);

  // Returns the decision for a normalised text, or an error when matching
  // itself failed (the DFA ran out of memory).
  absl::StatusOr<MatchResult> Match(std::string_view normalized) const;

 private:
  struct Rule {
    int intent;  // index into intents_
    int index;   // position in the intent's patterns or excludes
    bool exclusion;
  };
  explicit Matcher(const Options& options) : options_(options) {}

  Options options_;
  std::vector<const Intent*> intents_;
  std::vector<Rule> rules_;
  std::unique_ptr<PatternSet> set_;
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_MATCHER_H_
