#include "bot/guide.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "bot/content_loader.h"
#include "bot/normalizer.h"
#include "bot/status_macros.h"

namespace reconnect::bot {
namespace {

constexpr size_t kMaxConversationIdBytes = 128;

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
  RECONNECT_ASSIGN_OR_RETURN(guide->matcher_,
                             Matcher::Create(*guide->content_, options.matcher));
  return guide;
}

Guide::Guide(std::unique_ptr<Content> content, const GuideOptions& options)
    : options_(options),
      content_(std::move(content)),
      dialogue_(std::make_unique<Dialogue>(*content_)),
      renderer_(std::make_unique<Renderer>(*content_)) {
  if (options_.clock == nullptr) options_.clock = Clock::Real();
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
  absl::Mutex& lock = conversation_locks_[std::hash<std::string>()(
                                              message.conversation_id) %
                                          conversation_locks_.size()];
  absl::MutexLock hold(&lock);

  // A store that cannot be read must not stop the message being screened and
  // answered: the conversation simply starts afresh.
  Session session;
  absl::StatusOr<std::optional<Session>> loaded =
      store_->Load(message.conversation_id);
  if (loaded.ok() && loaded->has_value()) session = std::move(**loaded);

  if (!message.platform_message_id.empty()) {
    for (const auto& [id, answer] : session.answered) {
      if (id != message.platform_message_id) continue;
      Reply again = answer;
      again.duplicate = true;
      return again;
    }
  }

  absl::StatusOr<Reply> reply;
  try {
    Session next = session;
    reply = Turn(message, &next);
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
  if (!message.platform_message_id.empty()) {
    session.answered.emplace_back(message.platform_message_id, *reply);
    if (session.answered.size() > options_.remembered_message_ids) {
      session.answered.erase(session.answered.begin());
    }
  }
  store_->Save(message.conversation_id, session).IgnoreError();
  return reply;
}

absl::StatusOr<Reply> Guide::Turn(const Message& message, Session* session) {
  const std::string normalized = Normalize(message.text);
  absl::StatusOr<ScreenResult> screen = screen_->Screen(normalized);
  if (!screen.ok()) {
    // The screen could not decide: fail closed and treat it as a crisis.
    return dialogue_->SystemReply(Dialogue::SystemKind::kError, session, true);
  }
  if (screen->escalate) {
    return dialogue_->Respond(normalized, *screen, MatchResult{}, session);
  }
  if (LooksBinary(message.text)) {
    return absl::InvalidArgumentError(
        "the message looks like binary data, not text; send it as UTF-8 text");
  }
  if (normalized.empty()) {
    return dialogue_->SystemReply(Dialogue::SystemKind::kEmpty, session, false);
  }
  if (message.text.size() > options_.max_message_bytes) {
    return dialogue_->SystemReply(Dialogue::SystemKind::kTooLong, session,
                                  false);
  }
  absl::StatusOr<MatchResult> match = matcher_->Match(normalized);
  if (!match.ok()) {
    return dialogue_->SystemReply(Dialogue::SystemKind::kError, session, false);
  }
  return dialogue_->Respond(normalized, *screen, *match, session);
}

Reply Guide::FailSafe() {
  Session scratch;
  return dialogue_->SystemReply(Dialogue::SystemKind::kError, &scratch,
                                /*escalate=*/false);
}

}  // namespace reconnect::bot
