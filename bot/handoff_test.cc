// The hand-off path through the whole guide: record before reply, holding
// while a person has the conversation, crisis screening throughout, operator
// actions, time-outs and reminders.
#include "bot/handoff.h"

#include "bot/guide.h"
#include "bot/sqlite_escalation_store.h"
#include "tests/testutil.h"

namespace reconnect::bot {
namespace {

using reconnect::testing::FixtureContent;
using reconnect::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class HandoffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Monday 2026-11-23 10:00 UTC: the fixture clinic is open (UTC, 9 to 5).
    clock_.Set(absl::FromCivil(absl::CivilMinute(2026, 11, 23, 10, 0),
                               absl::UTCTimeZone()));
    auto store = SqliteEscalationStore::Open(dir_.path());
    ASSERT_OK(store.status());
    store_ = std::move(store).value();
    GuideOptions options;
    options.clock = &clock_;
    options.escalations = store_.get();
    options.handoff.people_reachable = true;
    options.handoff.webhook_configured = true;
    options.handoff.idle_timeout = absl::Minutes(30);
    options.handoff.remind_after = absl::Minutes(10);
    options.handoff.max_reminders = 2;
    auto guide = Guide::Create(FixtureContent(), options);
    ASSERT_OK(guide.status());
    guide_ = std::move(guide).value();
  }

  Reply Say(const std::string& text, const std::string& conversation = "c1") {
    Message m;
    m.channel = "web";
    m.conversation_id = conversation;
    m.text = text;
    auto reply = guide_->Converse(m);
    EXPECT_OK(reply.status()) << text;
    return reply.ok() ? *reply : Reply{};
  }

  HandoffDesk& desk() { return *guide_->handoff(); }

  ManualClock clock_;
  TempDir dir_;
  std::unique_ptr<SqliteEscalationStore> store_;
  std::unique_ptr<Guide> guide_;
};

TEST_F(HandoffTest, CrisisIsRecordedBeforeTheReplyAndSaysWhoKnows) {
  Reply r = Say("I want to kill myself");
  EXPECT_TRUE(r.escalated);
  EXPECT_TRUE(r.handed_off);
  ASSERT_FALSE(r.escalation_id.empty());
  EXPECT_THAT(r.messages.back(), "Told the team; reply within an hour.");
  auto stored = store_->Get(r.escalation_id);
  ASSERT_OK(stored.status());
  EXPECT_EQ(stored->category, "crisis.suicide");
  EXPECT_EQ(stored->trigger_text, "I want to kill myself");
  EXPECT_EQ(stored->rule, "crisis.suicide#0");
  EXPECT_EQ(stored->channel, "web");
  EXPECT_EQ(stored->webhook, WebhookState::kPending);
}

TEST_F(HandoffTest, AfterHoursTheReplySaysWhenSomeoneWillRead) {
  clock_.Set(absl::FromCivil(absl::CivilMinute(2026, 11, 27, 20, 0),
                             absl::UTCTimeZone()));  // Friday evening
  Reply r = Say("kms");
  EXPECT_EQ(r.messages.back(), "Told the team; closed until Monday at 09:00.");
}

TEST_F(HandoffTest, LaterMessagesGoToThePersonWithAHoldingReply) {
  Reply first = Say("I want to kill myself");
  Reply r = Say("what is emdr?");
  EXPECT_EQ(r.intent, "system.holding");
  EXPECT_TRUE(r.escalated);
  EXPECT_EQ(r.escalation_id, first.escalation_id);
  EXPECT_THAT(r.messages, ElementsAre("Holding: a person will reply."));
  auto messages = store_->Messages(first.escalation_id);
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ((*messages)[0].text, "what is emdr?");
}

TEST_F(HandoffTest, EveryCrisisMessageNotifiesPeopleAfresh) {
  Reply first = Say("I want to kill myself");
  Reply again = Say("I still want to kill myself");
  EXPECT_TRUE(again.escalated);
  EXPECT_NE(again.escalation_id, first.escalation_id);
  EXPECT_EQ(store_->Get(again.escalation_id)->webhook, WebhookState::kPending);
}

TEST_F(HandoffTest, UnacknowledgedTimedOutEscalationsKeepBeingReminded) {
  Reply r = Say("I want to kill myself");
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(absl::Minutes(10));
    ASSERT_OK(desk().Sweep().status());
  }
  Escalation e = *store_->Get(r.escalation_id);
  EXPECT_EQ(e.state,
            EscalationState::kTimedOut);  // the user is back with the guide
  EXPECT_EQ(e.reminders, 2);  // max_reminders, not cut short by the time-out
}

