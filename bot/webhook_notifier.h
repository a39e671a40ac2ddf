// WebhookNotifier: tells people at the clinic about escalations through a
// signed webhook, at least once.
//
// Every escalation whose webhook is pending is POSTed to the configured URL as
// JSON, with
//   X-Reconnect-Signature: sha256=<hex HMAC-SHA256 of the raw body>
//   Idempotency-Key: <escalation id>   (a reminder: <id>.reminder-<n>)
// A 2xx answer counts as delivered. Anything else, or no answer, is retried
// with exponential back-off and jitter until `give_up_after` has passed since
// the notification was due; then the escalation is marked gave_up, which
// operators see. State lives in the EscalationStore, so a restart resumes
// exactly where delivery stood.
//
// The body carries ids, category, channel, state and times, and never the
// message text: a person reads that in the operator console or the CLI.
//
// RunOnce() does one round; the server calls it from a background thread.
// Not thread-safe: one caller at a time.
#ifndef RECONNECT_BOT_WEBHOOK_NOTIFIER_H_
#define RECONNECT_BOT_WEBHOOK_NOTIFIER_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "bot/clock.h"
#include "bot/escalation_store.h"
#include "bot/handoff.h"
#include "bot/http_client.h"

namespace reconnect::bot {

struct WebhookOptions {
  std::string url;
  std::string secret;
  absl::Duration first_retry = absl::Seconds(2);  // doubles each attempt...
  absl::Duration max_retry = absl::Minutes(5);    // ...up to this
  absl::Duration give_up_after = absl::Hours(24);
  absl::Duration timeout = absl::Seconds(10);  // per request
};

class WebhookNotifier {
 public:
  // Returns a value in [0, 1) for jitter; tests pass a fixed one.
  using Random = std::function<double()>;

  // All pointers must outlive the notifier. `changes` is notified when a
  // delivery state changes.
  WebhookNotifier(EscalationStore* store, HttpClient* http, Clock* clock,
                  ChangeSignal* changes, const WebhookOptions& options,
                  Random random = nullptr);

  struct Round {
    int delivered = 0;
    int failed = 0;  // will be retried
    int gave_up = 0;
  };
  // Sends every notification that is due now, once.
  Round RunOnce();

  // Returns the JSON body sent for `escalation`.
  static std::string Body(const Escalation& escalation);
  // Returns the Idempotency-Key for `escalation` in its current round.
  static std::string IdempotencyKey(const Escalation& escalation);

 private:
  absl::Duration Backoff(int attempts);

  EscalationStore* store_;
  HttpClient* http_;
  Clock* clock_;
  ChangeSignal* changes_;
  WebhookOptions options_;
  Random random_;
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_WEBHOOK_NOTIFIER_H_
