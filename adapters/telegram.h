// TelegramChannel: the Telegram Bot API as a Channel.
//
// Telegram POSTs one JSON Update per webhook call, with the secret_token
// given to setWebhook in the X-Telegram-Bot-Api-Secret-Token header. That
// secret is the only proof that a call comes from Telegram (there is no
// signature and no timestamp), so Receive() refuses with 403 any call whose
// header is missing or differs, any call that is not JSON, and every call
// when no secret is configured.
//
// Receive() takes new text messages (Update.message.text) from people, and
// answers 200 with no messages for everything else: edited messages,
// callback queries, photos, stickers, and messages from bots. A message's id
// is "u" + update_id, the key Telegram documents for spotting its own
// retries ("m" + message_id when update_id is absent). The conversation id
// is the chat id in decimal, which is also the address Send() writes to.
//
// Send() calls sendMessage once per bubble, as plain text (no parse_mode,
// so nothing needs escaping). Quick replies become a one-time reply
// keyboard on the last bubble; when Telegram refuses that call, the bubble
// is sent again without the keyboard, so the words always get through.
// Bubbles longer than Telegram's limit are split at whitespace (see
// SplitAtWhitespace in text.h). The bot token is part of every API URL, so
// it never appears in a returned status.
//
// Thread-safe: the channel holds only its configuration.
#ifndef RECONNECT_ADAPTERS_TELEGRAM_H_
#define RECONNECT_ADAPTERS_TELEGRAM_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "adapters/channel.h"
#include "adapters/http_message.h"
#include "adapters/platform_api.h"

namespace reconnect::adapters {

struct TelegramConfig {
  // The setWebhook secret_token (RECONNECT_TELEGRAM_SECRET_TOKEN). Empty
  // means every webhook call is refused.
  std::string secret_token;
  // The bot's API token (RECONNECT_TELEGRAM_BOT_TOKEN). Empty means Send()
  // fails with FailedPrecondition.
  std::string bot_token;
  // RECONNECT_TELEGRAM_API_BASE; tests point it at a local fake.
  std::string api_base = "https://api.telegram.org";
};

class TelegramChannel : public Channel {
 public:
  // The longest text one sendMessage call takes, in UTF-16 code units (the
  // unit Telegram counts in).
  static constexpr size_t kMaxTextLength = 4096;

  // `api` must outlive the channel; it is not owned.
  TelegramChannel(TelegramConfig config, const PlatformApi* api);

  std::string_view name() const override { return "telegram"; }

  // Returns 405 for a method other than POST; 403 when the secret header is
  // missing, wrong or unconfigured, or the body is not application/json;
  // 400 when the body is not a JSON object or a text message lacks a valid
  // chat id or update id; otherwise 200 with the update's text message, if
  // it carries one from a person.
  Received Receive(const Request& request, absl::Time now) override;

  // Sends `reply` to the chat whose id is `conversation_id`. Returns
  // InvalidArgument when the id is not a decimal chat id, FailedPrecondition
  // when no bot token is configured, and otherwise the first failure after
  // PlatformApi's retries, naming only the API method; the bubbles after a
  // failure are not sent. `reply.author`, when set, prefixes the first
  // bubble as "author: ". `reply.in_reply_to` is ignored. For a crisis
  // reply, a keyboard bubble that fails for any reason is sent once more as
  // plain text.
  absl::Status Send(const std::string& conversation_id,
                    const Outbound& reply) override;

 private:
  TelegramConfig config_;
  const PlatformApi* api_;
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_TELEGRAM_H_
