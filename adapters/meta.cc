#include "adapters/meta.h"

#include <utf8proc.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bot/signing.h"

namespace reconnect::adapters {
namespace {

using json = nlohmann::json;

// Debian's Abseil has its own string_view type, distinct from std's.
absl::string_view Absl(std::string_view s) { return {s.data(), s.size()}; }

constexpr size_t kMaxConversationId = 128;
constexpr size_t kMaxTitleChars = 20;
constexpr size_t kMaxButtonIdBytes = 256;
constexpr size_t kMaxQuickReplyPayloadBytes = 1000;

// --- JSON access that never throws, whatever the sender put where. ---

const json* Field(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

const std::string* StringField(const json* object, const char* key) {
  if (object == nullptr) return nullptr;
  const json* value = Field(*object, key);
  if (value == nullptr || !value->is_string()) return nullptr;
  return &value->get_ref<const std::string&>();
}

// The array under `key`, or an empty one when there is none.
const json& Items(const json& object, const char* key) {
  static const json* const kEmpty = new json(json::array());
  const json* value = Field(object, key);
  return value != nullptr && value->is_array() ? *value : *kEmpty;
}

bool IsConversationId(std::string_view id) {
  if (id.empty() || id.size() > kMaxConversationId) return false;
  for (unsigned char c : id) {
    if (c <= 0x20 || c >= 0x7F) return false;
  }
  return true;
}

// dump() throws on invalid UTF-8, which our text may hold (it comes from
// people and content files); such bytes are replaced instead.
std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// --- UTF-8 ---

bool IsContinuation(std::string_view text, size_t i, unsigned char low = 0x80,
                    unsigned char high = 0xBF) {
  if (i >= text.size()) return false;
  const auto c = static_cast<unsigned char>(text[i]);
  return c >= low && c <= high;
}

// The length of the well-formed UTF-8 sequence at text[i], or 1 for a
// malformed byte (which then counts as one character of its own).
size_t SequenceLength(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return IsContinuation(text, i + 1) ? 2 : 1;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned char low = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = c == 0xED ? 0x9F : 0xBF;
    return IsContinuation(text, i + 1, low, high) && IsContinuation(text, i + 2)
               ? 3
               : 1;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned char low = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = c == 0xF4 ? 0x8F : 0xBF;
    return IsContinuation(text, i + 1, low, high) &&
                   IsContinuation(text, i + 2) && IsContinuation(text, i + 3)
               ? 4
               : 1;
  }
  return 1;
}

// Meta counts text in UTF-16 code units, so a character outside the BMP
// (most emoji) counts two.
size_t Utf16Length(std::string_view text) {
  size_t units = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t length = SequenceLength(text, i);
    units += length == 4 ? 2 : 1;
    i += length;
  }
  return units;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
         c == '\v';
}

std::string_view StripSpace(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

// Splits `text` into parts of at most `max_units` UTF-16 units, at the last
// whitespace that fits, else between code points. Parts are stripped of
// surrounding whitespace and never empty.
std::vector<std::string> SplitText(std::string_view text, size_t max_units) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    while (start < text.size() && IsSpace(text[start])) ++start;
    if (start >= text.size()) break;
    size_t units = 0;
    size_t i = start;
    size_t last_space = std::string_view::npos;
    bool fits = true;
    while (i < text.size()) {
      const size_t length = SequenceLength(text, i);
      const size_t cost = length == 4 ? 2 : 1;
      if (units + cost > max_units) {
        fits = false;
        break;
      }
      if (IsSpace(text[i])) last_space = i;
      units += cost;
      i += length;
    }
    size_t end = i;
    if (!fits && !IsSpace(text[i]) && last_space != std::string_view::npos) {
      end = last_space;
    }
    // A limit below one character must still make progress.
    if (end == start) end = start + SequenceLength(text, start);
    std::string_view part = StripSpace(text.substr(start, end - start));
    if (!part.empty()) parts.emplace_back(part);
    start = end;
  }
  return parts;
}

// Cuts `text` to at most `max_bytes`, never inside a UTF-8 sequence.
std::string CutBytes(std::string_view text, size_t max_bytes) {
  size_t end = 0;
  while (end < text.size()) {
    const size_t length = SequenceLength(text, end);
    if (end + length > max_bytes) break;
    end += length;
  }
  return std::string(text.substr(0, end));
}

