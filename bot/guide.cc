#include "bot/guide.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "bot/content_loader.h"
#include "bot/normalizer.h"
#include "bot/status_macros.h"

namespace reconnect::bot {
namespace {

constexpr size_t kMaxConversationIdBytes = 128;
// The category of an escalation made because a message could not be
// screened (the screen or the guide failed): a person should look at it.
constexpr char kUnscreenedCategory[] = "crisis.unscreened";

absl::Status CheckConversationId(const std::string& id) {
  if (id.empty()) {
    return absl::InvalidArgumentError("conversation_id is required");
  }
  if (id.size() > kMaxConversationIdBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "conversation_id is longer than ", kMaxConversationIdBytes, " bytes"));
  }
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError(
          "conversation_id must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Guide>> Guide::Create(
    const std::string& intents_dir, const std::string& clinic_file,
    const GuideOptions& options) {
  RECONNECT_ASSIGN_OR_RETURN(Content content,
                             LoadContent(intents_dir, clinic_file));
  return Create(std::move(content), options);
}

absl::StatusOr<std::unique_ptr<Guide>> Guide::Create(
    Content content, const GuideOptions& options) {
  std::unique_ptr<Guide> guide(
      new Guide(std::make_unique<Content>(std::move(content)), options));
  RECONNECT_ASSIGN_OR_RETURN(
      guide->screen_,
      CrisisScreen::Create(*guide->content_, options.matcher.pattern_set));
  RECONNECT_ASSIGN_OR_RETURN(
      guide->matcher_, Matcher::Create(*guide->content_, options.matcher));
  return guide;
}

Guide::Guide(std::unique_ptr<Content> content, const GuideOptions& options)
    : options_(options),
      content_(std::move(content)),
      dialogue_(std::make_unique<Dialogue>(*content_)),
      renderer_(std::make_unique<Renderer>(
          *content_, options.clock ? options.clock : Clock::Real())) {
  if (options_.clock == nullptr) options_.clock = Clock::Real();
  if (options_.escalations != nullptr) {
    handoff_ = std::make_unique<HandoffDesk>(options_.escalations,
                                             options_.clock, *content_,
                                             renderer_.get(), options_.handoff);
  }
  store_ = options_.session_store;
  if (store_ == nullptr) {
    owned_store_ = std::make_unique<InMemorySessionStore>(options_.sessions,
                                                          options_.clock);
    store_ = owned_store_.get();
  }
}

absl::StatusOr<Reply> Guide::Converse(const Message& message) {
  RECONNECT_RETURN_IF_ERROR(CheckConversationId(message.conversation_id));
  const std::string region = renderer_->RegionFor(message.locale);
  absl::Mutex& lock =
      conversation_locks_[std::hash<std::string>()(message.conversation_id) %
                          conversation_locks_.size()];
  absl::MutexLock hold(&lock);

  // A store that cannot be read must not stop the message being screened and
  // answered: the conversation simply starts afresh.
  Session session;
  absl::StatusOr<std::optional<Session>> loaded =
      store_->Load(message.conversation_id);
  if (loaded.ok() && loaded->has_value()) session = std::move(**loaded);

  // A platform retry repeats the id and the text. The same id with other
  // text (a client that restarted its numbering) is a new message and is
  // screened like any other.
  const size_t text_hash = std::hash<std::string>()(message.text);
  if (!message.platform_message_id.empty()) {
    for (const auto& answered : session.answered) {
      if (answered.message_id != message.platform_message_id ||
          answered.text_hash != text_hash) {
        continue;
      }
      Reply again = answered.reply;
      again.duplicate = true;
      return again;
    }
  }

  absl::StatusOr<Reply> reply;
  try {
    Session next = session;
    reply = Turn(message, region, &next);
    if (reply.ok()) session = std::move(next);
  } catch (...) {
    // Nothing in the stages is meant to throw; if something does (memory),
    // the person still gets a safe answer.
    reply = FailSafe();
  }
  if (!reply.ok()) return reply;
  reply->messages = renderer_->Fill(reply->messages, region);
  if (reply->escalated) {
    reply->region = region;
    reply->resources = renderer_->ResourcesFor(region).resources;
  }
  // An escalation that could not be recorded is not remembered, so the
  // platform's retry gets another chance to record it.
  const bool unrecorded =
      reply->escalated && !reply->handed_off && handoff_ != nullptr;
  if (!message.platform_message_id.empty() && !unrecorded) {
    session.answered.push_back(
        {message.platform_message_id, text_hash, *reply});
    if (session.answered.size() > options_.remembered_message_ids) {
      session.answered.erase(session.answered.begin());
    }
  }
  store_->Save(message.conversation_id, session).IgnoreError();
  return reply;
}

absl::StatusOr<Reply> Guide::Turn(const Message& message,
                                  const std::string& region, Session* session) {
  const std::string normalized = Normalize(message.text);
  // Whether a person has this conversation comes from the durable store, not
  // the session, so a hand-off survives restarts and session expiry. If the
  // store cannot be read the message is still screened and answered.
  std::optional<Escalation> active;
  if (handoff_ != nullptr) {
    absl::StatusOr<std::optional<Escalation>> found =
        handoff_->Active(message.conversation_id);
    if (found.ok()) active = *found;
  }
  absl::StatusOr<ScreenResult> screen = screen_->Screen(normalized);
  if (!screen.ok()) {
    // The screen could not decide: fail closed, treat it as a crisis and let
    // a person look at it.
    Reply reply =
        dialogue_->SystemReply(Dialogue::SystemKind::kError, session, true);
    reply.category = kUnscreenedCategory;
    HandOff(message, region, &reply);
    return reply;
  }
  if (screen->escalate) {
    Reply reply =
        dialogue_->Respond(normalized, *screen, MatchResult{}, session);
    HandOff(message, region, &reply);
    return reply;
  }
  if (LooksBinary(message.text)) {
    return absl::InvalidArgumentError(
        "the message looks like binary data, not text; send it as UTF-8 text");
  }
  if (normalized.empty()) {
    return dialogue_->SystemReply(Dialogue::SystemKind::kEmpty, session, false);
  }
  if (active.has_value() &&
      handoff_->RecordUserMessage(*active, DecodeUtf8Lossy(message.text))
          .ok()) {
    Reply reply;
    reply.intent = "system.holding";
    reply.messages =
        content_->system.holding.empty()
            ? content_->system.error
            : content_->system
                  .holding[session->turns++ % content_->system.holding.size()];
    reply.escalated = true;
    reply.handed_off = true;
    reply.category = active->category;
    reply.escalation_id = active->id;
    session->offered.clear();
    return reply;
  }
  // Not recorded: the hand-off ended meanwhile (or the store failed), so the
  // guide answers as usual.
  if (message.text.size() > options_.max_message_bytes) {
    return dialogue_->SystemReply(Dialogue::SystemKind::kTooLong, session,
                                  false);
  }
  absl::StatusOr<MatchResult> match = matcher_->Match(normalized);
  if (!match.ok()) {
    return dialogue_->SystemReply(Dialogue::SystemKind::kError, session, false);
  }
  Reply reply = dialogue_->Respond(normalized, *screen, *match, session);
  // A tapped "Talk to a person" escalates without the crisis screen's help.
  if (reply.escalated) HandOff(message, region, &reply);
  return reply;
}

void Guide::HandOff(const Message& message, const std::string& region,
                    Reply* reply) {
  bool recorded = false;
  if (handoff_ != nullptr) {
    // Every crisis message is its own escalation, even during a hand-off:
    // people are notified afresh, and its timers start again.
    absl::StatusOr<Escalation> stored = handoff_->Escalate(
        message.conversation_id, message.channel, reply->category,
        reply->rules.empty() ? "" : reply->rules.front(), region,
        DecodeUtf8Lossy(message.text));
    recorded = stored.ok();
    if (recorded) reply->escalation_id = stored->id;
    reply->messages.push_back(handoff_->StatusSentence(recorded, region));
  } else {
    reply->messages.push_back(content_->system.not_notified);
  }
  reply->handed_off = recorded;
}

Reply Guide::FailSafe() {
  // Whatever failed, the message may have been a cry for help: fail closed
  // with the resources, and say honestly that nobody was told.
  Session scratch;
  Reply reply = dialogue_->SystemReply(Dialogue::SystemKind::kError, &scratch,
                                       /*escalate=*/true);
  reply.category = kUnscreenedCategory;
  reply.messages.push_back(content_->system.not_notified);
  return reply;
}

ClinicCard Guide::Clinic(const std::string& locale) const {
  ClinicCard card;
  card.name = content_->clinic.name;
  card.region = renderer_->RegionFor(locale);
  const RegionResources& resources = renderer_->ResourcesFor(card.region);
  card.emergency_number = resources.emergency_number;
  card.resources = resources.resources;
  return card;
}

}  // namespace reconnect::bot
