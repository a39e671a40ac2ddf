#include "bot/webhook_notifier.h"

#include <nlohmann/json.hpp>
#include <random>

#include "absl/strings/str_cat.h"
#include "bot/signing.h"

namespace reconnect::bot {
namespace {

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

}  // namespace

WebhookNotifier::WebhookNotifier(EscalationStore* store, HttpClient* http,
                                 Clock* clock, ChangeSignal* changes,
                                 const WebhookOptions& options, Random random)
    : store_(store),
      http_(http),
      clock_(clock),
      changes_(changes),
      options_(options),
      random_(std::move(random)) {
  if (!random_) {
    random_ = [engine = std::mt19937_64(std::random_device()())]() mutable {
      return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
    };
  }
}

std::string WebhookNotifier::IdempotencyKey(const Escalation& e) {
  return e.reminders == 0 ? e.id
                          : absl::StrCat(e.id, ".reminder-", e.reminders);
}

std::string WebhookNotifier::Body(const Escalation& e) {
  nlohmann::json body = {
      {"event",
       e.reminders == 0 ? "escalation.created" : "escalation.reminder"},
      {"id", e.id},
      {"conversation_id", e.conversation_id},
      {"channel", e.channel},
      {"category", e.category},
      {"rule", e.rule},
      {"region", e.region},
      {"state", StateName(e.state)},
      {"created_at", Rfc3339(e.created_at)},
      {"reminder", e.reminders},
  };
  return body.dump();
}

absl::Duration WebhookNotifier::Backoff(int attempts) {
  absl::Duration delay = options_.first_retry;
  for (int i = 1; i < attempts && delay < options_.max_retry; ++i) delay *= 2;
  delay = std::min(delay, options_.max_retry);
  // "Equal jitter": half fixed, half random, so retries from many replicas
  // spread out but never come sooner than half the back-off.
  return delay / 2 + delay / 2 * random_();
}

WebhookNotifier::Round WebhookNotifier::RunOnce() {
  Round round;
  const absl::Time now = clock_->Now();
  absl::StatusOr<std::vector<Escalation>> due = store_->DueForWebhook(now);
  if (!due.ok()) return round;
  for (Escalation& e : *due) {
    const std::string body = Body(e);
    HttpRequest request;
    request.url = options_.url;
    request.body = body;
    request.timeout = options_.timeout;
    request.headers = {
        {"Content-Type", "application/json"},
        {"X-Reconnect-Signature",
         absl::StrCat("sha256=", HmacSha256Hex(options_.secret, body))},
        {"Idempotency-Key", IdempotencyKey(e)},
        {"User-Agent", "reconnect-webhook/1"}};
    absl::StatusOr<HttpResponse> response = http_->Send(request);
    ++e.webhook_attempts;
    if (response.ok() && response->status >= 200 && response->status < 300) {
      e.webhook = WebhookState::kDelivered;
      e.webhook_last_error.clear();
      e.last_notified_at = clock_->Now();
      ++round.delivered;
    } else {
      e.webhook_last_error = response.ok()
                                 ? absl::StrCat("HTTP ", response->status)
                                 : std::string(response.status().message());
      const absl::Time due_since =
          e.reminders > 0 ? e.last_notified_at : e.created_at;
      if (clock_->Now() - due_since >= options_.give_up_after) {
        e.webhook = WebhookState::kGaveUp;
        ++round.gave_up;
      } else {
        e.webhook_next_attempt = clock_->Now() + Backoff(e.webhook_attempts);
        ++round.failed;
      }
    }
    if (store_->UpdateDelivery(e).ok() && changes_ != nullptr) {
      changes_->Notify();
    }
  }
  return round;
}

}  // namespace reconnect::bot
