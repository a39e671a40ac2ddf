#include "bot/matcher.h"

#include "bot/normalizer.h"
#include "tests/testutil.h"

namespace reconnect::bot {
namespace {

using reconnect::testing::FixtureContent;
using reconnect::testing::MakeIntent;

MatchResult MatchWith(const Content& content, const std::string& text,
                      Matcher::Options options = {}) {
  auto matcher = Matcher::Create(content, options);
  EXPECT_OK(matcher.status());
  auto result = (*matcher)->Match(Normalize(text));
  EXPECT_OK(result.status());
  return *result;
}

TEST(Matcher, PicksTheMatchingIntent) {
  MatchResult r = MatchWith(FixtureContent(), "What is EMDR?");
  ASSERT_EQ(r.decision, MatchResult::kIntent);
  EXPECT_EQ(r.ranked[0].intent->id, "therapy.emdr");
  EXPECT_THAT(r.ranked[0].rules, ::testing::ElementsAre("therapy.emdr#0"));
  EXPECT_DOUBLE_EQ(r.ranked[0].score, 1.0);
}

TEST(Matcher, NoHitFallsBack) {
  EXPECT_EQ(MatchWith(FixtureContent(), "what's the weather").decision,
            MatchResult::kFallback);
}

TEST(Matcher, NeverMatchesCrisisIntents) {
  // Escalating intents belong to the crisis screen alone.
  MatchResult r = MatchWith(FixtureContent(), "kill myself");
  EXPECT_EQ(r.decision, MatchResult::kFallback);
}

TEST(Matcher, MoreAndHeavierHitsWin) {
  Content c = FixtureContent();
  c.intents.push_back(MakeIntent("topic.both", {"\\btrust\\b", "\\bbetray"}));
  MatchResult r = MatchWith(c, "after the betrayal I can't trust anyone");
  ASSERT_EQ(r.decision, MatchResult::kIntent);
  EXPECT_EQ(r.ranked[0].intent->id, "topic.both");
  EXPECT_DOUBLE_EQ(r.ranked[0].score, 2.0);
  EXPECT_EQ(r.ranked[1].intent->id, "topic.trust");
}

TEST(Matcher, WeightsAndPriorityCount) {
  Content c = FixtureContent();
  Intent heavy = MakeIntent("topic.heavy", {"\\btrust\\b"});
  heavy.patterns[0].weight = 1.5;
  c.intents.push_back(heavy);
  Intent favoured = MakeIntent("topic.favoured", {"\\bopen up\\b"});
  favoured.priority = 60;
  c.intents.push_back(favoured);
  MatchResult r = MatchWith(c, "trust");
  EXPECT_EQ(r.ranked[0].intent->id, "topic.heavy");
  EXPECT_EQ(r.decision, MatchResult::kIntent);  // 1.5 vs 1.0: clear
  r = MatchWith(c, "I can't open up");
  EXPECT_EQ(r.ranked[0].intent->id, "topic.favoured");
  EXPECT_DOUBLE_EQ(r.ranked[0].score, 1.6);
  EXPECT_EQ(r.decision, MatchResult::kIntent);
}

TEST(Matcher, ExclusionDropsTheIntent) {
  Content c = FixtureContent();
  for (Intent& intent : c.intents) {
    if (intent.id == "clinic.book") {
      intent.excludes.push_back({"\\bbook (a )?flight", 1.0, {}});
    }
  }
  EXPECT_EQ(MatchWith(c, "book an appointment").ranked[0].intent->id,
            "clinic.book");
  EXPECT_EQ(MatchWith(c, "book a flight to Rome").decision,
            MatchResult::kFallback);
}

TEST(Matcher, CloseScoresAreAmbiguous) {
  MatchResult r = MatchWith(FixtureContent(), "how long until I can trust");
  EXPECT_EQ(r.decision, MatchResult::kAmbiguous);
  EXPECT_EQ(r.ranked.size(), 2u);
}

TEST(Matcher, RunnerUpBelowMinimumIsNotAContender) {
  Content c = FixtureContent();
  Intent weak = MakeIntent("topic.weak", {"\\bsomatic\\b"});
  weak.patterns[0].weight = 0.5;
  c.intents.push_back(weak);
  Intent strong = MakeIntent("topic.strong", {"\\bsomatic\\b", "\\bworks?\\b"});
  strong.patterns[1].weight = 0.2;
  c.intents.push_back(strong);
  MatchResult r = MatchWith(c, "does somatic work");
  EXPECT_EQ(r.decision, MatchResult::kIntent);
  EXPECT_EQ(r.ranked[0].intent->id, "topic.strong");
}

TEST(Matcher, MinimumScoreIsConfigurable) {
  Matcher::Options strict;
  strict.min_score = 1.5;
  EXPECT_EQ(MatchWith(FixtureContent(), "emdr", strict).decision,
            MatchResult::kFallback);
}

}  // namespace
}  // namespace reconnect::bot
