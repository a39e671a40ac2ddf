#include "service/embedded.h"

#include <cstdlib>
#include <iostream>

#include "bot/status_macros.h"

namespace reconnect::service {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

}  // namespace

void ReadEnvironment(EmbeddedOptions* options) {
  options->webhook.url = Env("RECONNECT_ESCALATION_WEBHOOK_URL");
  options->webhook.secret = Env("RECONNECT_ESCALATION_WEBHOOK_SECRET");
  options->operator_token = Env("RECONNECT_OPERATOR_TOKEN");
}

absl::StatusOr<std::unique_ptr<Embedded>> Embedded::Start(
    const EmbeddedOptions& options) {
  std::unique_ptr<Embedded> e(new Embedded(options));
  if (!options.webhook.url.empty() && options.webhook.secret.empty()) {
    return absl::InvalidArgumentError(
        "RECONNECT_ESCALATION_WEBHOOK_URL is set but "
        "RECONNECT_ESCALATION_WEBHOOK_SECRET is not: webhooks must be signed");
  }
  RECONNECT_ASSIGN_OR_RETURN(
      e->store_, bot::SqliteEscalationStore::Open(options.data_dir));
  bot::GuideOptions guide_options = options.guide;
  guide_options.escalations = e->store_.get();
  guide_options.handoff.webhook_configured = !options.webhook.url.empty();
  guide_options.handoff.people_reachable =
      !options.webhook.url.empty() || !options.operator_token.empty();
  RECONNECT_ASSIGN_OR_RETURN(
      e->guide_, bot::Guide::Create(options.intents_dir, options.clinic_file,
                                    guide_options));
  bot::Clock* clock =
      guide_options.clock ? guide_options.clock : bot::Clock::Real();
  if (!options.webhook.url.empty()) {
    e->http_ = bot::NewCurlHttpClient();
    e->notifier_ = std::make_unique<bot::WebhookNotifier>(
        e->store_.get(), e->http_.get(), clock,
        &e->guide_->handoff()->changes(), options.webhook);
  }
  e->worker_ = std::thread([raw = e.get()] { raw->Work(); });
  return e;
}

Embedded::~Embedded() {
  stop_.Notify();
  if (worker_.joinable()) worker_.join();
}

void Embedded::Work() {
  bot::HandoffDesk* desk = guide_->handoff();
  bot::Clock* clock =
      options_.guide.clock ? options_.guide.clock : bot::Clock::Real();
  absl::Time last_purge = absl::InfinitePast();
  while (!stop_.HasBeenNotified()) {
    const uint64_t seen = desk->changes().version();
    if (absl::StatusOr<int> swept = desk->Sweep(); !swept.ok()) {
      std::cerr << "reconnect: hand-off sweep failed: "
                << swept.status().message() << "\n";
    }
    if (notifier_ != nullptr) {
      bot::WebhookNotifier::Round round = notifier_->RunOnce();
      if (round.gave_up > 0) {
        // Ids only: escalations carry health information.
        std::cerr << "reconnect: escalation webhook gave up on "
                  << round.gave_up
                  << " notification(s); operators see them as gave_up\n";
      }
    }
    if (options_.retention > absl::ZeroDuration() &&
        clock->Now() - last_purge > absl::Hours(1)) {
      last_purge = clock->Now();
      desk->store()
          ->PurgeBefore(clock->Now() - options_.retention)
          .IgnoreError();
    }
    // Wake at once for a new escalation (its webhook should leave now), or
    // after the period for retries, reminders and time-outs.
    desk->changes().WaitForChange(seen, options_.worker_period);
  }
}

}  // namespace reconnect::service
