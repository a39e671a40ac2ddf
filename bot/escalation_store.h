// EscalationStore: the durable record of every escalation to a person.
//
// An escalation is written here before the crisis reply leaves the guide, so
// that nothing a person must see can be lost to a crash. It holds the
// triggering message (message text lives only here, never in logs), the
// messages exchanged during the hand-off, and the state of its delivery to
// people (webhook attempts, reminders).
//
// Every change bumps a store-wide change sequence, so watchers can resume
// exactly where they stopped ("give me everything after change 41").
//
// Implementations must be safe for concurrent use. SqliteEscalationStore is
// the embedded default (sqlite_escalation_store.h).
#ifndef RECONNECT_BOT_ESCALATION_STORE_H_
#define RECONNECT_BOT_ESCALATION_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace reconnect::bot {

// Where an escalation stands.
//   kOpen          waiting for a person; the conversation is handed off
//   kAcknowledged  a person has taken it; still handed off
//   kReleased      a person handed the conversation back to the guide
//   kTimedOut      nobody answered in time; back to the guide, user told
//   kResolved      closed by a person
enum class EscalationState {
  kOpen,
  kAcknowledged,
  kReleased,
  kTimedOut,
  kResolved
};

std::string StateName(EscalationState state);
std::optional<EscalationState> ParseState(const std::string& name);
// Returns true for the states in which the conversation is with a person.
bool IsHandedOff(EscalationState state);
// Returns true when an escalation may move from `from` to `to`: from open or
// acknowledged to anything but open; from released or timed out only to
// resolved; from resolved nowhere.
bool CanMove(EscalationState from, EscalationState to);

// How far the webhook notification has got.
enum class WebhookState { kPending, kDelivered, kGaveUp, kNotConfigured };
std::string WebhookStateName(WebhookState state);

struct Escalation {
  std::string id;  // "esc_" + 16 hex digits; also the webhook idempotency key
  std::string conversation_id;
  std::string channel;
  std::string category;  // crisis intent id, such as "crisis.suicide"
  std::string rule;      // the rule that matched, "<intent>#<n>"
  std::string region;
  std::string trigger_text;  // the message that escalated
  EscalationState state = EscalationState::kOpen;
  absl::Time created_at;
  absl::Time updated_at;
  absl::Time acknowledged_at = absl::InfinitePast();
  std::string acknowledged_by;
  int64_t change_seq = 0;  // the store-wide change that last touched it

  WebhookState webhook = WebhookState::kPending;
  int webhook_attempts = 0;
  absl::Time webhook_next_attempt = absl::InfinitePast();
  std::string webhook_last_error;
  int reminders = 0;  // times people were notified again
  absl::Time last_notified_at = absl::InfinitePast();
};

// A message in a handed-off conversation.
struct HandoffMessage {
  enum class Sender { kUser, kOperator, kGuide };
  int64_t seq = 0;  // store-wide, increasing
  std::string escalation_id;
  std::string conversation_id;
  std::string channel;
  Sender sender = Sender::kUser;
  std::string author;  // operator's name; empty otherwise
  std::string text;
  absl::Time created_at;
};

std::string SenderName(HandoffMessage::Sender sender);

class EscalationStore {
 public:
  virtual ~EscalationStore() = default;

  // Stores a new escalation, filling in its id and change_seq. Returns the
  // stored record. The record is durable when this returns OK.
  virtual absl::StatusOr<Escalation> Create(Escalation escalation) = 0;

  // Returns the escalation `id`, or NotFound.
  virtual absl::StatusOr<Escalation> Get(const std::string& id) = 0;

  // Returns the conversation's escalation that is still handed off (open or
  // acknowledged), the newest if several, or nullopt.
  virtual absl::StatusOr<std::optional<Escalation>> ActiveFor(
      const std::string& conversation_id) = 0;

  // Returns escalations changed after `after_seq`, oldest change first, at
  // most `limit`.
  virtual absl::StatusOr<std::vector<Escalation>> ChangedSince(
      int64_t after_seq, int limit) = 0;

  // Returns every escalation in `states` (all when empty), newest first.
  virtual absl::StatusOr<std::vector<Escalation>> List(
      const std::vector<EscalationState>& states, int limit) = 0;

  // Moves `id` to `state`, checking and writing in one transaction. `actor`
  // (a person's name) is recorded when acknowledging. When `unchanged_since`
  // is given, the move only happens if the record was last updated then
  // (Aborted otherwise), so a sweep cannot overwrite what a person just did.
  // Returns the updated record; NotFound for an unknown id;
  // FailedPrecondition when CanMove() forbids the move.
  virtual absl::StatusOr<Escalation> SetState(
      const std::string& id, EscalationState state, const std::string& actor,
      absl::Time now, absl::Time unchanged_since = absl::InfinitePast()) = 0;

  // Returns the store-wide change sequence now: watching after it sees only
  // what changes from here on.
  virtual absl::StatusOr<int64_t> CurrentChange() = 0;

  // Records the outcome of a webhook attempt (or a reminder) for `id`.
  virtual absl::Status UpdateDelivery(const Escalation& escalation) = 0;

  // Returns escalations whose webhook is pending with its next attempt due at
  // or before `now`.
  virtual absl::StatusOr<std::vector<Escalation>> DueForWebhook(
      absl::Time now) = 0;

  // Appends a message to the hand-off of `escalation_id`; fills in seq. A
  // user's message is refused with FailedPrecondition when the escalation is
  // no longer with a person (checked in the same transaction).
  virtual absl::StatusOr<HandoffMessage> AddMessage(HandoffMessage message) = 0;

  // Returns the messages of one escalation, oldest first.
  virtual absl::StatusOr<std::vector<HandoffMessage>> Messages(
      const std::string& escalation_id) = 0;

  // Returns messages to users (from operators or the guide) with seq after
  // `after_seq`, oldest first, for `channel` (all channels when empty).
  virtual absl::StatusOr<std::vector<HandoffMessage>> OutboundSince(
      int64_t after_seq, const std::string& channel, int limit) = 0;

  // Returns the newest message's seq (0 when there is none): where a
  // delivery stream that starts "from now" begins.
  virtual absl::StatusOr<int64_t> LastMessageSeq() = 0;

  // Deletes escalations (and their messages) last changed before `cutoff`
  // that are no longer handed off. Returns how many were deleted.
  virtual absl::StatusOr<int> PurgeBefore(absl::Time cutoff) = 0;
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_ESCALATION_STORE_H_