TEST_F(HandoffTest, SweepNeverOverwritesWhatAPersonJustDid) {
  Reply r = Say("I want to kill myself");
  Escalation stale = *store_->Get(r.escalation_id);
  clock_.Advance(absl::Minutes(31));
  ASSERT_OK(desk().Acknowledge(r.escalation_id, "Sam").status());
  // A sweep holding the stale copy must not time it out.
  EXPECT_TRUE(
      absl::IsAborted(store_
                          ->SetState(stale.id, EscalationState::kTimedOut, "",
                                     clock_.Now(), stale.updated_at)
                          .status()));
  EXPECT_EQ(store_->Get(r.escalation_id)->state,
            EscalationState::kAcknowledged);
}

TEST_F(HandoffTest, SameMessageIdWithOtherTextIsScreenedNotReplayed) {
  Message m;
  m.channel = "web";
  m.conversation_id = "c7";
  m.platform_message_id = "1";
  m.text = "what is emdr";
  ASSERT_OK(guide_->Converse(m).status());
  m.text = "I want to kill myself";
  auto r = guide_->Converse(m);
  ASSERT_OK(r.status());
  EXPECT_FALSE(r->duplicate);
  EXPECT_TRUE(r->escalated);
}

TEST_F(HandoffTest, ReleasingTwiceFails) {
  Reply r = Say("I want to kill myself");
  ASSERT_OK(desk().Release(r.escalation_id, "Sam").status());
  EXPECT_EQ(desk().Release(r.escalation_id, "Sam").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->OutboundSince(0, "", 10)->size(), 1u);
}

TEST_F(HandoffTest, OneDenialDoesNotLiftTheHandoff) {
  Say("I want to kill myself");
  EXPECT_EQ(Say("no sorry you misunderstood, I'm fine").intent,
            "system.holding");
}

TEST_F(HandoffTest, CrisisAfterAHandoffIsStillScreened) {
  Reply handoff = Say("can I talk to a real person");
  EXPECT_EQ(handoff.category, "handoff.human");
  Reply crisis = Say("actually I want to kill myself");
  EXPECT_EQ(crisis.intent, "crisis.suicide");
  EXPECT_TRUE(crisis.escalated);
  // A more serious category is a new escalation people see as such.
  EXPECT_NE(crisis.escalation_id, handoff.escalation_id);
  auto active = store_->ActiveFor("c1");
  EXPECT_EQ((*active)->category, "crisis.suicide");
}

TEST_F(HandoffTest, OperatorReplyReachesTheUsersOutbox) {
  Reply r = Say("I want to kill myself");
  auto sent = desk().SendToUser(r.escalation_id, "Sam", "I'm here with you.");
  ASSERT_OK(sent.status());
  auto outbound = store_->OutboundSince(0, "web", 10);
  ASSERT_EQ(outbound->size(), 1u);
  EXPECT_EQ((*outbound)[0].text, "I'm here with you.");
  EXPECT_EQ((*outbound)[0].conversation_id, "c1");
  EXPECT_EQ(store_->Get(r.escalation_id)->state,
            EscalationState::kAcknowledged);
}

