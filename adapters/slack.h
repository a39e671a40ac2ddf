// SlackChannel: a Slack app (Events API and interactivity) as a Channel.
//
// Slack signs every request it sends: X-Slack-Signature is "v0=" and the
// hex HMAC-SHA256, under the app's signing secret, of
// "v0:{X-Slack-Request-Timestamp}:{raw body}". Receive() checks that over
// the raw bytes, in constant time, and refuses with 401 a request that is
// unsigned, wrongly signed, or timestamped more than `max_skew` from now (a
// replayed request). Only then is the body parsed.
//
// A verified request is one of:
//  - url_verification: answered with its challenge, as text/plain;
//  - event_callback with a "message" or "app_mention" event from a person:
//    one message, with the leading @-mentions of the bot removed. Events
//    from bots (bot_id) and every message subtype (bot_message,
//    message_changed, ...) are ignored, so the guide never answers itself;
//  - block_actions, form-encoded in a "payload" field: the value of the
//    tapped quick-reply button, as if the person had typed it.
// Anything else verified is answered 200 with no messages. An event
// message's id is its ts (event_id when it has none), so the core answers
// Slack's retries, and a mention delivered as two events, once.
//
// A conversation id is "TEAM:CHANNEL:USER", which is all Send() needs to
// write back. Send() calls chat.postMessage once per bubble, with the text
// escaped as Slack asks (&, <, >). Quick replies become up to five buttons
// under the last bubble; when Slack refuses that (it answers errors as
// HTTP 200 with "ok": false), the bubble is sent again as plain text. The
// bot token is never part of a returned status.
//
// Thread-safe: the channel holds only its configuration.
#ifndef RECONNECT_ADAPTERS_SLACK_H_
#define RECONNECT_ADAPTERS_SLACK_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "adapters/channel.h"
#include "adapters/http_message.h"
#include "adapters/platform_api.h"

namespace reconnect::adapters {

struct SlackConfig {
  // RECONNECT_SLACK_SIGNING_SECRET. Empty means every request is refused.
  std::string signing_secret;
  // RECONNECT_SLACK_BOT_TOKEN ("xoxb-..."). Empty means Send() fails with
  // FailedPrecondition.
  std::string bot_token;
  // RECONNECT_SLACK_API_BASE; tests point it at a local fake.
  std::string api_base = "https://slack.com/api";
  // How far a request's timestamp may be from now; Slack's own advice.
  absl::Duration max_skew = absl::Minutes(5);
};

class SlackChannel : public Channel {
 public:
  // At most this many quick replies become buttons; the rest are dropped.
  static constexpr size_t kMaxButtons = 5;

  // `api` must outlive the channel; it is not owned.
  SlackChannel(SlackConfig config, const PlatformApi* api);

  std::string_view name() const override { return "slack"; }

  // Returns 405 for a method other than POST; 401 when the signature
  // headers are missing or do not verify at `now`; 400 when a verified body
  // is malformed (bad JSON, or an event or action without its ids);
  // otherwise 200, with the challenge for url_verification and with the
  // messages described above.
  Received Receive(const Request& request, absl::Time now) override;

  // Sends `reply` to the channel named in `conversation_id`. Returns
  // InvalidArgument when the id is not "TEAM:CHANNEL:USER",
  // FailedPrecondition when no bot token is configured, and otherwise the
  // first failure after PlatformApi's retries (with Slack's error code,
  // such as "channel_not_found"); the bubbles after a failure are not
  // sent. `reply.author`, when set, prefixes the first bubble as
  // "author: ". Replies are never threaded: `reply.in_reply_to` is ignored.
  // For a crisis reply, a button bubble that fails for any reason is sent
  // once more as plain text.
  absl::Status Send(const std::string& conversation_id,
                    const Outbound& reply) override;

 private:
  SlackConfig config_;
  const PlatformApi* api_;
};

// Returns true when `signature` ("v0=<hex>") is the v0 signature of `body`
// sent at `timestamp` (decimal Unix seconds) under `secret`, and the
// timestamp is at most `max_skew` before or after `now`. Returns false for
// an empty secret, and for a timestamp that is not all digits.
bool VerifySlackSignature(std::string_view secret, std::string_view timestamp,
                          std::string_view body, std::string_view signature,
                          absl::Time now, absl::Duration max_skew);

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_SLACK_H_