// Cuts `label` to at most `max_chars` code points for a button title. A cut
// label ends in "…" and is cut between graphemes where one fits, so that an
// accent or an emoji's modifier is not left dangling.
std::string CutTitle(std::string_view label, size_t max_chars) {
  std::vector<size_t> offsets;       // of each code point
  std::vector<bool> grapheme_start;  // whether a grapheme starts there
  utf8proc_int32_t previous = -1;
  utf8proc_int32_t state = 0;
  for (size_t i = 0; i < label.size();) {
    utf8proc_int32_t cp = -1;
    const size_t length = SequenceLength(label, i);
    if (length > 1 || static_cast<unsigned char>(label[i]) < 0x80) {
      utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(&label[i]),
                       static_cast<utf8proc_ssize_t>(length), &cp);
    }
    const bool boundary =
        offsets.empty() || previous < 0 || cp < 0 ||
        utf8proc_grapheme_break_stateful(previous, cp, &state);
    if (cp < 0) state = 0;
    offsets.push_back(i);
    grapheme_start.push_back(boundary);
    previous = cp;
    i += length;
  }
  if (offsets.size() <= max_chars) return std::string(label);
  const size_t keep = max_chars - 1;  // room for the ellipsis
  size_t cut = keep;
  while (cut > 0 && !grapheme_start[cut]) --cut;
  if (cut == 0) cut = keep;  // one grapheme longer than a title: cut inside
  std::string title(StripSpace(label.substr(0, offsets[cut])));
  title += "\u2026";
  return title;
}

// --- The webhook ---

Received Refuse(int status, std::string reason) {
  Received received;
  received.response = TextResponse(status, std::move(reason));
  return received;
}

Received Handshake(const MetaConfig& config, const Request& request) {
  const Fields query = ParseForm(request.query);
  if (config.verify_token.empty() ||
      FormValue(query, "hub.mode") != "subscribe" ||
      !bot::ConstantTimeEquals(FormValue(query, "hub.verify_token"),
                               config.verify_token)) {
    return Refuse(403, "verification refused");
  }
  Received received;
  received.response.status = 200;
  received.response.content_type = "text/plain";
  received.response.body = std::string(FormValue(query, "hub.challenge"));
  return received;
}

using Parser = std::vector<Inbound> (*)(const json& root);

Received ReceiveWebhook(const MetaConfig& config, const Request& request,
                        Parser parse) {
  if (request.method == "GET") return Handshake(config, request);
  if (request.method != "POST") {
    Received refused = Refuse(405, "method not allowed");
    refused.response.headers.emplace_back("Allow", "GET, POST");
    return refused;
  }
  if (!request.HasHeader("X-Hub-Signature-256") ||
      !VerifyHubSignature(config.app_secret, request.body,
                          request.Header("X-Hub-Signature-256"))) {
    return Refuse(401, "invalid signature");
  }
  Received received;
  received.response.status = 200;
  try {
    const json root = json::parse(request.body, nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
      return Refuse(400, "body is not a JSON object");
    }
    received.messages = parse(root);
  } catch (const std::exception&) {
    // The accessors above do not throw; this only guards against a library
    // surprise turning into a crash on a hostile body.
    return Refuse(400, "malformed body");
  }
  return received;
}

std::optional<std::string> WhatsAppText(const json& message,
                                        const std::string& type) {
  const std::string* text = nullptr;
  if (type == "text") {
    text = StringField(Field(message, "text"), "body");
  } else if (type == "interactive") {
    const json* interactive = Field(message, "interactive");
    for (const char* kind : {"button_reply", "list_reply"}) {
      const json* choice = interactive ? Field(*interactive, kind) : nullptr;
      text = StringField(choice, "id");
      if (text == nullptr) text = StringField(choice, "title");
      if (text != nullptr) break;
    }
  } else if (type == "button") {
    const json* button = Field(message, "button");
    text = StringField(button, "payload");
    if (text == nullptr || text->empty()) text = StringField(button, "text");
  }
  if (text == nullptr || text->empty()) return std::nullopt;
  return *text;
}

