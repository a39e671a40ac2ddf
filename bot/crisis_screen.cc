#include "bot/crisis_screen.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "bot/status_macros.h"

namespace reconnect::bot {

absl::StatusOr<std::unique_ptr<CrisisScreen>> CrisisScreen::Create(
    const Content& content, const PatternSet::Options& options) {
  std::unique_ptr<CrisisScreen> screen(new CrisisScreen);
  std::vector<std::string> patterns;
  std::vector<std::string> exclusions;
  for (const Intent& intent : content.intents) {
    if (!intent.escalate) continue;
    for (size_t i = 0; i < intent.patterns.size(); ++i) {
      patterns.push_back(intent.patterns[i].regex);
      screen->rules_.push_back({&intent, static_cast<int>(i)});
    }
    for (const Pattern& p : intent.excludes) {
      exclusions.push_back(p.regex);
      auto re = std::make_unique<RE2>(p.regex, RE2::Quiet);
      if (!re->ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            p.where.file, ":", p.where.line, ": bad exclusion: ", re->error()));
      }
      screen->exclusion_res_.push_back(std::move(re));
    }
  }
  if (patterns.empty()) {
    return absl::FailedPreconditionError(
        "no crisis rules (intents with 'escalate: true'): refusing to run "
        "without a crisis screen");
  }
  RECONNECT_ASSIGN_OR_RETURN(screen->patterns_,
                             PatternSet::Compile(patterns, options));
  RECONNECT_ASSIGN_OR_RETURN(screen->exclusions_,
                             PatternSet::Compile(exclusions, options));
  return screen;
}

absl::StatusOr<ScreenResult> CrisisScreen::Screen(
    std::string_view normalized) const {
  RECONNECT_ASSIGN_OR_RETURN(std::vector<int> hits,
                             patterns_->Match(normalized));
  if (hits.empty()) return ScreenResult{};
  RECONNECT_ASSIGN_OR_RETURN(std::vector<int> excluded,
                             exclusions_->Match(normalized));
  if (!excluded.empty()) {
    // Blank out each matching exclusion with a space (so the words on either
    // side do not join into a new word) and screen what is left.
    std::string masked(normalized);
    for (int index : excluded) {
      RE2::GlobalReplace(&masked, *exclusion_res_[index], " ");
    }
    RECONNECT_ASSIGN_OR_RETURN(hits, patterns_->Match(masked));
  }
  return Decide(hits);
}

absl::StatusOr<ScreenResult> CrisisScreen::Decide(
    const std::vector<int>& hits) const {
  ScreenResult result;
  if (hits.empty()) return result;
  std::map<const Intent*, int> counts;
  for (int index : hits) {
    const Rule& rule = rules_[index];
    ++counts[rule.intent];
    result.rules.push_back(absl::StrCat(rule.intent->id, "#", rule.index));
  }
  // rules_ is in content order, so the first rule of each intent tells its
  // position for the final tie-break.
  const Intent* best = nullptr;
  for (const Rule& rule : rules_) {
    auto it = counts.find(rule.intent);
    if (it == counts.end() || rule.intent == best) continue;
    if (best == nullptr || rule.intent->priority > best->priority ||
        (rule.intent->priority == best->priority &&
         it->second > counts[best])) {
      best = rule.intent;
    }
  }
  result.escalate = true;
  result.intent = best;
  return result;
}

}  // namespace reconnect::bot
