// Guide: the whole conversational guide behind one call.
//
// A message goes through the stages in this order, each in its own header:
//   normalizer.h     canonical text (the whole message, however long)
//   crisis_screen.h  danger or a request for a person: escalate, always first
//   matcher.h        which topic, in one RE2::Set pass
//   dialogue.h       what to answer, given the conversation so far
//   renderer.h       clinic settings and regional resources filled in
// and, when a message escalates, handoff.h: the escalation is recorded durably
// before the reply leaves, and later messages of the conversation go to the
// person handling it (the guide only answers with a holding message and the
// resources, and keeps screening) until that person releases it or it times
// out.
//
// Converse() never loses a cry for help: text with invalid UTF-8 is repaired
// and answered; text over max_message_bytes is screened whole, escalated if it
// matches, and otherwise answered with a request to send shorter parts; even
// what looks like binary data is screened before it is refused. Any internal
// failure yields the fail-safe reply (how to reach a person, the emergency
// number) rather than an error or silence; when the crisis screen itself
// fails, that reply is escalated.
//
// Thread-safe. Turns of one conversation are serialised; different
// conversations run in parallel.
#ifndef RECONNECT_BOT_GUIDE_H_
#define RECONNECT_BOT_GUIDE_H_

#include <array>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "bot/clock.h"
#include "bot/content.h"
#include "bot/crisis_screen.h"
#include "bot/dialogue.h"
#include "bot/escalation_store.h"
#include "bot/handoff.h"
#include "bot/matcher.h"
#include "bot/renderer.h"
#include "bot/reply.h"
#include "bot/session_store.h"

namespace reconnect::bot {

struct GuideOptions {
  // Messages longer than this many bytes are screened for crisis but not
  // answered on topic.
  size_t max_message_bytes = 4096;
  // Where time comes from; null means Clock::Real(). Not owned.
  Clock* clock = nullptr;
  // Where conversation state lives; null means an InMemorySessionStore with
  // `sessions` options, owned by the guide. Not owned otherwise.
  SessionStore* session_store = nullptr;
  InMemorySessionStore::Options sessions;
  Matcher::Options matcher;
  // How many answered platform message ids each conversation remembers for
  // de-duplication.
  size_t remembered_message_ids = 32;
  // Where escalations are recorded. Null means none is: the guide still
  // replies with crisis resources but says nobody could be told (as
  // `classify` and `lint` do). Not owned.
  EscalationStore* escalations = nullptr;
  HandoffOptions handoff;
};

// One message from a person.
struct Message {
  std::string channel;
  std::string conversation_id;
  std::string platform_message_id;  // may be empty
  std::string text;                 // raw bytes, ideally UTF-8
  std::string locale;               // BCP 47, may be empty
};

// What a chat window shows before the first message.
struct ClinicCard {
  std::string name;
  std::string region;
  std::string emergency_number;
  std::vector<Resource> resources;
};

class Guide {
 public:
  // Returns a guide over the content in folder `intents_dir`. Fails with every
  // content problem listed, or when the crisis rules are missing or do not
  // compile: a guide without its crisis screen must not run.
  // `clinic_file`, when not empty, replaces intents_dir/clinic.yaml.
  static absl::StatusOr<std::unique_ptr<Guide>> Create(
      const std::string& intents_dir, const std::string& clinic_file,
      const GuideOptions& options);
  static absl::StatusOr<std::unique_ptr<Guide>> Create(
      Content content, const GuideOptions& options);

  // Returns the reply to `message`. Returns InvalidArgument only for what
  // cannot be served: a missing or malformed conversation id, or binary data
  // that does not screen as a crisis.
  absl::StatusOr<Reply> Converse(const Message& message);

  // The clinic's name and the crisis resources for a person with `locale`.
  ClinicCard Clinic(const std::string& locale) const;

  const Content& content() const { return *content_; }
  // The hand-off desk, for operator actions; null without an escalation store.
  HandoffDesk* handoff() { return handoff_.get(); }

  Guide(const Guide&) = delete;
  Guide& operator=(const Guide&) = delete;

 private:
  Guide(std::unique_ptr<Content> content, const GuideOptions& options);
  absl::StatusOr<Reply> Turn(const Message& message, const std::string& region,
                             Session* session);
  // Records the escalation (or adds to the one in progress) and completes
  // the crisis reply with what is true about who was told.
  void HandOff(const Message& message, const std::string& region, Reply* reply);
  Reply FailSafe();

  GuideOptions options_;
  std::unique_ptr<Content> content_;  // stable address for the stages
  std::unique_ptr<CrisisScreen> screen_;
  std::unique_ptr<Matcher> matcher_;
  std::unique_ptr<Dialogue> dialogue_;
  std::unique_ptr<Renderer> renderer_;
  std::unique_ptr<HandoffDesk> handoff_;
  std::unique_ptr<SessionStore> owned_store_;
  SessionStore* store_;
  std::array<absl::Mutex, 64> conversation_locks_;
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_GUIDE_H_