std::vector<Inbound> ParseWhatsApp(const json& root) {
  std::vector<Inbound> messages;
  const std::string* object = StringField(&root, "object");
  if (object == nullptr || *object != "whatsapp_business_account") {
    return messages;
  }
  for (const json& entry : Items(root, "entry")) {
    for (const json& change : Items(entry, "changes")) {
      const std::string* field = StringField(&change, "field");
      const json* value = Field(change, "value");
      if (field == nullptr || *field != "messages" || value == nullptr) {
        continue;
      }
      const std::string* phone_number_id =
          StringField(Field(*value, "metadata"), "phone_number_id");
      if (phone_number_id == nullptr) continue;
      for (const json& message : Items(*value, "messages")) {
        const std::string* from = StringField(&message, "from");
        const std::string* id = StringField(&message, "id");
        const std::string* type = StringField(&message, "type");
        if (from == nullptr || id == nullptr || id->empty() ||
            type == nullptr) {
          continue;
        }
        std::optional<std::string> text = WhatsAppText(message, *type);
        if (!text) continue;
        Inbound inbound;
        inbound.conversation_id = absl::StrCat(*phone_number_id, ":", *from);
        if (phone_number_id->empty() || from->empty() ||
            !IsConversationId(inbound.conversation_id)) {
          continue;
        }
        inbound.message_id = *id;
        inbound.text = std::move(*text);
        messages.push_back(std::move(inbound));
      }
    }
  }
  return messages;
}

std::optional<std::string> Timestamp(const json& event) {
  const json* timestamp = Field(event, "timestamp");
  if (timestamp == nullptr) return std::nullopt;
  if (timestamp->is_number_unsigned()) {
    return std::to_string(timestamp->get<std::uint64_t>());
  }
  if (timestamp->is_number_integer()) {
    return std::to_string(timestamp->get<std::int64_t>());
  }
  if (timestamp->is_string() &&
      !timestamp->get_ref<const std::string&>().empty()) {
    return timestamp->get<std::string>();
  }
  return std::nullopt;
}

std::vector<Inbound> ParseMessenger(const json& root) {
  std::vector<Inbound> messages;
  const std::string* object = StringField(&root, "object");
  if (object == nullptr || *object != "page") return messages;
  for (const json& entry : Items(root, "entry")) {
    for (const json& event : Items(entry, "messaging")) {
      const std::string* sender = StringField(Field(event, "sender"), "id");
      const std::string* page = StringField(Field(event, "recipient"), "id");
      if (sender == nullptr || page == nullptr || sender->empty() ||
          page->empty()) {
        continue;
      }
      Inbound inbound;
      inbound.conversation_id = absl::StrCat(*page, ":", *sender);
      if (!IsConversationId(inbound.conversation_id)) continue;
      const std::string* text = nullptr;
      if (const json* message = Field(event, "message")) {
        const json* echo = Field(*message, "is_echo");
        if (echo != nullptr && echo->is_boolean() && echo->get<bool>()) {
          continue;
        }
        text = StringField(Field(*message, "quick_reply"), "payload");
        if (text == nullptr || text->empty()) {
          text = StringField(message, "text");
        }
        const std::string* mid = StringField(message, "mid");
        if (mid == nullptr) continue;
        inbound.message_id = *mid;
      } else if (const json* postback = Field(event, "postback")) {
        text = StringField(postback, "payload");
        if (const std::string* mid = StringField(postback, "mid")) {
          inbound.message_id = *mid;
        } else if (std::optional<std::string> at = Timestamp(event)) {
          inbound.message_id = absl::StrCat("postback:", *sender, ":", *at);
        }
      }
      if (text == nullptr || text->empty() || inbound.message_id.empty()) {
        continue;
      }
      inbound.text = *text;
      messages.push_back(std::move(inbound));
    }
  }
  return messages;
}

// --- Sending ---

// The platform's address parts of a conversation id: "OWNER:PERSON".
struct Address {
  std::string owner;   // phone number id or page id
  std::string person;  // WhatsApp id or page-scoped id
};

std::optional<Address> ParseAddress(std::string_view conversation_id) {
  if (!IsConversationId(conversation_id)) return std::nullopt;
  const size_t colon = conversation_id.find(':');
  if (colon == std::string_view::npos || colon == 0 ||
      colon + 1 == conversation_id.size()) {
    return std::nullopt;
  }
  return Address{std::string(conversation_id.substr(0, colon)),
                 std::string(conversation_id.substr(colon + 1))};
}

