// WhatsAppChannel and MessengerChannel: Meta's WhatsApp Cloud API and
// Messenger Platform as Channels. Both reach the gateway through the same
// Graph webhook machinery, so they share its two checks:
//
//   GET  is the subscription handshake. It is answered 200 with exactly
//        hub.challenge (text/plain) when hub.mode is "subscribe" and
//        hub.verify_token equals the configured token; otherwise 403, and
//        always 403 when no token is configured.
//   POST must carry X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
//        body under the app secret>, checked over the bytes as received
//        (Meta escapes non-ASCII as \uXXXX, so re-serialised JSON would not
//        match) and in constant time. A missing or wrong signature is
//        answered 401, with no messages; the legacy SHA-1 X-Hub-Signature is
//        ignored. A signed body that is not a JSON object is answered 400.
//   Any other method is answered 405.
//
// A signed POST is answered 200 with an empty body, whatever it carries, so
// that Meta does not redeliver notifications that hold nothing for us
// (delivery statuses, reactions, images, or another product's object).
//
// Inbound messages keep the platform's reply address as the conversation id:
// WhatsApp "PHONE_NUMBER_ID:WA_ID" and Messenger "PAGE_ID:PSID", so any
// replica can Send() to a conversation without a lookup. Items whose ids are
// missing, not strings, or would make an id that is not printable ASCII of
// at most 128 bytes are skipped, as are items without text.
//
// Send() posts one Graph call per bubble with the access token in an
// Authorization header (never in the URL, and never in a returned status).
// Bubbles over the platform's limit are split at whitespace. Quick replies
// go on the last bubble: WhatsApp reply buttons (at most 3) or Messenger
// quick replies (at most 13), titles cut to 20 characters. When Meta refuses
// that richer call (4xx), or a crisis reply's richer call fails at all, the
// bubble is sent again as plain text, so the words always get through.
//
// Thread-safe: a channel holds only its configuration.
#ifndef RECONNECT_ADAPTERS_META_H_
#define RECONNECT_ADAPTERS_META_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "adapters/channel.h"
#include "adapters/http_message.h"
#include "adapters/platform_api.h"

namespace reconnect::adapters {

struct MetaConfig {
  // The app secret (RECONNECT_META_APP_SECRET) that signs every POST. Empty
  // means every POST is refused.
  std::string app_secret;
  // The handshake's verify token (RECONNECT_META_VERIFY_TOKEN). Empty means
  // every handshake is refused.
  std::string verify_token;
  // WhatsApp: RECONNECT_WHATSAPP_TOKEN; Messenger:
  // RECONNECT_MESSENGER_PAGE_TOKEN. Empty means Send() fails with
  // FailedPrecondition.
  std::string access_token;
  // RECONNECT_META_API_BASE, without a trailing '/'; tests point it at a
  // local fake.
  std::string api_base = "https://graph.facebook.com/v21.0";
};

// Returns true when `header` is exactly "sha256=" followed by the lower-case
// hex HMAC-SHA256 of `body` under `app_secret`, compared in constant time.
// An empty secret never verifies.
bool VerifyHubSignature(std::string_view app_secret, std::string_view body,
                        std::string_view header);

// Inbound: object "whatsapp_business_account", every entry and every change
// whose field is "messages". Message types: "text" (text.body),
// "interactive" (the id of the tapped button_reply or list_reply, which
// Send() sets to the full label) and "button" (button.payload, else
// button.text). The message id is messages[].id (the wamid).
//
// Send(): `conversation_id` is "PHONE_NUMBER_ID:WA_ID". The first bubble
// answers `reply.in_reply_to` (as "context") when set; the plain resend
// drops that context, in case it was what Meta refused.
class WhatsAppChannel : public Channel {
 public:
  static constexpr size_t kMaxTextLength = 4096;       // UTF-16 units
  static constexpr size_t kMaxInteractiveBody = 1024;  // UTF-16 units
  static constexpr size_t kMaxButtons = 3;

  // `api` must outlive the channel; it is not owned.
  WhatsAppChannel(MetaConfig config, const PlatformApi* api);

  std::string_view name() const override { return "whatsapp"; }
  Received Receive(const Request& request, absl::Time now) override;

  // Returns InvalidArgument for a malformed conversation id,
  // FailedPrecondition without an access token, and otherwise the first
  // failure (after PlatformApi's retries), naming only the HTTP status and
  // Graph's error code; the bubbles after a failure are not sent. A reply
  // without text sends nothing. `reply.author`, when set, prefixes the
  // first bubble as "author: ". When the last bubble is longer than an
  // interactive body may be, it is sent plain, without buttons.
  absl::Status Send(const std::string& conversation_id,
                    const Outbound& reply) override;

 private:
  MetaConfig config_;
  const PlatformApi* api_;
};

// Inbound: object "page", every entry's messaging[] events. A message's text
// is its quick_reply.payload when there is one, else message.text; echoes of
// the page's own messages (is_echo) are skipped. A postback's text is its
// payload. The message id is message.mid (postbacks: postback.mid, else
// "postback:" + PSID + ":" + timestamp).
//
// Send(): `conversation_id` is "PAGE_ID:PSID"; every message is sent with
// messaging_type RESPONSE, and `reply.in_reply_to` is ignored.
class MessengerChannel : public Channel {
 public:
  static constexpr size_t kMaxTextLength = 2000;  // UTF-16 units
  static constexpr size_t kMaxQuickReplies = 13;

  // `api` must outlive the channel; it is not owned.
  MessengerChannel(MetaConfig config, const PlatformApi* api);

  std::string_view name() const override { return "messenger"; }
  Received Receive(const Request& request, absl::Time now) override;

  // As WhatsAppChannel::Send().
  absl::Status Send(const std::string& conversation_id,
                    const Outbound& reply) override;

 private:
  MetaConfig config_;
  const PlatformApi* api_;
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_META_H_
