#include "adapters/telegram.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "adapters/json_fields.h"
#include "adapters/text.h"
#include "bot/signing.h"

namespace reconnect::adapters {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kSecretHeader = "X-Telegram-Bot-Api-Secret-Token";

// Telegram ids are signed 64-bit; the parser stores non-negative numbers as
// unsigned, so both forms are accepted when they fit.
std::optional<int64_t> IntegerMember(const Json& object, const char* key) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::nullopt;
  if (const auto* u = value->get_ptr<const Json::number_unsigned_t*>()) {
    if (*u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(*u);
  }
  if (const auto* i = value->get_ptr<const Json::number_integer_t*>()) {
    return static_cast<int64_t>(*i);
  }
  return std::nullopt;
}

// Keeps a language code only when it looks like a BCP 47 tag, so nothing
// odd reaches the core's locale handling.
std::string Locale(const Json& from) {
  const std::string* code = StringMember(from, "language_code");
  if (code == nullptr || code->empty() || code->size() > 35) return "";
  for (char c : *code) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return "";
    }
  }
  return *code;
}

// Strict decimal: SimpleAtoi would also take spaces and '+'.
std::optional<int64_t> ParseChatId(absl::string_view id) {
  absl::string_view digits = id;
  absl::ConsumePrefix(&digits, "-");
  if (digits.empty() || digits.size() > 19) return std::nullopt;
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  int64_t chat = 0;
  if (!absl::SimpleAtoi(id, &chat)) return std::nullopt;
  return chat;
}

Received Refuse(int status, std::string reason) {
  return Received{TextResponse(status, std::move(reason)), {}};
}

Json Keyboard(const std::vector<std::string>& labels) {
  Json rows = Json::array();
  for (const std::string& label : labels) {
    // Telegram refuses a keyboard with an empty button.
    if (label.empty()) continue;
    rows.push_back(Json::array({Json{{"text", label}}}));
  }
  if (rows.empty()) return nullptr;
  return Json{{"keyboard", std::move(rows)},
              {"one_time_keyboard", true},
              {"resize_keyboard", true}};
}

// The result of one sendMessage call. `refused` means Telegram answered and
// said no (4xx, or "ok": false), which a plainer message may get past.
struct Outcome {
  absl::Status status;
  bool refused = false;
};

Outcome SendMessage(const TelegramConfig& config, const PlatformApi& api,
                    const Json& message) {
  // The token is in the URL, and a transport error may quote the URL.
  auto redact = [&config](absl::string_view text) {
    return absl::StrReplaceAll(text, {{config.bot_token, "<bot token>"}});
  };
  bot::HttpRequest request;
  request.method = "POST";
  request.url =
      absl::StrCat(config.api_base, "/bot", config.bot_token, "/sendMessage");
  request.headers = {{"Content-Type", "application/json"}};
  request.body = DumpJson(message);
  absl::StatusOr<bot::HttpResponse> response = api.Call(std::move(request));
  if (!response.ok()) {
    return {absl::Status(response.status().code(),
                         absl::StrCat("telegram sendMessage: ",
                                      redact(response.status().message()))),
            false};
  }
  const Json answer =
      Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  const bool said_no = IsFalse(answer, "ok");
  const int code = response->status;
  if (code >= 200 && code < 300 && !said_no) return {absl::OkStatus(), false};

  std::string reason = absl::StrCat("telegram sendMessage: HTTP ", code);
  if (const std::string* description = StringMember(answer, "description")) {
    absl::StrAppend(&reason, ": ", TruncateUtf8(redact(*description), 200));
  }
  const bool refused = said_no || (code >= 400 && code < 500);
  return {refused ? absl::FailedPreconditionError(reason)
                  : absl::UnavailableError(reason),
          refused};
}

}  // namespace