TEST_F(HandoffTest, ReleaseHandsBackToTheGuideAndTellsTheUser) {
  Reply r = Say("I want to kill myself");
  ASSERT_OK(desk().Release(r.escalation_id, "Sam").status());
  auto outbound = store_->OutboundSince(0, "", 10);
  ASSERT_EQ(outbound->size(), 1u);
  EXPECT_EQ((*outbound)[0].text, "Back to the guide.");
  EXPECT_EQ(Say("what is emdr").intent, "therapy.emdr");
  EXPECT_EQ(desk().SendToUser(r.escalation_id, "Sam", "hi").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(HandoffTest, IdleHandoffTimesOutToTheGuide) {
  Reply r = Say("I want to kill myself");
  clock_.Advance(absl::Minutes(29));
  ASSERT_OK(desk().Sweep().status());
  EXPECT_EQ(Say("hello?").intent, "system.holding");
  clock_.Advance(absl::Minutes(2));
  ASSERT_OK(desk().Sweep().status());
  EXPECT_EQ(store_->Get(r.escalation_id)->state, EscalationState::kTimedOut);
  auto outbound = store_->OutboundSince(0, "", 10);
  ASSERT_EQ(outbound->size(), 1u);
  EXPECT_EQ((*outbound)[0].text, "Nobody answered; back to the guide.");
  EXPECT_EQ(Say("what is emdr").intent, "therapy.emdr");
}

TEST_F(HandoffTest, UnacknowledgedEscalationsAreNotifiedAgain) {
  Reply r = Say("I want to kill myself");
  Escalation e = *store_->Get(r.escalation_id);
  e.webhook = WebhookState::kDelivered;
  ASSERT_OK(store_->UpdateDelivery(e));
  clock_.Advance(absl::Minutes(10));
  ASSERT_OK(desk().Sweep().status());
  e = *store_->Get(r.escalation_id);
  EXPECT_EQ(e.reminders, 1);
  EXPECT_EQ(e.webhook, WebhookState::kPending);  // re-armed
  // Acknowledged escalations are not reminded.
  ASSERT_OK(desk().Acknowledge(r.escalation_id, "Sam").status());
  clock_.Advance(absl::Minutes(10));
  ASSERT_OK(desk().Sweep().status());
  EXPECT_EQ(store_->Get(r.escalation_id)->reminders, 1);
}

TEST_F(HandoffTest, WithoutAnyRouteToPeopleTheReplySaysSoHonestly) {
  GuideOptions options;
  options.clock = &clock_;
  options.escalations = store_.get();
  options.handoff.people_reachable = false;
  auto guide = Guide::Create(FixtureContent(), options);
  ASSERT_OK(guide.status());
  Message m;
  m.conversation_id = "c9";
  m.text = "kms";
  auto r = (*guide)->Converse(m);
  ASSERT_OK(r.status());
  EXPECT_EQ(r->messages.back(), "Could not tell the team.");
}

// A store that is down: every call fails.
class UnavailableStore : public EscalationStore {
 public:
  absl::Status Down() const { return absl::UnavailableError("disk gone"); }
  absl::StatusOr<Escalation> Create(Escalation) override { return Down(); }
  absl::StatusOr<Escalation> Get(const std::string&) override { return Down(); }
  absl::StatusOr<std::optional<Escalation>> ActiveFor(
      const std::string&) override {
    return Down();
  }
  absl::StatusOr<std::vector<Escalation>> ChangedSince(int64_t, int) override {
    return Down();
  }
  absl::StatusOr<std::vector<Escalation>> List(
      const std::vector<EscalationState>&, int) override {
    return Down();
  }
  absl::StatusOr<Escalation> SetState(const std::string&, EscalationState,
                                      const std::string&, absl::Time,
                                      absl::Time) override {
    return Down();
  }
  absl::StatusOr<int64_t> CurrentChange() override { return Down(); }
  absl::Status UpdateDelivery(const Escalation&) override { return Down(); }
  absl::StatusOr<std::vector<Escalation>> DueForWebhook(absl::Time) override {
    return Down();
  }
  absl::StatusOr<HandoffMessage> AddMessage(HandoffMessage) override {
    return Down();
  }
  absl::StatusOr<std::vector<HandoffMessage>> Messages(
      const std::string&) override {
    return Down();
  }
  absl::StatusOr<std::vector<HandoffMessage>> OutboundSince(int64_t,
                                                            const std::string&,
                                                            int) override {
    return Down();
  }
  absl::StatusOr<int64_t> LastMessageSeq() override { return Down(); }
  absl::StatusOr<int> PurgeBefore(absl::Time) override { return Down(); }
};

TEST(HandoffFailSafe, StoreDownStillAnswersTheCrisisHonestly) {
  ManualClock clock;
  UnavailableStore store;
  GuideOptions options;
  options.clock = &clock;
  options.escalations = &store;
  options.handoff.people_reachable = true;
  auto guide = Guide::Create(FixtureContent(), options);
  ASSERT_OK(guide.status());
  Message m;
  m.conversation_id = "c1";
  m.text = "I want to kill myself";
  auto r = (*guide)->Converse(m);
  ASSERT_OK(r.status());
  EXPECT_TRUE(r->escalated);
  EXPECT_FALSE(r->handed_off);
  EXPECT_EQ(r->messages.front(), "Crisis reply. Call 988 or 911.");
  EXPECT_EQ(r->messages.back(), "Could not tell the team.");
  // Not remembered as answered: a platform retry gets another chance to
  // record it.
  m.platform_message_id = "m1";
  EXPECT_FALSE((*guide)->Converse(m)->duplicate);
  EXPECT_FALSE((*guide)->Converse(m)->duplicate);
  m.platform_message_id.clear();
  // Ordinary messages are still answered while the store is down.
  m.text = "what is emdr";
  EXPECT_EQ((*guide)->Converse(m)->intent, "therapy.emdr");
}

TEST(ChangeSignal, WakesWaiters) {
  ChangeSignal signal;
  const uint64_t seen = signal.version();
  EXPECT_EQ(signal.WaitForChange(seen, absl::Milliseconds(1)), seen);
  signal.Notify();
  EXPECT_NE(signal.WaitForChange(seen, absl::Seconds(5)), seen);
}

}  // namespace
}  // namespace reconnect::bot
