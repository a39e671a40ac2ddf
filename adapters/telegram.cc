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
#include "bot/signing.h"

namespace reconnect::adapters {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kSecretHeader = "X-Telegram-Bot-Api-Secret-Token";

// Returns object[key] when `object` is an object holding `key`, else null.
const Json* Member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

const std::string* StringMember(const Json& object, const char* key) {
  const Json* value = Member(object, key);
  return value == nullptr ? nullptr : value->get_ptr<const std::string*>();
}

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

bool IsTrue(const Json& object, const char* key) {
  const Json* value = Member(object, key);
  return value != nullptr && value->is_boolean() && value->get<bool>();
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

// Returns the length of the UTF-8 sequence at text[i], or 1 when no valid
// sequence starts there, so that malformed text still moves forward.
size_t SequenceLength(absl::string_view text, size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  size_t length = 1;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
  }
  if (i + length > text.size()) return 1;
  for (size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 1;
  }
  return length;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

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

// Invalid UTF-8 from the core is replaced rather than thrown on.
std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Keeps the start of `text`, whole UTF-8 sequences only.
std::string Truncate(absl::string_view text, size_t max_bytes) {
  size_t end = 0;
  while (end < text.size()) {
    const size_t next = end + SequenceLength(text, end);
    if (next > max_bytes) break;
    end = next;
  }
  return std::string(text.substr(0, end));
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
  request.body = Dump(message);
  absl::StatusOr<bot::HttpResponse> response = api.Call(std::move(request));
  if (!response.ok()) {
    return {absl::Status(response.status().code(),
                         absl::StrCat("telegram sendMessage: ",
                                      redact(response.status().message()))),
            false};
  }
  const Json answer =
      Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  const Json* ok = Member(answer, "ok");
  const bool said_no = ok != nullptr && ok->is_boolean() && !ok->get<bool>();
  const int code = response->status;
  if (code >= 200 && code < 300 && !said_no) return {absl::OkStatus(), false};

  std::string reason = absl::StrCat("telegram sendMessage: HTTP ", code);
  if (const std::string* description = StringMember(answer, "description")) {
    absl::StrAppend(&reason, ": ", Truncate(redact(*description), 200));
  }
  const bool refused = said_no || (code >= 400 && code < 500);
  return {refused ? absl::FailedPreconditionError(reason)
                  : absl::UnavailableError(reason),
          refused};
}

}  // namespace

std::vector<std::string> SplitTelegramText(std::string_view whole,
                                           size_t max_length) {
  // This Abseil's string_view is its own type, not std's.
  const absl::string_view text(whole.data(), whole.size());
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < text.size()) {
    while (start < text.size() && IsSpace(text[start])) ++start;
    if (start == text.size()) break;
    size_t end = start;
    size_t units = 0;
    size_t last_space = absl::string_view::npos;
    while (end < text.size()) {
      const size_t length = SequenceLength(text, end);
      // Code points beyond the BMP take two UTF-16 code units.
      const size_t cost = length == 4 ? 2 : 1;
      if (units + cost > max_length) break;
      if (IsSpace(text[end])) last_space = end;
      units += cost;
      end += length;
    }
    // Unless the rest fits or the window ends with a word, back up to the
    // last whitespace; a word longer than a part is cut where the window
    // ends.
    if (end < text.size() && !IsSpace(text[end])) {
      if (last_space != absl::string_view::npos) {
        end = last_space;
      } else if (end == start) {
        end += SequenceLength(text, start);  // max_length < one code point
      }
    }
    absl::string_view part =
        absl::StripAsciiWhitespace(text.substr(start, end - start));
    if (!part.empty()) parts.emplace_back(part);
    start = end;
  }
  return parts;
}

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
    for (std::string& part : SplitTelegramText(text, kMaxTextLength)) {
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
