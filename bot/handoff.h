// HandoffDesk: what happens between an escalation and the person who takes it.
//
// The guide calls Escalate() when the crisis screen flags a message, before
// it replies, and RecordUserMessage() for every later message while the
// conversation is with a person. People at the clinic act through the
// operator methods: acknowledge, write to the user, hand the conversation back
// (release) or close it (resolve). Sweep(), run periodically, returns idle
// hand-offs to the guide (telling the user) and re-notifies people about
// escalations nobody has acknowledged.
//
// Messages to users (from a person, or the guide's own released / timed-out
// notices) are stored as outbound hand-off messages; channels deliver them
// (Guide.Deliveries). Every change wakes ChangeSignal waiters, so watch
// streams see it at once.
//
// Thread-safe. Never reads the wall clock or the network itself.
#ifndef RECONNECT_BOT_HANDOFF_H_
#define RECONNECT_BOT_HANDOFF_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bot/clock.h"
#include "bot/content.h"
#include "bot/escalation_store.h"
#include "bot/renderer.h"

namespace reconnect::bot {

// A version number that waiters can block on until it moves.
class ChangeSignal {
 public:
  void Notify();
  // Returns the current version once it differs from `seen`, or when
  // `timeout` has passed (then possibly still equal to `seen`).
  uint64_t WaitForChange(uint64_t seen, absl::Duration timeout);
  uint64_t version();

 private:
  absl::Mutex mu_;
  uint64_t version_ ABSL_GUARDED_BY(mu_) = 0;
};

struct HandoffOptions {
  // A hand-off with no action from a person for this long returns to the
  // guide, and the user is told.
  absl::Duration idle_timeout = absl::Minutes(30);
  // An escalation nobody has acknowledged is notified again this often...
  absl::Duration remind_after = absl::Minutes(10);
  // ...at most this many times.
  int max_reminders = 6;
  // Whether any route reaches people (a webhook, or the operator API). When
  // false the guide says honestly that nobody could be told.
  bool people_reachable = false;
  // Whether escalations are sent to a webhook.
  bool webhook_configured = false;
};

class HandoffDesk {
 public:
  // `store`, `clock`, `content` and `renderer` must outlive the desk.
  HandoffDesk(EscalationStore* store, Clock* clock, const Content& content,
              const Renderer* renderer, const HandoffOptions& options);

  // Durably records a new escalation of `conversation_id` with the message
  // that triggered it. Returns the record, or the store's error.
  absl::StatusOr<Escalation> Escalate(const std::string& conversation_id,
                                      const std::string& channel,
                                      const std::string& category,
                                      const std::string& rule,
                                      const std::string& region,
                                      const std::string& text);

  // Returns the conversation's escalation that is with a person, if any.
  absl::StatusOr<std::optional<Escalation>> Active(
      const std::string& conversation_id);

  // Adds a user's message to a handed-off escalation.
  absl::Status RecordUserMessage(const Escalation& escalation,
                                 const std::string& text);

  // The sentence a crisis reply ends with: who knows, and when they can
  // answer. `recorded` is whether the escalation reached the store.
  std::string StatusSentence(bool recorded, const std::string& region) const;

  // Operator actions. `person` names who acted. NotFound for an unknown id,
  // FailedPrecondition when the escalation is no longer with a person.
  absl::StatusOr<Escalation> Acknowledge(const std::string& id,
                                         const std::string& person);
  absl::StatusOr<HandoffMessage> SendToUser(const std::string& id,
                                            const std::string& person,
                                            const std::string& text);
  absl::StatusOr<Escalation> Release(const std::string& id,
                                     const std::string& person);
  absl::StatusOr<Escalation> Resolve(const std::string& id,
                                     const std::string& person);

  // Times out idle hand-offs and arms reminders. Returns how many
  // escalations changed.
  absl::StatusOr<int> Sweep();

  EscalationStore* store() { return store_; }
  ChangeSignal& changes() { return changes_; }
  const HandoffOptions& options() const { return options_; }

 private:
  absl::StatusOr<HandoffMessage> Tell(const Escalation& escalation,
                                      const std::string& text);
  // Stores one message of the escalation's conversation, stamped now.
  absl::StatusOr<HandoffMessage> Append(const Escalation& escalation,
                                        HandoffMessage::Sender sender,
                                        const std::string& author,
                                        const std::string& text);
  // Returns escalation `id` if it is still with a person, else
  // FailedPrecondition (or NotFound).
  absl::StatusOr<Escalation> HandedOff(const std::string& id);

  EscalationStore* store_;
  Clock* clock_;
  const Content& content_;
  const Renderer* renderer_;
  HandoffOptions options_;
  ChangeSignal changes_;
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_HANDOFF_H_
