#include "adapters/meta.h"

#include <utf8proc.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/json_fields.h"
#include "adapters/text.h"
#include "bot/signing.h"

namespace reconnect::adapters {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxTitleChars = 20;
constexpr size_t kMaxButtonIdBytes = 256;
constexpr size_t kMaxQuickReplyPayloadBytes = 1000;

// The array under `key`, or an empty one when there is none, so that a
// missing or mistyped list reads as nothing to do.
const json& Items(const json& object, const char* key) {
  static const json* const kEmpty = new json(json::array());
  const json* value = Member(object, key);
  return value != nullptr && value->is_array() ? *value : *kEmpty;
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
    size_t length = 0;
    const utf8proc_int32_t cp = DecodeUtf8(label, i, &length);
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
    // The accessors in json_fields.h do not throw; this only guards against a
    // library surprise turning into a crash on a hostile body.
    return Refuse(400, "malformed body");
  }
  return received;
}

std::optional<std::string> WhatsAppText(const json& message,
                                        const std::string& type) {
  const std::string* text = nullptr;
  if (type == "text") {
    text = NestedString(message, "text", "body");
  } else if (type == "interactive") {
    if (const json* interactive = Member(message, "interactive")) {
      for (const char* kind : {"button_reply", "list_reply"}) {
        text = NestedString(*interactive, kind, "id");
        if (text == nullptr) text = NestedString(*interactive, kind, "title");
        if (text != nullptr) break;
      }
    }
  } else if (type == "button") {
    text = NestedString(message, "button", "payload");
    if (text == nullptr || text->empty()) {
      text = NestedString(message, "button", "text");
    }
  }
  if (text == nullptr || text->empty()) return std::nullopt;
  return *text;
}

std::vector<Inbound> ParseWhatsApp(const json& root) {
  std::vector<Inbound> messages;
  const std::string* object = StringMember(root, "object");
  if (object == nullptr || *object != "whatsapp_business_account") {
    return messages;
  }
  for (const json& entry : Items(root, "entry")) {
    for (const json& change : Items(entry, "changes")) {
      const std::string* field = StringMember(change, "field");
      const json* value = Member(change, "value");
      if (field == nullptr || *field != "messages" || value == nullptr) {
        continue;
      }
      const std::string* phone_number_id =
          NestedString(*value, "metadata", "phone_number_id");
      if (phone_number_id == nullptr) continue;
      for (const json& message : Items(*value, "messages")) {
        const std::string* from = StringMember(message, "from");
        const std::string* id = StringMember(message, "id");
        const std::string* type = StringMember(message, "type");
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
  const json* timestamp = Member(event, "timestamp");
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
  const std::string* object = StringMember(root, "object");
  if (object == nullptr || *object != "page") return messages;
  for (const json& entry : Items(root, "entry")) {
    for (const json& event : Items(entry, "messaging")) {
      const std::string* sender = NestedString(event, "sender", "id");
      const std::string* page = NestedString(event, "recipient", "id");
      if (sender == nullptr || page == nullptr || sender->empty() ||
          page->empty()) {
        continue;
      }
      Inbound inbound;
      inbound.conversation_id = absl::StrCat(*page, ":", *sender);
      if (!IsConversationId(inbound.conversation_id)) continue;
      const std::string* text = nullptr;
      if (const json* message = Member(event, "message")) {
        if (IsTrue(*message, "is_echo")) continue;
        text = NestedString(*message, "quick_reply", "payload");
        if (text == nullptr || text->empty()) {
          text = StringMember(*message, "text");
        }
        const std::string* mid = StringMember(*message, "mid");
        if (mid == nullptr) continue;
        inbound.message_id = *mid;
      } else if (const json* postback = Member(event, "postback")) {
        text = StringMember(*postback, "payload");
        if (const std::string* mid = StringMember(*postback, "mid")) {
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
  return absl::StrCat(ToAbsl(base), "/", PercentEncode(owner), "/messages");
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
    for (std::string& part : SplitAtWhitespace(text, max_units, Utf16Units)) {
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
  std::string message = absl::StrCat(ToAbsl(channel), ": message ", index + 1,
                                     " of ", count, ": HTTP ", response.status);
  // Graph's error code says what went wrong without echoing anything secret.
  const json body = json::parse(response.body, nullptr, false);
  const json* error = Member(body, "error");
  const json* code = error != nullptr ? Member(*error, "code") : nullptr;
  if (code != nullptr && code->is_number_integer()) {
    absl::StrAppend(&message, " (Graph error ", code->get<std::int64_t>(), ")");
  }
  return StatusForHttpError(response.status, message);
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
  request.body = DumpJson(body);
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
              absl::StrCat(ToAbsl(channel), ": ", response.status().message()));
        }
        return HttpError(channel, i, bubbles.size(), *response);
      }
    }
    absl::StatusOr<bot::HttpResponse> response =
        PostJson(api, url, token, bubble.plain);
    if (!response.ok()) {
      return absl::Status(
          response.status().code(),
          absl::StrCat(ToAbsl(channel), ": ", response.status().message()));
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
                           {{"id", TruncateUtf8(label, kMaxButtonIdBytes)},
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
             {"payload", TruncateUtf8(label, kMaxQuickReplyPayloadBytes)}});
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