std::string MessagesUrl(const MetaConfig& config, const std::string& owner) {
  std::string_view base = config.api_base;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return absl::StrCat(Absl(base), "/", PercentEncode(owner), "/messages");
}

// The reply's text as the bubbles to send, each within `max_units`, with the
// author's name before the first.
std::vector<std::string> Bubbles(const Outbound& reply, size_t max_units) {
  std::vector<std::string> bubbles;
  for (const std::string& message : reply.messages) {
    if (StripSpace(message).empty()) continue;
    std::string text = message;
    if (bubbles.empty() && !reply.author.empty()) {
      text = absl::StrCat(reply.author, ": ", message);
    }
    for (std::string& part : SplitText(text, max_units)) {
      bubbles.push_back(std::move(part));
    }
  }
  return bubbles;
}

std::vector<std::string> Labels(const Outbound& reply, size_t max_count) {
  std::vector<std::string> labels;
  for (const std::string& label : reply.quick_replies) {
    if (labels.size() == max_count) break;
    if (!StripSpace(label).empty()) labels.push_back(label);
  }
  return labels;
}

// One bubble: the call to try first, and the plain one to fall back to.
struct Bubble {
  std::optional<json> rich;
  json plain;
};

absl::Status HttpError(std::string_view channel, size_t index, size_t count,
                       const bot::HttpResponse& response) {
  std::string message = absl::StrCat(Absl(channel), ": message ", index + 1,
                                     " of ", count, ": HTTP ", response.status);
  // Graph's error code says what went wrong without echoing anything secret.
  const json body = json::parse(response.body, nullptr, false);
  const json* error = body.is_discarded() ? nullptr : Field(body, "error");
  const json* code = error != nullptr ? Field(*error, "code") : nullptr;
  if (code != nullptr && code->is_number_integer()) {
    absl::StrAppend(&message, " (Graph error ", code->get<std::int64_t>(), ")");
  }
  switch (response.status) {
    case 400:
      return absl::InvalidArgumentError(message);
    case 401:
      return absl::UnauthenticatedError(message);
    case 403:
      return absl::PermissionDeniedError(message);
    case 404:
      return absl::NotFoundError(message);
    default:
      return response.status >= 400 && response.status < 500
                 ? absl::FailedPreconditionError(message)
                 : absl::UnknownError(message);
  }
}

absl::StatusOr<bot::HttpResponse> PostJson(const PlatformApi* api,
                                           const std::string& url,
                                           const std::string& token,
                                           const json& body) {
  bot::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {{"Authorization", absl::StrCat("Bearer ", token)},
                     {"Content-Type", "application/json"}};
  request.body = Dump(body);
  return api->Call(std::move(request));
}

bool IsSuccess(const absl::StatusOr<bot::HttpResponse>& response) {
  return response.ok() && response->status >= 200 && response->status < 300;
}

