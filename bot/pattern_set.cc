#include "bot/pattern_set.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace reconnect::bot {

absl::StatusOr<std::unique_ptr<PatternSet>> PatternSet::Compile(
    const std::vector<std::string>& patterns, const Options& options) {
  if (patterns.empty()) {
    return std::unique_ptr<PatternSet>(new PatternSet(nullptr, 0));
  }
  RE2::Options re_options(RE2::Quiet);
  re_options.set_max_mem(options.max_mem);
  auto set = std::make_unique<RE2::Set>(re_options, RE2::UNANCHORED);
  for (size_t i = 0; i < patterns.size(); ++i) {
    std::string error;
    if (set->Add(patterns[i], &error) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("pattern ", i, " '", patterns[i], "': ", error));
    }
  }
  if (!set->Compile()) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the set of ", patterns.size(),
                     " patterns does not fit in max_mem=", options.max_mem));
  }
  return std::unique_ptr<PatternSet>(
      new PatternSet(std::move(set), patterns.size()));
}

absl::StatusOr<std::vector<int>> PatternSet::Match(
    std::string_view text) const {
  std::vector<int> hits;
  if (set_ == nullptr) return hits;
  RE2::Set::ErrorInfo info;
  if (!set_->Match(re2::StringPiece(text.data(), text.size()), &hits, &info)) {
    switch (info.kind) {
      case RE2::Set::kNoError:
        break;  // Really no match.
      case RE2::Set::kOutOfMemory:
        return absl::ResourceExhaustedError(
            "pattern set: DFA out of memory; raise max_mem");
      default:
        return absl::InternalError(
            absl::StrCat("pattern set: match failed, kind ", info.kind));
    }
  }
  std::sort(hits.begin(), hits.end());
  return hits;
}

}  // namespace reconnect::bot
