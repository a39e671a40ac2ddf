#include "bot/guide.h"

#include "tests/testutil.h"

namespace reconnect::bot {
namespace {

using reconnect::testing::FixtureContent;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class GuideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GuideOptions options;
    options.clock = &clock_;
    options.max_message_bytes = 200;
    auto guide = Guide::Create(FixtureContent(), options);
    ASSERT_OK(guide.status());
    guide_ = std::move(guide).value();
  }

  Reply Say(const std::string& text, const std::string& conversation = "c1",
            const std::string& message_id = "",
            const std::string& locale = "") {
    Message m;
    m.channel = "test";
    m.conversation_id = conversation;
    m.platform_message_id = message_id;
    m.text = text;
    m.locale = locale;
    auto reply = guide_->Converse(m);
    EXPECT_OK(reply.status()) << text;
    return reply.ok() ? *reply : Reply{};
  }

  ManualClock clock_;
  std::unique_ptr<Guide> guide_;
};

TEST_F(GuideTest, AnswersATopicWithItsSuggestions) {
  Reply r = Say("what is EMDR?");
  EXPECT_EQ(r.intent, "therapy.emdr");
  EXPECT_THAT(r.messages, ElementsAre("EMDR one."));
  EXPECT_THAT(r.quick_replies, ElementsAre("How long?", "Talk to a person"));
  EXPECT_FALSE(r.escalated);
}

TEST_F(GuideTest, CrisisWinsOverOnTopicIntentInSameMessage) {
  Reply r = Say("what is emdr, I keep thinking I should kill myself");
  EXPECT_TRUE(r.escalated);
  EXPECT_EQ(r.intent, "crisis.suicide");
  EXPECT_EQ(r.category, "crisis.suicide");
  // Without an escalation store nobody can be told, and the reply says so.
  EXPECT_THAT(r.messages, ElementsAre("Crisis reply. Call 988 or 911.",
                                      "Could not tell the team."));
  EXPECT_FALSE(r.handed_off);
  EXPECT_EQ(r.region, "US");
  ASSERT_FALSE(r.resources.empty());
  EXPECT_EQ(r.resources[0].number, "911");
}

TEST_F(GuideTest, CrisisResourcesFollowTheLocale) {
  Reply r = Say("kms", "c1", "", "en-GB");
  EXPECT_TRUE(r.escalated);
  EXPECT_EQ(r.region, "UK");
  EXPECT_THAT(r.messages[0], HasSubstr("116 123 or 999"));
}

TEST_F(GuideTest, CrisisIsScreenedInEveryStateOfTheConversation) {
  Say("what is emdr");            // topic set, suggestions offered
  Say("how long until I trust");  // clarifying question pending
  Reply r = Say("kill myself");
  EXPECT_TRUE(r.escalated);
  // Tapping an offered suggestion cannot bypass the screen either.
  Say("what is emdr");
  r = Say("How long? I want to kill myself");
  EXPECT_TRUE(r.escalated);
}

TEST_F(GuideTest, OversizedCrisisMessageIsStillScreenedWhole) {
  std::string text(5000, 'a');
  text += " i am suicidal";
  Reply r = Say(text);
  EXPECT_TRUE(r.escalated);
}

TEST_F(GuideTest, OversizedOrdinaryMessageGetsAskedToSplit) {
  Reply r = Say(std::string(300, 'x') + " emdr");
  EXPECT_EQ(r.intent, "system.too_long");
  EXPECT_FALSE(r.escalated);
}

TEST_F(GuideTest, InvalidUtf8IsRepairedAndAnswered) {
  Reply r = Say("I want to kill myself\xC3");
  EXPECT_TRUE(r.escalated);
  r = Say("what is emdr \xFF\xFE");
  EXPECT_EQ(r.intent, "therapy.emdr");
}

TEST_F(GuideTest, BinaryIsRefusedUnlessItScreensAsCrisis) {
  Message m;
  m.conversation_id = "c1";
  m.text = std::string("\x00\x01\x02\x03garbage", 11);
  auto reply = guide_->Converse(m);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInvalidArgument);
  m.text = std::string("\x00\x01 kill myself", 14);
  reply = guide_->Converse(m);
  ASSERT_OK(reply.status());
  EXPECT_TRUE(reply->escalated);
}

TEST_F(GuideTest, EmptyMessageGetsAGentlePrompt) {
  EXPECT_EQ(Say("   \n ").intent, "system.empty");
  EXPECT_EQ(Say("\xE2\x80\x8B").intent, "system.empty");  // zero width only
}

