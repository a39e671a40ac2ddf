#include "bot/webhook_notifier.h"

#include <deque>
#include <nlohmann/json.hpp>

#include "bot/signing.h"
#include "bot/sqlite_escalation_store.h"
#include "tests/testutil.h"

namespace reconnect::bot {
namespace {

using reconnect::testing::TempDir;

// Answers with queued results and records every request.
class FakeHttpClient : public HttpClient {
 public:
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override {
    requests.push_back(request);
    if (answers.empty()) return HttpResponse{200, ""};
    auto answer = answers.front();
    answers.pop_front();
    return answer;
  }
  static std::string Header(const HttpRequest& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) return v;
    }
    return "";
  }
  std::vector<HttpRequest> requests;
  std::deque<absl::StatusOr<HttpResponse>> answers;
};

class WebhookNotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(absl::FromUnixSeconds(1800000000));
    store_ = std::move(SqliteEscalationStore::Open(dir_.path())).value();
    options_.url = "http://127.0.0.1:9/hook";
    options_.secret = "s3cret";
    options_.first_retry = absl::Seconds(2);
    options_.max_retry = absl::Seconds(60);
    options_.give_up_after = absl::Minutes(10);
    Escalation e;
    e.conversation_id = "c1";
    e.channel = "web";
    e.category = "crisis.suicide";
    e.trigger_text = "secret words";
    e.created_at = clock_.Now();
    id_ = store_->Create(e)->id;
  }
  WebhookNotifier Notifier() {
    return WebhookNotifier(store_.get(), &http_, &clock_, nullptr, options_,
                           [] { return 1.0; });  // jitter at its maximum
  }

  ManualClock clock_;
  TempDir dir_;
  std::unique_ptr<SqliteEscalationStore> store_;
  FakeHttpClient http_;
  WebhookOptions options_;
  std::string id_;
};

TEST_F(WebhookNotifierTest, PostsASignedBodyWithTheIdempotencyKey) {
  WebhookNotifier notifier = Notifier();
  EXPECT_EQ(notifier.RunOnce().delivered, 1);
  ASSERT_EQ(http_.requests.size(), 1u);
  const HttpRequest& r = http_.requests[0];
  EXPECT_EQ(r.url, options_.url);
  EXPECT_EQ(FakeHttpClient::Header(r, "X-Reconnect-Signature"),
            "sha256=" + HmacSha256Hex("s3cret", r.body));
  EXPECT_EQ(FakeHttpClient::Header(r, "Idempotency-Key"), id_);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["id"], id_);
  EXPECT_EQ(body["category"], "crisis.suicide");
  EXPECT_EQ(body["event"], "escalation.created");
  // The message text never leaves in a webhook.
  EXPECT_EQ(r.body.find("secret words"), std::string::npos);
  EXPECT_EQ(store_->Get(id_)->webhook, WebhookState::kDelivered);
  // Delivered once: nothing more to send.
  EXPECT_EQ(notifier.RunOnce().delivered, 0);
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(WebhookNotifierTest, RetriesWithGrowingBackoffUntilDelivered) {
  http_.answers = {HttpResponse{503, ""}, absl::UnavailableError("refused"),
                   HttpResponse{200, ""}};
  WebhookNotifier notifier = Notifier();
  EXPECT_EQ(notifier.RunOnce().failed, 1);
  Escalation e = *store_->Get(id_);
  EXPECT_EQ(e.webhook_last_error, "HTTP 503");
  EXPECT_EQ(e.webhook_next_attempt, clock_.Now() + absl::Seconds(2));
  EXPECT_EQ(notifier.RunOnce().failed, 0);  // not due yet
  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(notifier.RunOnce().failed, 1);
  EXPECT_EQ(store_->Get(id_)->webhook_next_attempt,
            clock_.Now() + absl::Seconds(4));
  clock_.Advance(absl::Seconds(4));
  EXPECT_EQ(notifier.RunOnce().delivered, 1);
  ASSERT_EQ(http_.requests.size(), 3u);
  // Every retry carries the same idempotency key.
  for (const auto& r : http_.requests) {
    EXPECT_EQ(FakeHttpClient::Header(r, "Idempotency-Key"), id_);
  }
}

TEST_F(WebhookNotifierTest, GivesUpAfterTheConfiguredTimeAndSaysSo) {
  for (int i = 0; i < 100; ++i) http_.answers.push_back(HttpResponse{500, ""});
  WebhookNotifier notifier = Notifier();
  int gave_up = 0;
  for (int i = 0; i < 100 && gave_up == 0; ++i) {
    gave_up += notifier.RunOnce().gave_up;
    clock_.Advance(absl::Seconds(61));
  }
  EXPECT_EQ(gave_up, 1);
  EXPECT_EQ(store_->Get(id_)->webhook, WebhookState::kGaveUp);
  const size_t sent = http_.requests.size();
  clock_.Advance(absl::Hours(1));
  notifier.RunOnce();
  EXPECT_EQ(http_.requests.size(), sent);
}

TEST_F(WebhookNotifierTest, RemindersCarryTheirOwnKey) {
  Escalation e = *store_->Get(id_);
  e.reminders = 2;
  e.last_notified_at = clock_.Now();
  ASSERT_OK(store_->UpdateDelivery(e));
  Notifier().RunOnce();
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(FakeHttpClient::Header(http_.requests[0], "Idempotency-Key"),
            id_ + ".reminder-2");
  EXPECT_EQ(nlohmann::json::parse(http_.requests[0].body)["event"],
            "escalation.reminder");
}

}  // namespace
}  // namespace reconnect::bot
