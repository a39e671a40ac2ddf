// PatternSet: many regular expressions matched against a text in one pass.
//
// A thin layer over RE2::Set that turns its silent failure modes into errors.
// RE2::Set runs a DFA whose states are cached in `max_mem` bytes; when a text
// fills the cache, a plain RE2::Set::Match() returns "no match", which for a
// crisis screen would be the worst possible answer. Match() here reports that
// case as ResourceExhausted instead, so the caller can fail safe.
//
// Patterns use RE2 syntax, are case sensitive (the normaliser has already
// folded case) and match anywhere in the text. A compiled set is immutable
// and safe for concurrent use by multiple threads.
//
// Example:
//   auto set = PatternSet::Compile({"\\bemdr\\b", "eye movement"}, {});
//   if (!set.ok()) ...;                       // error names the bad pattern
//   absl::StatusOr<std::vector<int>> hits = (*set)->Match("what is emdr");
//   // *hits == {0}
#ifndef RECONNECT_BOT_PATTERN_SET_H_
#define RECONNECT_BOT_PATTERN_SET_H_

#include <re2/set.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace reconnect::bot {

class PatternSet {
 public:
  struct Options {
    // Memory for the compiled program and the DFA cache. Measured with
    // bot/pattern_set_bench on the shipped intents: the matcher's set does
    // not even compile in 4 MiB, and at 4 MiB the crisis screen takes about
    // 100 times longer on a 64 KiB message than at 16 MiB, because the DFA
    // cache keeps being thrown away. 64 MiB leaves four times that headroom
    // for content to grow; memory is only used as states are built.
    int64_t max_mem = 64 << 20;
  };

  // Returns a compiled set of `patterns`, whose indices are their positions
  // in the vector. Returns InvalidArgument naming the first bad pattern with
  // RE2's error text, or ResourceExhausted when the set does not fit in
  // max_mem. An empty list is allowed and matches nothing.
  static absl::StatusOr<std::unique_ptr<PatternSet>> Compile(
      const std::vector<std::string>& patterns, const Options& options);

  // Returns the indices of every pattern that matches somewhere in `text`,
  // in increasing order. Returns ResourceExhausted when the DFA ran out of
  // memory, never a silent empty result.
  absl::StatusOr<std::vector<int>> Match(std::string_view text) const;

  size_t size() const { return size_; }

  PatternSet(const PatternSet&) = delete;
  PatternSet& operator=(const PatternSet&) = delete;

 private:
  PatternSet(std::unique_ptr<RE2::Set> set, size_t size)
      : set_(std::move(set)), size_(size) {}

  std::unique_ptr<RE2::Set> set_;  // null when there are no patterns.
  size_t size_;
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_PATTERN_SET_H_
