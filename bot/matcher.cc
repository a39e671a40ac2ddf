#include "bot/matcher.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "bot/status_macros.h"

namespace reconnect::bot {

absl::StatusOr<std::unique_ptr<Matcher>> Matcher::Create(
    const Content& content, const Options& options) {
  std::unique_ptr<Matcher> matcher(new Matcher(options));
  std::vector<std::string> patterns;
  for (const Intent& intent : content.intents) {
    if (intent.escalate) continue;
    const int id = static_cast<int>(matcher->intents_.size());
    matcher->intents_.push_back(&intent);
    for (size_t i = 0; i < intent.patterns.size(); ++i) {
      patterns.push_back(intent.patterns[i].regex);
      matcher->rules_.push_back({id, static_cast<int>(i), false});
    }
    for (size_t i = 0; i < intent.excludes.size(); ++i) {
      patterns.push_back(intent.excludes[i].regex);
      matcher->rules_.push_back({id, static_cast<int>(i), true});
    }
  }
  RECONNECT_ASSIGN_OR_RETURN(
      matcher->set_, PatternSet::Compile(patterns, options.pattern_set));
  return matcher;
}

absl::StatusOr<MatchResult> Matcher::Match(std::string_view normalized) const {
  RECONNECT_ASSIGN_OR_RETURN(std::vector<int> hits, set_->Match(normalized));
  std::vector<Candidate> by_intent(intents_.size());
  std::vector<bool> excluded(intents_.size(), false);
  for (int hit : hits) {
    const Rule& rule = rules_[hit];
    if (rule.exclusion) {
      excluded[rule.intent] = true;
      continue;
    }
    Candidate& c = by_intent[rule.intent];
    c.intent = intents_[rule.intent];
    c.score += c.intent->patterns[rule.index].weight;
    c.rules.push_back(absl::StrCat(c.intent->id, "#", rule.index));
  }
  MatchResult result;
  for (size_t i = 0; i < by_intent.size(); ++i) {
    if (by_intent[i].intent == nullptr || excluded[i]) continue;
    by_intent[i].score += by_intent[i].intent->priority / 100.0;
    result.ranked.push_back(std::move(by_intent[i]));
  }
  // stable_sort keeps load order among exact ties.
  std::stable_sort(result.ranked.begin(), result.ranked.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.score != b.score) return a.score > b.score;
                     return a.intent->priority > b.intent->priority;
                   });
  if (result.ranked.empty() || result.ranked[0].score < options_.min_score) {
    result.decision = MatchResult::kFallback;
  } else if (result.ranked.size() > 1 &&
             result.ranked[1].score >= options_.min_score &&
             result.ranked[0].score - result.ranked[1].score <
                 options_.ambiguity_margin) {
    result.decision = MatchResult::kAmbiguous;
  } else {
    result.decision = MatchResult::kIntent;
  }
  return result;
}

}  // namespace reconnect::bot