TEST_F(GuideTest, MalformedConversationIdIsRefused) {
  Message m;
  m.text = "hello";
  EXPECT_EQ(guide_->Converse(m).status().code(),
            absl::StatusCode::kInvalidArgument);
  m.conversation_id = std::string(129, 'a');
  EXPECT_EQ(guide_->Converse(m).status().code(),
            absl::StatusCode::kInvalidArgument);
  m.conversation_id = "has space";
  EXPECT_EQ(guide_->Converse(m).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(GuideTest, RepeatedQuestionRotatesVariants) {
  EXPECT_THAT(Say("emdr").messages, ElementsAre("EMDR one."));
  EXPECT_THAT(Say("emdr").messages, ElementsAre("EMDR two."));
  EXPECT_THAT(Say("emdr").messages, ElementsAre("EMDR one."));
  // Another conversation starts from the first variant.
  EXPECT_THAT(Say("emdr", "c2").messages, ElementsAre("EMDR one."));
}

TEST_F(GuideTest, TellMeMoreContinuesTheLastTopic) {
  Say("what is emdr");
  Reply r = Say("tell me more");
  EXPECT_EQ(r.intent, "chat.more");
  EXPECT_THAT(r.messages, ElementsAre("More about EMDR."));
  // Once continued, it asks what else, offering the topic's suggestions.
  r = Say("tell me more");
  EXPECT_THAT(r.messages,
              ElementsAre("What would you like to know more about?"));
  EXPECT_THAT(r.quick_replies, ElementsAre("How long?", "Talk to a person"));
}

TEST_F(GuideTest, TellMeMoreWithoutATopicAsks) {
  Reply r = Say("tell me more", "fresh");
  EXPECT_THAT(r.messages,
              ElementsAre("What would you like to know more about?"));
}

TEST_F(GuideTest, TappedSuggestionLeadsToItsIntent) {
  Say("what is emdr");
  Reply r = Say("how long?");
  EXPECT_EQ(r.intent, "faq.how_long");
  EXPECT_THAT(r.rules, ElementsAre("suggestion"));
}

TEST_F(GuideTest, ANumberPicksThatSuggestion) {
  // SMS shows quick replies as a numbered list.
  Say("what is emdr");
  Reply r = Say(" 2. ");
  EXPECT_TRUE(r.escalated);
  EXPECT_EQ(r.category, "handoff.human");
  Say("what is emdr", "numbers");
  r = Say("#1", "numbers");
  EXPECT_EQ(r.intent, "faq.how_long");
  // Out of range, or a number inside a sentence, is an ordinary message.
  Say("what is emdr", "range");
  EXPECT_NE(Say("3", "range").intent, "faq.how_long");
  Say("what is emdr", "range");
  EXPECT_NE(Say("I have 2 kids", "range").intent, "handoff.human");
}

TEST_F(GuideTest, TappedEscalatingSuggestionEscalates) {
  Say("what is emdr");
  Reply r = Say("Talk to a person");
  EXPECT_TRUE(r.escalated);
  EXPECT_EQ(r.category, "handoff.human");
}

TEST_F(GuideTest, CloseCallAsksWithChoices) {
  Reply r = Say("how long until I can trust");
  EXPECT_TRUE(r.clarifying);
  EXPECT_THAT(r.messages, ElementsAre("Which one?"));
  EXPECT_THAT(r.quick_replies,
              ElementsAre("faq.how_long", "topic.trust", "Something else",
                          "Talk to a person"));
  r = Say("topic.trust");
  EXPECT_EQ(r.intent, "topic.trust");
}

TEST_F(GuideTest, FallbackForOffTopic) {
  Reply r = Say("who won the football");
  EXPECT_EQ(r.intent, "fallback");
}

TEST_F(GuideTest, RetriedPlatformMessageGetsTheSameReplyOnce) {
  Reply first = Say("emdr", "c1", "m-1");
  Reply again = Say("emdr", "c1", "m-1");
  EXPECT_TRUE(again.duplicate);
  EXPECT_FALSE(first.duplicate);
  EXPECT_EQ(again.messages, first.messages);
  // The retry did not advance the rotation.
  EXPECT_THAT(Say("emdr", "c1", "m-2").messages, ElementsAre("EMDR two."));
}

TEST_F(GuideTest, IdleConversationStartsAfresh) {
  Say("what is emdr");
  clock_.Advance(absl::Hours(2));
  Reply r = Say("tell me more");
  EXPECT_THAT(r.messages,
              ElementsAre("What would you like to know more about?"));
}

TEST_F(GuideTest, RendersClinicSettings) {
  Reply r = Say("can I book");
  EXPECT_THAT(
      r.messages,
      ElementsAre("Book at https://clinic.test/book or call 555 0100."));
}

TEST(GuideCreate, RefusesContentWithoutCrisisRules) {
  Content content = FixtureContent();
  for (Intent& intent : content.intents) intent.escalate = false;
  auto guide = Guide::Create(std::move(content), {});
  EXPECT_EQ(guide.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace reconnect::bot
