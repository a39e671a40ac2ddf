#include "bot/handoff.h"

#include "bot/status_macros.h"

namespace reconnect::bot {

void ChangeSignal::Notify() {
  absl::MutexLock lock(&mu_);
  ++version_;
}

uint64_t ChangeSignal::WaitForChange(uint64_t seen, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto moved = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return version_ != seen;
  };
  mu_.AwaitWithTimeout(absl::Condition(&moved), timeout);
  return version_;
}

uint64_t ChangeSignal::version() {
  absl::MutexLock lock(&mu_);
  return version_;
}

HandoffDesk::HandoffDesk(EscalationStore* store, Clock* clock,
                         const Content& content, const Renderer* renderer,
                         const HandoffOptions& options)
    : store_(store),
      clock_(clock),
      content_(content),
      renderer_(renderer),
      options_(options) {}

absl::StatusOr<Escalation> HandoffDesk::Escalate(
    const std::string& conversation_id, const std::string& channel,
    const std::string& category, const std::string& rule,
    const std::string& region, const std::string& text) {
  Escalation e;
  e.conversation_id = conversation_id;
  e.channel = channel;
  e.category = category;
  e.rule = rule;
  e.region = region;
  e.trigger_text = text;
  e.created_at = clock_->Now();
  e.webhook = options_.webhook_configured ? WebhookState::kPending
                                          : WebhookState::kNotConfigured;
  RECONNECT_ASSIGN_OR_RETURN(Escalation stored, store_->Create(std::move(e)));
  changes_.Notify();
  return stored;
}

absl::StatusOr<std::optional<Escalation>> HandoffDesk::Active(
    const std::string& conversation_id) {
  return store_->ActiveFor(conversation_id);
}

absl::Status HandoffDesk::RecordUserMessage(const Escalation& escalation,
                                            const std::string& text) {
  RECONNECT_RETURN_IF_ERROR(
      Append(escalation, HandoffMessage::Sender::kUser, "", text).status());
  changes_.Notify();
  return absl::OkStatus();
}

std::string HandoffDesk::StatusSentence(bool recorded,
                                        const std::string& region) const {
  const SystemMessages& s = content_.system;
  if (!recorded || !options_.people_reachable) {
    return renderer_->Fill(s.not_notified, region);
  }
  const bool open = content_.clinic.opening_hours.IsOpen(clock_->Now());
  return renderer_->Fill(open ? s.notified_open : s.notified_closed, region);
}

absl::StatusOr<HandoffMessage> HandoffDesk::Append(
    const Escalation& escalation, HandoffMessage::Sender sender,
    const std::string& author, const std::string& text) {
  HandoffMessage m;
  m.escalation_id = escalation.id;
  m.conversation_id = escalation.conversation_id;
  m.channel = escalation.channel;
  m.sender = sender;
  m.author = author;
  m.text = text;
  m.created_at = clock_->Now();
  return store_->AddMessage(std::move(m));
}

absl::StatusOr<HandoffMessage> HandoffDesk::Tell(const Escalation& escalation,
                                                 const std::string& text) {
  return Append(escalation, HandoffMessage::Sender::kGuide, "",
                renderer_->Fill(text, escalation.region));
}

absl::StatusOr<Escalation> HandoffDesk::HandedOff(const std::string& id) {
  RECONNECT_ASSIGN_OR_RETURN(Escalation e, store_->Get(id));
  if (!IsHandedOff(e.state)) {
    return absl::FailedPreconditionError(
        "the conversation is no longer with a person; it was " +
        StateName(e.state));
  }
  return e;
}

absl::StatusOr<Escalation> HandoffDesk::Acknowledge(const std::string& id,
                                                    const std::string& person) {
  RECONNECT_ASSIGN_OR_RETURN(
      Escalation e, store_->SetState(id, EscalationState::kAcknowledged, person,
                                     clock_->Now()));
  changes_.Notify();
  return e;
}

absl::StatusOr<HandoffMessage> HandoffDesk::SendToUser(
    const std::string& id, const std::string& person, const std::string& text) {
  RECONNECT_ASSIGN_OR_RETURN(Escalation e, HandedOff(id));
  // Writing to the user is taking the conversation: acknowledge it too,
  // which also counts as activity for the idle timeout.
  RECONNECT_ASSIGN_OR_RETURN(
      e,
      store_->SetState(id, EscalationState::kAcknowledged,
                       e.acknowledged_by.empty() ? person : e.acknowledged_by,
                       clock_->Now()));
  RECONNECT_ASSIGN_OR_RETURN(
      HandoffMessage stored,
      Append(e, HandoffMessage::Sender::kOperator, person, text));
  changes_.Notify();
  return stored;
}

absl::StatusOr<Escalation> HandoffDesk::Release(const std::string& id,
                                                const std::string& person) {
  RECONNECT_RETURN_IF_ERROR(HandedOff(id).status());
  RECONNECT_ASSIGN_OR_RETURN(
      Escalation e,
      store_->SetState(id, EscalationState::kReleased, person, clock_->Now()));
  RECONNECT_RETURN_IF_ERROR(Tell(e, content_.system.released).status());
  changes_.Notify();
  return e;
}

absl::StatusOr<Escalation> HandoffDesk::Resolve(const std::string& id,
                                                const std::string& person) {
  RECONNECT_ASSIGN_OR_RETURN(
      Escalation e,
      store_->SetState(id, EscalationState::kResolved, person, clock_->Now()));
  changes_.Notify();
  return e;
}

absl::StatusOr<int> HandoffDesk::Sweep() {
  const absl::Time now = clock_->Now();
  // Timed-out escalations nobody acknowledged are still owed a person's
  // attention: they keep being reminded, and operators keep seeing them.
  RECONNECT_ASSIGN_OR_RETURN(
      std::vector<Escalation> pending,
      store_->List({EscalationState::kOpen, EscalationState::kAcknowledged,
                    EscalationState::kTimedOut},
                   10000));
  int changed = 0;
  for (Escalation& e : pending) {
    if (IsHandedOff(e.state) && now - e.updated_at >= options_.idle_timeout) {
      absl::StatusOr<Escalation> timed_out = store_->SetState(
          e.id, EscalationState::kTimedOut, "", now, e.updated_at);
      if (timed_out.ok()) {
        Tell(*timed_out, content_.system.timed_out).IgnoreError();
        e = *timed_out;
        ++changed;
      } else if (!absl::IsAborted(timed_out.status()) &&
                 !absl::IsFailedPrecondition(timed_out.status())) {
        return timed_out.status();
      }
      // Aborted or FailedPrecondition: a person acted meanwhile; leave it.
    }
    if (!e.acknowledged_by.empty() || e.reminders >= options_.max_reminders) {
      continue;
    }
    const absl::Time last = std::max(e.last_notified_at, e.created_at);
    if (now - last < options_.remind_after) continue;
    ++e.reminders;
    e.last_notified_at = now;
    if (e.webhook != WebhookState::kNotConfigured) {
      e.webhook = WebhookState::kPending;
      e.webhook_attempts = 0;
      e.webhook_next_attempt = now;
      e.webhook_last_error.clear();
    }
    RECONNECT_RETURN_IF_ERROR(store_->UpdateDelivery(e));
    ++changed;
  }
  if (changed > 0) changes_.Notify();
  return changed;
}

}  // namespace reconnect::bot
