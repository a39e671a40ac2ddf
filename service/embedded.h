// Embedded: the guide with everything it needs in one process, the default a
// clinic runs: content, sessions in memory, escalations in SQLite under the
// data folder, the webhook notifier, and a background worker that sweeps
// hand-offs (time-outs, reminders) and delivers webhooks.
//
// `reconnect serve` wraps it in the gRPC server; `reconnect chat` talks to it
// directly. Configuration from the environment:
//   RECONNECT_ESCALATION_WEBHOOK_URL, RECONNECT_ESCALATION_WEBHOOK_SECRET
//   RECONNECT_OPERATOR_TOKEN
#ifndef RECONNECT_SERVICE_EMBEDDED_H_
#define RECONNECT_SERVICE_EMBEDDED_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "bot/guide.h"
#include "bot/http_client.h"
#include "bot/sqlite_escalation_store.h"
#include "bot/webhook_notifier.h"

namespace reconnect::service {

struct EmbeddedOptions {
  std::string intents_dir;
  std::string clinic_file;
  std::string data_dir = "var";
  bot::GuideOptions guide;      // escalations and handoff are filled in here
  bot::WebhookOptions webhook;  // url empty: no webhook
  std::string operator_token;   // empty: operator API off
  // How often the worker sweeps and retries deliveries when nothing wakes it.
  absl::Duration worker_period = absl::Seconds(1);
  // Escalations closed for longer than this are deleted (0 keeps them).
  absl::Duration retention = absl::Hours(24 * 90);
};

// Reads the environment variables above into `options`. Secrets are never
// printed.
void ReadEnvironment(EmbeddedOptions* options);

class Embedded {
 public:
  // Loads content, opens the store and starts the worker. Fails when the
  // content or crisis rules are broken, or the data folder is not writable:
  // the guide never runs without a place to record escalations.
  static absl::StatusOr<std::unique_ptr<Embedded>> Start(
      const EmbeddedOptions& options);
  ~Embedded();  // stops the worker

  bot::Guide* guide() { return guide_.get(); }
  const EmbeddedOptions& options() const { return options_; }

 private:
  explicit Embedded(const EmbeddedOptions& options) : options_(options) {}
  void Work();

  EmbeddedOptions options_;
  std::unique_ptr<bot::SqliteEscalationStore> store_;
  std::unique_ptr<bot::Guide> guide_;
  std::unique_ptr<bot::HttpClient> http_;
  std::unique_ptr<bot::WebhookNotifier> notifier_;
  absl::Notification stop_;
  std::thread worker_;
};

}  // namespace reconnect::service

#endif  // RECONNECT_SERVICE_EMBEDDED_H_