TelegramChannel::TelegramChannel(TelegramConfig config, const PlatformApi* api)
    : config_(std::move(config)), api_(api) {
  while (!config_.api_base.empty() && config_.api_base.back() == '/') {
    config_.api_base.pop_back();
  }
}

Received TelegramChannel::Receive(const Request& request, absl::Time now) {
  (void)now;  // Telegram sends no timestamp to check.
  if (request.method != "POST") {
    Received received = Refuse(405, "method not allowed");
    received.response.headers.push_back({"Allow", "POST"});
    return received;
  }
  // An unset secret must not match an empty header.
  if (config_.secret_token.empty() || !request.HasHeader(kSecretHeader) ||
      !bot::ConstantTimeEquals(request.Header(kSecretHeader),
                               config_.secret_token)) {
    return Refuse(403, "forbidden");
  }
  if (!HasContentType(request, "application/json")) {
    return Refuse(403, "forbidden");
  }
  const Json update =
      Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (update.is_discarded() || !update.is_object()) {
    return Refuse(400, "malformed update");
  }

  Received received;
  // Edited messages, callback queries and the like carry nothing to answer.
  const Json* message = Member(update, "message");
  if (message == nullptr || !message->is_object()) return received;
  const std::string* text = StringMember(*message, "text");
  if (text == nullptr) return received;
  const Json* from = Member(*message, "from");
  if (from != nullptr && IsTrue(*from, "is_bot")) return received;

  const Json* chat = Member(*message, "chat");
  const std::optional<int64_t> chat_id =
      chat == nullptr ? std::nullopt : IntegerMember(*chat, "id");
  if (!chat_id) return Refuse(400, "malformed update");

  Inbound inbound;
  inbound.conversation_id = absl::StrCat(*chat_id);
  if (std::optional<int64_t> id = IntegerMember(update, "update_id")) {
    inbound.message_id = absl::StrCat("u", *id);
  } else if (std::optional<int64_t> id =
                 IntegerMember(*message, "message_id")) {
    inbound.message_id = absl::StrCat("m", *id);
  } else {
    return Refuse(400, "malformed update");
  }
  inbound.text = *text;
  if (from != nullptr) inbound.locale = Locale(*from);
  received.messages.push_back(std::move(inbound));
  return received;
}

absl::Status TelegramChannel::Send(const std::string& conversation_id,
                                   const Outbound& reply) {
  if (config_.bot_token.empty() || api_ == nullptr) {
    return absl::FailedPreconditionError("telegram: no bot token configured");
  }
  const std::optional<int64_t> chat_id = ParseChatId(conversation_id);
  if (!chat_id) {
    return absl::InvalidArgumentError(
        "telegram: conversation id is not a chat id");
  }

  std::vector<std::string> parts;
  for (size_t i = 0; i < reply.messages.size(); ++i) {
    const std::string text =
        i == 0 && !reply.author.empty()
            ? absl::StrCat(reply.author, ": ", reply.messages[i])
            : reply.messages[i];
    for (std::string& part :
         SplitAtWhitespace(text, kMaxTextLength, Utf16Units)) {
      parts.push_back(std::move(part));
    }
  }

  const Json keyboard = Keyboard(reply.quick_replies);
  for (size_t i = 0; i < parts.size(); ++i) {
    const Json plain = {{"chat_id", *chat_id}, {"text", parts[i]}};
    if (i + 1 == parts.size() && !keyboard.is_null()) {
      Json rich = plain;
      rich["reply_markup"] = keyboard;
      const Outcome outcome = SendMessage(config_, *api_, rich);
      if (outcome.status.ok()) continue;
      // A crisis reply gets one more try as plain text even when Telegram
      // could not be reached: a duplicate is better than silence.
      if (!outcome.refused && !reply.crisis) return outcome.status;
    }
    const Outcome outcome = SendMessage(config_, *api_, plain);
    if (!outcome.status.ok()) return outcome.status;
  }
  return absl::OkStatus();
}

}  // namespace reconnect::adapters
