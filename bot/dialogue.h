// Dialogue: decides what to answer, given what the screen and the matcher
// found and what has been said so far in the conversation.
//
// It is the fourth stage, after normalise, screen and match, and before
// render. Its rules, in order:
//   1. A message the crisis screen flagged gets that crisis intent's reply and
//      is escalated. Nothing else is considered.
//   2. A message that repeats the label of a quick reply offered in the last
//      reply, or is just its number in the list ("2"), follows that
//      suggestion (an escalating one escalates).
//   3. "Tell me more" (chat.more) continues the last topic with its `more`
//      messages; a topic is any intent that has `more`.
//   4. A clear match gets its intent's next reply variant. Variants rotate per
//      conversation, so a repeated question gets different words.
//   5. Close contenders get a "Did you mean ...?" with up to three choices,
//      "something else" and "talk to a person".
//   6. Anything else gets the fallback intent's reply.
// Replies come out with placeholders still in them; the renderer fills them.
// Dialogue never writes words of its own: all text comes from the content.
//
// Thread-safe for concurrent calls with different sessions; holds a reference
// to the content, which must outlive it.
#ifndef RECONNECT_BOT_DIALOGUE_H_
#define RECONNECT_BOT_DIALOGUE_H_

#include <string>
#include <vector>

#include "bot/content.h"
#include "bot/crisis_screen.h"
#include "bot/matcher.h"
#include "bot/reply.h"
#include "bot/session_store.h"

namespace reconnect::bot {

class Dialogue {
 public:
  enum class SystemKind { kEmpty, kTooLong, kError };

  // `content` should hold the fallback and chat.more intents (the catalog
  // requires both); where one is missing its cases get the error reply.
  explicit Dialogue(const Content& content);

  // Returns the reply to one message and updates `session` for the next turn.
  Reply Respond(const std::string& normalized, const ScreenResult& screen,
                const MatchResult& match, Session* session) const;

  // Returns one of the guide's own replies. The error reply is escalated when
  // `escalate` is set (the crisis screen itself failed: fail closed).
  Reply SystemReply(SystemKind kind, Session* session, bool escalate) const;

 private:
  Reply Answer(const Intent& intent, Session* session) const;
  Reply Clarify(const MatchResult& match, Session* session) const;
  Reply ContinueTopic(const Intent& more_intent, Session* session) const;
  const ReplyVariant& NextVariant(const std::string& key,
                                  const std::vector<ReplyVariant>& variants,
                                  Session* session) const;

  const Content& content_;
  const Intent* fallback_;
  const Intent* more_;
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_DIALOGUE_H_