absl::Status SendBubbles(std::string_view channel, const PlatformApi* api,
                         const std::string& url, const std::string& token,
                         const std::vector<Bubble>& bubbles, bool crisis) {
  for (size_t i = 0; i < bubbles.size(); ++i) {
    const Bubble& bubble = bubbles[i];
    if (bubble.rich) {
      absl::StatusOr<bot::HttpResponse> response =
          PostJson(api, url, token, *bubble.rich);
      if (IsSuccess(response)) continue;
      const bool refused =
          response.ok() && response->status >= 400 && response->status < 500;
      if (!refused && !crisis) {
        if (!response.ok()) {
          return absl::Status(
              response.status().code(),
              absl::StrCat(Absl(channel), ": ", response.status().message()));
        }
        return HttpError(channel, i, bubbles.size(), *response);
      }
    }
    absl::StatusOr<bot::HttpResponse> response =
        PostJson(api, url, token, bubble.plain);
    if (!response.ok()) {
      return absl::Status(
          response.status().code(),
          absl::StrCat(Absl(channel), ": ", response.status().message()));
    }
    if (!IsSuccess(response)) {
      return HttpError(channel, i, bubbles.size(), *response);
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool VerifyHubSignature(std::string_view app_secret, std::string_view body,
                        std::string_view header) {
  if (app_secret.empty()) return false;
  const std::string expected =
      absl::StrCat("sha256=", bot::HmacSha256Hex(app_secret, body));
  return bot::ConstantTimeEquals(header, expected);
}

WhatsAppChannel::WhatsAppChannel(MetaConfig config, const PlatformApi* api)
    : config_(std::move(config)), api_(api) {}

Received WhatsAppChannel::Receive(const Request& request, absl::Time) {
  return ReceiveWebhook(config_, request, &ParseWhatsApp);
}

absl::Status WhatsAppChannel::Send(const std::string& conversation_id,
                                   const Outbound& reply) {
  std::optional<Address> address = ParseAddress(conversation_id);
  if (!address) {
    return absl::InvalidArgumentError(
        "whatsapp: conversation id is not PHONE_NUMBER_ID:WA_ID");
  }
  if (config_.access_token.empty()) {
    return absl::FailedPreconditionError("whatsapp: no access token");
  }
  const std::vector<std::string> texts = Bubbles(reply, kMaxTextLength);
  const std::vector<std::string> labels = Labels(reply, kMaxButtons);
  std::vector<Bubble> bubbles;
  for (size_t i = 0; i < texts.size(); ++i) {
    json plain = {{"messaging_product", "whatsapp"},
                  {"recipient_type", "individual"},
                  {"to", address->person},
                  {"type", "text"},
                  {"text", {{"body", texts[i]}}}};
    Bubble bubble;
    const bool last = i + 1 == texts.size();
    const bool buttons =
        last && !labels.empty() && Utf16Length(texts[i]) <= kMaxInteractiveBody;
    const bool context = i == 0 && !reply.in_reply_to.empty();
    if (buttons || context) {
      json rich = plain;
      if (buttons) {
        json list = json::array();
        for (const std::string& label : labels) {
          list.push_back({{"type", "reply"},
                          {"reply",
                           {{"id", CutBytes(label, kMaxButtonIdBytes)},
                            {"title", CutTitle(label, kMaxTitleChars)}}}});
        }
        rich.erase("text");
        rich["type"] = "interactive";
        rich["interactive"] = {{"type", "button"},
                               {"body", {{"text", texts[i]}}},
                               {"action", {{"buttons", std::move(list)}}}};
      }
      if (context) rich["context"] = {{"message_id", reply.in_reply_to}};
      bubble.rich = std::move(rich);
    }
    bubble.plain = std::move(plain);
    bubbles.push_back(std::move(bubble));
  }
  return SendBubbles(name(), api_, MessagesUrl(config_, address->owner),
                     config_.access_token, bubbles, reply.crisis);
}

MessengerChannel::MessengerChannel(MetaConfig config, const PlatformApi* api)
    : config_(std::move(config)), api_(api) {}

Received MessengerChannel::Receive(const Request& request, absl::Time) {
  return ReceiveWebhook(config_, request, &ParseMessenger);
}

absl::Status MessengerChannel::Send(const std::string& conversation_id,
                                    const Outbound& reply) {
  std::optional<Address> address = ParseAddress(conversation_id);
  if (!address) {
    return absl::InvalidArgumentError(
        "messenger: conversation id is not PAGE_ID:PSID");
  }
  if (config_.access_token.empty()) {
    return absl::FailedPreconditionError("messenger: no page access token");
  }
  const std::vector<std::string> texts = Bubbles(reply, kMaxTextLength);
  const std::vector<std::string> labels = Labels(reply, kMaxQuickReplies);
  std::vector<Bubble> bubbles;
  for (size_t i = 0; i < texts.size(); ++i) {
    Bubble bubble;
    bubble.plain = {{"recipient", {{"id", address->person}}},
                    {"messaging_type", "RESPONSE"},
                    {"message", {{"text", texts[i]}}}};
    if (i + 1 == texts.size() && !labels.empty()) {
      json quick_replies = json::array();
      for (const std::string& label : labels) {
        quick_replies.push_back(
            {{"content_type", "text"},
             {"title", CutTitle(label, kMaxTitleChars)},
             {"payload", CutBytes(label, kMaxQuickReplyPayloadBytes)}});
      }
      json rich = bubble.plain;
      rich["message"]["quick_replies"] = std::move(quick_replies);
      bubble.rich = std::move(rich);
    }
    bubbles.push_back(std::move(bubble));
  }
  return SendBubbles(name(), api_, MessagesUrl(config_, address->owner),
                     config_.access_token, bubbles, reply.crisis);
}

}  // namespace reconnect::adapters
