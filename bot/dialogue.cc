#include "bot/dialogue.h"

#include "bot/normalizer.h"

namespace reconnect::bot {
namespace {

constexpr size_t kMaxClarifyChoices = 3;

// Where quick replies cannot be buttons (SMS) they are a numbered list, and
// people answer with the number: "2", "2.", "#2". Returns 0 for anything
// else.
int PickedNumber(const std::string& normalized) {
  std::string digits;
  for (char c : normalized) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != ' ' && c != '.' && c != '#' && c != ')') {
      return 0;
    }
  }
  if (digits.empty() || digits.size() > 2) return 0;
  return std::stoi(digits);
}

void Offer(const std::vector<Suggestion>& suggestions, Reply* reply,
           Session* session) {
  session->offered.clear();
  for (const Suggestion& s : suggestions) {
    reply->quick_replies.push_back(s.label);
    session->offered.emplace_back(s.label, s.intent);
  }
}

}  // namespace

Dialogue::Dialogue(const Content& content)
    : content_(content),
      fallback_(content.Find(kFallbackIntent)),
      more_(content.Find(kMoreIntent)) {}

const ReplyVariant& Dialogue::NextVariant(
    const std::string& key, const std::vector<ReplyVariant>& variants,
    Session* session) const {
  if (variants.empty()) return content_.system.error;  // loader prevents this
  int& cursor = session->next_variant[key];
  const ReplyVariant& variant = variants[cursor % variants.size()];
  cursor = (cursor + 1) % static_cast<int>(variants.size());
  return variant;
}

Reply Dialogue::Answer(const Intent& intent, Session* session) const {
  Reply reply;
  reply.intent = intent.id;
  if (intent.replies.empty())
    return SystemReply(SystemKind::kError, session, false);
  reply.messages = NextVariant(intent.id, intent.replies, session);
  Offer(intent.suggestions, &reply, session);
  if (intent.escalate) {
    reply.escalated = true;
    reply.category = intent.id;
  } else if (!intent.more.empty()) {
    session->last_topic = intent.id;
    session->topic_continued = false;
  }
  return reply;
}

Reply Dialogue::ContinueTopic(const Intent& more_intent,
                              Session* session) const {
  const Intent* topic = content_.Find(session->last_topic);
  if (topic == nullptr || session->topic_continued) {
    // Nothing (left) to continue: chat.more's own reply asks what to expand
    // on, with the last topic's suggestions as the way forward.
    Reply reply = Answer(more_intent, session);
    if (topic != nullptr && !topic->suggestions.empty()) {
      reply.quick_replies.clear();
      Offer(topic->suggestions, &reply, session);
    }
    return reply;
  }
  Reply reply;
  reply.intent = more_intent.id;
  reply.messages = topic->more;
  Offer(topic->suggestions, &reply, session);
  session->topic_continued = true;
  return reply;
}

Reply Dialogue::Clarify(const MatchResult& match, Session* session) const {
  Reply reply;
  reply.intent = match.ranked[0].intent->id;
  reply.score = match.ranked[0].score;
  reply.rules = match.ranked[0].rules;
  reply.clarifying = true;
  reply.messages = {content_.system.clarify_prompt};
  session->offered.clear();
  const double best = match.ranked[0].score;
  for (size_t i = 0; i < match.ranked.size() && i < kMaxClarifyChoices; ++i) {
    // Only the close contenders, not everything that matched at all.
    if (i > 0 && best - match.ranked[i].score >= 0.5) break;
    const Intent* intent = match.ranked[i].intent;
    reply.quick_replies.push_back(intent->title);
    session->offered.emplace_back(intent->title, intent->id);
  }
  reply.quick_replies.push_back(content_.system.something_else_label);
  session->offered.emplace_back(content_.system.something_else_label,
                                kFallbackIntent);
  reply.quick_replies.push_back(content_.system.talk_to_person_label);
  session->offered.emplace_back(content_.system.talk_to_person_label,
                                kHandoffIntent);
  return reply;
}

Reply Dialogue::Respond(const std::string& normalized,
                        const ScreenResult& screen, const MatchResult& match,
                        Session* session) const {
  ++session->turns;
  if (screen.escalate && screen.intent != nullptr) {
    Reply reply = Answer(*screen.intent, session);
    reply.rules = screen.rules;
    return reply;
  }
  const int picked = PickedNumber(normalized);
  for (size_t i = 0; i < session->offered.size(); ++i) {
    const auto& [label, intent_id] = session->offered[i];
    if (picked != static_cast<int>(i) + 1 && Normalize(label) != normalized) {
      continue;
    }
    const Intent* intent = content_.Find(intent_id);
    if (intent == nullptr) break;
    if (intent == more_) return ContinueTopic(*intent, session);
    Reply reply = Answer(*intent, session);
    reply.rules = {"suggestion"};
    return reply;
  }
  switch (match.decision) {
    case MatchResult::kIntent: {
      const Candidate& best = match.ranked[0];
      Reply reply = best.intent == more_ ? ContinueTopic(*best.intent, session)
                                         : Answer(*best.intent, session);
      reply.score = best.score;
      reply.rules = best.rules;
      return reply;
    }
    case MatchResult::kAmbiguous:
      return Clarify(match, session);
    case MatchResult::kFallback:
      break;
  }
  if (fallback_ == nullptr)
    return SystemReply(SystemKind::kError, session, false);
  Reply reply = Answer(*fallback_, session);
  if (!match.ranked.empty()) reply.score = match.ranked[0].score;
  return reply;
}

Reply Dialogue::SystemReply(SystemKind kind, Session* session,
                            bool escalate) const {
  Reply reply;
  switch (kind) {
    case SystemKind::kEmpty:
      reply.intent = "system.empty";
      reply.messages =
          NextVariant(reply.intent, content_.system.empty, session);
      break;
    case SystemKind::kTooLong:
      reply.intent = "system.too_long";
      reply.messages =
          NextVariant(reply.intent, content_.system.too_long, session);
      break;
    case SystemKind::kError:
      reply.intent = "system.error";
      reply.messages = content_.system.error;
      reply.escalated = escalate;
      if (escalate) reply.category = reply.intent;
      break;
  }
  session->offered.clear();
  return reply;
}

}  // namespace reconnect::bot
