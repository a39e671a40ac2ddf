// Channel: one messaging platform, as the gateway sees it.
//
// A channel is a thin, strict translator. Receive() checks that a webhook is
// genuine (over the raw bytes, in constant time) and turns it into messages
// for the guide; Send() turns the guide's reply into the platform's API call.
// A channel holds no conversation state and makes no decision about what a
// message means: that is the core's work, reached through the gRPC API.
//
// Conversation ids are the platform's own reply address (for example a
// Telegram chat id), so that any gateway replica can deliver a message that
// a person at the clinic writes later, without a lookup table.
#ifndef RECONNECT_ADAPTERS_CHANNEL_H_
#define RECONNECT_ADAPTERS_CHANNEL_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "adapters/http_message.h"

namespace reconnect::adapters {

// One verified message from a person, for Guide.Converse.
struct Inbound {
  // The platform's reply address; printable ASCII, at most 128 bytes.
  std::string conversation_id;
  // The platform's id of this message or event; platforms retry webhooks,
  // and the core answers a repeated id only once.
  std::string message_id;
  std::string text;    // as received: raw bytes, ideally UTF-8
  std::string locale;  // BCP 47 when the platform tells it, else ""
};

// A message for a person: the guide's reply, or a message from a person at
// the clinic during a hand-off.
struct Outbound {
  std::vector<std::string> messages;       // one to three bubbles, in order
  std::vector<std::string> quick_replies;  // labels; sending one back taps it
  // The reply to a crisis: its text must reach the person even when the
  // richer call (buttons, keyboards) fails.
  bool crisis = false;
  // Who wrote it when it is not the guide: a person at the clinic.
  std::string author;
  // The platform id of the message this answers, when there is one, for
  // threading (Slack thread_ts, Telegram reply, WhatsApp context).
  std::string in_reply_to;
};

// What a webhook call amounts to.
struct Received {
  // The answer to give the platform now: 200, a verification challenge, or
  // 401/403/400 when the request is refused.
  Response response;
  // The verified messages it carried, in order. Always empty when the
  // request was refused.
  std::vector<Inbound> messages;
};

// Whether `id` can be a conversation id: printable ASCII without spaces, at
// most 128 bytes (the core's limit).
inline bool IsConversationId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (unsigned char c : id) {
    if (c <= 0x20 || c >= 0x7F) return false;
  }
  return true;
}

class Channel {
 public:
  virtual ~Channel() = default;

  // The channel's name, used as ConverseRequest.channel and in metrics:
  // "telegram", "slack", "whatsapp", "messenger" or "sms".
  virtual std::string_view name() const = 0;

  // Verifies and parses one webhook call received at `now`. Never lets an
  // unverified message through: a request that fails verification gets
  // 401 or 403 and no messages.
  virtual Received Receive(const Request& request, absl::Time now) = 0;

  // True when replies go in the webhook's own HTTP response (Twilio's
  // TwiML) rather than through Send().
  virtual bool ReplyInResponse() const { return false; }

  // Builds the webhook's HTTP response from the replies to its messages, in
  // order. Only called when ReplyInResponse(); an empty list means nothing
  // is to be sent (for example a retried webhook already answered).
  virtual Response RenderResponse(const std::vector<Outbound>& replies) const {
    (void)replies;
    return Response{};
  }

  // Sends `reply` to the conversation through the platform's API, with
  // timeouts and retries. Blocks. When a richer form (buttons) is refused
  // the text is sent plain, so it always gets through if the platform is
  // reachable at all.
  virtual absl::Status Send(const std::string& conversation_id,
                            const Outbound& reply) = 0;
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_CHANNEL_H_
