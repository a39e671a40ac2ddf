#include "bot/sqlite_escalation_store.h"

#include "tests/testutil.h"

namespace reconnect::bot {
namespace {

using reconnect::testing::TempDir;

Escalation Sample(const std::string& conversation, absl::Time at) {
  Escalation e;
  e.conversation_id = conversation;
  e.channel = "web";
  e.category = "crisis.suicide";
  e.rule = "crisis.suicide#3";
  e.region = "US";
  e.trigger_text = "i want to end it all";
  e.created_at = at;
  return e;
}

class SqliteEscalationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteEscalationStore::Open(dir_.path() + "/data");
    ASSERT_OK(store.status());
    store_ = std::move(store).value();
  }
  TempDir dir_;
  std::unique_ptr<SqliteEscalationStore> store_;
  absl::Time t0_ = absl::FromUnixSeconds(1800000000);
};

TEST_F(SqliteEscalationStoreTest, CreateGetAndActive) {
  auto created = store_->Create(Sample("c1", t0_));
  ASSERT_OK(created.status());
  EXPECT_EQ(created->id.rfind("esc_", 0), 0u);
  EXPECT_EQ(created->id.size(), 20u);
  EXPECT_GT(created->change_seq, 0);
  auto got = store_->Get(created->id);
  ASSERT_OK(got.status());
  EXPECT_EQ(got->trigger_text, "i want to end it all");
  EXPECT_EQ(got->state, EscalationState::kOpen);
  EXPECT_EQ(got->created_at, t0_);
  auto active = store_->ActiveFor("c1");
  ASSERT_OK(active.status());
  ASSERT_TRUE(active->has_value());
  EXPECT_EQ((*active)->id, created->id);
  EXPECT_FALSE(store_->ActiveFor("c2")->has_value());
  EXPECT_EQ(store_->Get("esc_nope").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(SqliteEscalationStoreTest, SurvivesReopening) {
  std::string id = store_->Create(Sample("c1", t0_))->id;
  store_.reset();
  auto reopened = SqliteEscalationStore::Open(dir_.path() + "/data");
  ASSERT_OK(reopened.status());
  EXPECT_OK((*reopened)->Get(id).status());
}

TEST_F(SqliteEscalationStoreTest, StatesMoveForwardOnly) {
  std::string id = store_->Create(Sample("c1", t0_))->id;
  auto acked = store_->SetState(id, EscalationState::kAcknowledged, "Sam",
                                t0_ + absl::Minutes(1));
  ASSERT_OK(acked.status());
  EXPECT_EQ(acked->acknowledged_by, "Sam");
  ASSERT_OK(
      store_->SetState(id, EscalationState::kReleased, "Sam", t0_).status());
  EXPECT_FALSE(store_->ActiveFor("c1")->has_value());
  EXPECT_EQ(
      store_->SetState(id, EscalationState::kOpen, "", t0_).status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteEscalationStoreTest, ChangesAreOrderedForResuming) {
  auto a = store_->Create(Sample("c1", t0_));
  auto b = store_->Create(Sample("c2", t0_));
  ASSERT_OK(store_->SetState(a->id, EscalationState::kAcknowledged, "x", t0_)
                .status());
  auto changed = store_->ChangedSince(b->change_seq, 10);
  ASSERT_OK(changed.status());
  ASSERT_EQ(changed->size(), 1u);
  EXPECT_EQ((*changed)[0].id, a->id);
  EXPECT_EQ(store_->ChangedSince(0, 10)->size(), 2u);
}

TEST_F(SqliteEscalationStoreTest, MessagesAndOutbound) {
  EXPECT_EQ(*store_->LastMessageSeq(), 0);
  auto e = store_->Create(Sample("c1", t0_));
  HandoffMessage m;
  m.escalation_id = e->id;
  m.conversation_id = "c1";
  m.channel = "web";
  m.text = "are you there";
  m.created_at = t0_;
  ASSERT_OK(store_->AddMessage(m).status());
  m.sender = HandoffMessage::Sender::kOperator;
  m.author = "Sam";
  m.text = "I'm here";
  auto sent = store_->AddMessage(m);
  ASSERT_OK(sent.status());
  EXPECT_EQ(store_->Messages(e->id)->size(), 2u);
  auto outbound = store_->OutboundSince(0, "web", 10);
  ASSERT_EQ(outbound->size(), 1u);  // the user's own message is not outbound
  EXPECT_EQ((*outbound)[0].text, "I'm here");
  EXPECT_TRUE(store_->OutboundSince(0, "sms", 10)->empty());
  EXPECT_TRUE(store_->OutboundSince(sent->seq, "", 10)->empty());
  EXPECT_EQ(*store_->LastMessageSeq(), sent->seq);
  // A message is a change of its escalation, for watchers.
  EXPECT_GT(store_->Get(e->id)->change_seq, e->change_seq);
}

TEST_F(SqliteEscalationStoreTest, WebhookDueAndDelivery) {
  auto e = store_->Create(Sample("c1", t0_));
  EXPECT_EQ(store_->DueForWebhook(t0_)->size(), 1u);
  Escalation later = *e;
  later.webhook_attempts = 1;
  later.webhook_next_attempt = t0_ + absl::Seconds(30);
  ASSERT_OK(store_->UpdateDelivery(later));
  EXPECT_TRUE(store_->DueForWebhook(t0_ + absl::Seconds(10))->empty());
  EXPECT_EQ(store_->DueForWebhook(t0_ + absl::Seconds(30))->size(), 1u);
  later.webhook = WebhookState::kDelivered;
  ASSERT_OK(store_->UpdateDelivery(later));
  EXPECT_TRUE(store_->DueForWebhook(t0_ + absl::Hours(1))->empty());
  EXPECT_EQ(store_->Get(e->id)->webhook, WebhookState::kDelivered);
}

TEST_F(SqliteEscalationStoreTest, PurgeKeepsOpenEscalations) {
  auto open = store_->Create(Sample("c1", t0_));
  auto closed = store_->Create(Sample("c2", t0_));
  ASSERT_OK(store_->SetState(closed->id, EscalationState::kResolved, "", t0_)
                .status());
  auto purged = store_->PurgeBefore(t0_ + absl::Hours(1));
  ASSERT_OK(purged.status());
  EXPECT_EQ(*purged, 1);
  EXPECT_OK(store_->Get(open->id).status());
  EXPECT_FALSE(store_->Get(closed->id).ok());
}

}  // namespace
}  // namespace reconnect::bot
