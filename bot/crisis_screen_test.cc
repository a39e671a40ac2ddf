#include "bot/crisis_screen.h"

#include "bot/normalizer.h"
#include "tests/testutil.h"

namespace reconnect::bot {
namespace {

using reconnect::testing::FixtureContent;
using reconnect::testing::MakeIntent;

class CrisisScreenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    content_ = FixtureContent();
    auto screen = CrisisScreen::Create(content_, {});
    ASSERT_OK(screen.status());
    screen_ = std::move(screen).value();
  }
  ScreenResult Screen(const std::string& text) {
    auto result = screen_->Screen(Normalize(text));
    EXPECT_OK(result.status());
    return result.ok() ? *result : ScreenResult{};
  }
  Content content_;
  std::unique_ptr<CrisisScreen> screen_;
};

TEST_F(CrisisScreenTest, FlagsDirectStatement) {
  ScreenResult r = Screen("I want to KILL MYSELF");
  EXPECT_TRUE(r.escalate);
  ASSERT_NE(r.intent, nullptr);
  EXPECT_EQ(r.intent->id, "crisis.suicide");
  EXPECT_THAT(r.rules, ::testing::ElementsAre("crisis.suicide#0"));
}

TEST_F(CrisisScreenTest, IgnoresOrdinaryText) {
  EXPECT_FALSE(Screen("what is emdr").escalate);
}

TEST_F(CrisisScreenTest, ExclusionMasksOnlyTheWordsItNames) {
  EXPECT_FALSE(Screen("I'm not suicidal, I just feel numb").escalate);
  // The negation covers "suicidal" only; the rest still screens.
  EXPECT_TRUE(Screen("I'm not suicidal but honestly kms").escalate);
}

TEST_F(CrisisScreenTest, CrisisBuriedInALongMessageIsFound) {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "we talk about trust and closeness. ";
  text += "some nights I want to kill myself. ";
  for (int i = 0; i < 400; ++i) text += "anyway what is emdr? ";
  EXPECT_TRUE(Screen(text).escalate);
}

TEST_F(CrisisScreenTest, HigherPriorityCategoryWins) {
  ScreenResult r = Screen("get me a real person, I want to kill myself");
  ASSERT_NE(r.intent, nullptr);
  EXPECT_EQ(r.intent->id, "crisis.suicide");  // priority 50 over handoff's 0
  EXPECT_EQ(r.rules.size(), 2u);
}

TEST_F(CrisisScreenTest, RefusesToExistWithoutCrisisRules) {
  Content content = FixtureContent();
  for (Intent& intent : content.intents) intent.escalate = false;
  auto screen = CrisisScreen::Create(content, {});
  EXPECT_EQ(screen.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(CrisisScreenTest, BadPatternFailsCreation) {
  Content content = FixtureContent();
  content.intents.push_back(
      MakeIntent("crisis.other", {"(unclosed"}, {}, /*escalate=*/true));
  EXPECT_FALSE(CrisisScreen::Create(content, {}).ok());
}

TEST_F(CrisisScreenTest, StaysCorrectWhenTheDfaCacheIsTiny) {
  // Under memory pressure RE2::Set keeps resetting its DFA cache: slower,
  // but it must still find the crisis at the end of a long text.
  Content content = FixtureContent();
  std::vector<std::string> many;
  for (int i = 0; i < 50; ++i) {
    many.push_back("a[ab]{" + std::to_string(10 + i % 8) + "}b" +
                   std::to_string(i));
  }
  content.intents.push_back(MakeIntent("crisis.other", many, {}, true));
  PatternSet::Options tiny;
  tiny.max_mem = 64 << 10;
  auto screen = CrisisScreen::Create(content, tiny);
  ASSERT_OK(screen.status());
  std::string text;
  unsigned x = 1;
  for (int i = 0; i < 50000; ++i) {
    x = x * 1103515245 + 12345;
    text += ((x >> 16) & 1) ? 'a' : 'b';
  }
  auto result = (*screen)->Screen(text + " i want to kill myself");
  ASSERT_OK(result.status());
  EXPECT_TRUE(result->escalate);
}

}  // namespace
}  // namespace reconnect::bot
