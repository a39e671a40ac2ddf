#include "adapters/twilio.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/text.h"
#include "bot/signing.h"

namespace reconnect::adapters {
namespace {

constexpr char kTwimlHeader[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
constexpr size_t kGsmSeptets = 160;
constexpr size_t kUcs2Units = 70;
// The room a part keeps for the reply's words however long the preview line
// is configured; beyond one SMS, the phone joins the segments.
constexpr size_t kMinPartRoom = 30;

// --- Crypto ---

std::string Base64(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]),
                                     data, static_cast<int>(size));
  out.resize(length > 0 ? static_cast<size_t>(length) : 0);
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(),
                 nullptr) != 1) {
    return "";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

// --- URLs ---

// `url` as Twilio may have signed it: as given, and with the scheme's
// default port added when it has none, or removed when it has that one.
std::vector<std::string> UrlVariants(std::string_view url) {
  std::vector<std::string> variants = {std::string(url)};
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return variants;
  const absl::string_view scheme = ToAbsl(url.substr(0, scheme_end));
  std::string_view default_port;
  if (absl::EqualsIgnoreCase(scheme, "https")) {
    default_port = "443";
  } else if (absl::EqualsIgnoreCase(scheme, "http")) {
    default_port = "80";
  } else {
    return variants;
  }
  const size_t host_start = scheme_end + 3;
  const size_t host_end =
      std::min(url.find_first_of("/?#", host_start), url.size());
  const std::string_view authority =
      url.substr(host_start, host_end - host_start);
  // The port follows the last ':' after any user info and IPv6 brackets.
  const size_t at = authority.rfind('@');
  const size_t host_offset = at == std::string_view::npos ? 0 : at + 1;
  const size_t bracket = authority.rfind(']');
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos &&
      (colon < host_offset ||
       (bracket != std::string_view::npos && colon < bracket))) {
    colon = std::string_view::npos;
  }
  if (colon == std::string_view::npos) {
    variants.push_back(absl::StrCat(ToAbsl(url.substr(0, host_end)), ":",
                                    ToAbsl(default_port),
                                    ToAbsl(url.substr(host_end))));
  } else if (authority.substr(colon + 1) == default_port) {
    variants.push_back(absl::StrCat(ToAbsl(url.substr(0, host_start + colon)),
                                    ToAbsl(url.substr(host_end))));
  }
  return variants;
}

std::optional<std::string> BodyHashParameter(std::string_view url) {
  const size_t question = url.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  std::string_view query = url.substr(question + 1);
  query = query.substr(0, query.find('#'));
  for (const auto& [key, value] : ParseForm(query)) {
    if (key == "bodySHA256") return value;
  }
  return std::nullopt;
}

// --- SMS alphabets ---

bool IsGsmBasic(int32_t cp) {
  if (cp == '\n' || cp == '\r') return true;
  if (cp >= 0x20 && cp < 0x7F) {
    return cp != '`' && cp != '[' && cp != '\\' && cp != ']' && cp != '^' &&
           cp != '{' && cp != '|' && cp != '}' && cp != '~';
  }
  static constexpr int32_t kOthers[] = {
      0x00A1, 0x00A3, 0x00A4, 0x00A5, 0x00A7, 0x00BF, 0x00C4, 0x00C5,
      0x00C6, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00D8, 0x00DC, 0x00DF,
      0x00E0, 0x00E4, 0x00E5, 0x00E6, 0x00E8, 0x00E9, 0x00EC, 0x00F1,
      0x00F2, 0x00F6, 0x00F8, 0x00F9, 0x00FC, 0x0393, 0x0394, 0x0398,
      0x039B, 0x039E, 0x03A0, 0x03A3, 0x03A6, 0x03A8, 0x03A9};
  return std::binary_search(std::begin(kOthers), std::end(kOthers), cp);
}

// Characters of the extension table, sent as an escape and a septet.
bool IsGsmExtension(int32_t cp) {
  return cp == '\f' || cp == '^' || cp == '{' || cp == '}' || cp == '\\' ||
         cp == '[' || cp == '~' || cp == ']' || cp == '|' || cp == 0x20AC;
}

enum class Alphabet { kGsm, kUcs2 };

Alphabet AlphabetOf(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t length = 0;
    const int32_t cp = DecodeUtf8(text, i, &length);
    if (!IsGsmBasic(cp) && !IsGsmExtension(cp)) return Alphabet::kUcs2;
    i += length;
  }
  return Alphabet::kGsm;
}

size_t Capacity(Alphabet alphabet) {
  return alphabet == Alphabet::kGsm ? kGsmSeptets : kUcs2Units;
}

// A character of the extension table takes an escape septet too.
size_t GsmSeptets(int32_t cp) { return IsGsmExtension(cp) ? 2 : 1; }

// Phones send a character beyond the BMP in UCS-2 as a surrogate pair, so
// UCS-2 parts are counted as UTF-16 is.
UnitCounter UnitsOf(Alphabet alphabet) {
  return alphabet == Alphabet::kGsm ? GsmSeptets : Utf16Units;
}

std::vector<std::string> Split(std::string_view text, Alphabet alphabet,
                               size_t capacity) {
  // A line break keeps a list item whole, unless it would leave most of the
  // SMS empty.
  return SplitAtWhitespace(text, capacity, UnitsOf(alphabet),
                           BreakAt::kLineBreakInSecondHalf);
}

// Escapes text for a TwiML element. Characters XML 1.0 cannot carry at all
// (most C0 controls) are dropped and malformed UTF-8 is replaced, since one
// bad byte would make Twilio reject the whole response, crisis reply
// included.
std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t length = 0;
  for (size_t i = 0; i < text.size(); i += length) {
    const int32_t cp = DecodeUtf8(text, i, &length);
    if (cp < 0) {
      out += "\xEF\xBF\xBD";
      continue;
    }
    const bool is_xml_char =
        (cp >= 0x20 || cp == '\n' || cp == '\r' || cp == '\t') &&
        cp != 0xFFFE && cp != 0xFFFF;
    if (!is_xml_char) continue;
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.append(text.substr(i, length));
    }
  }
  return out;
}

// --- Conversation ids ---

struct Address {
  std::string ours;    // Twilio's To on inbound, From on outbound
  std::string theirs;  // the person's number
};

// Twilio addresses may carry a channel prefix holding a colon of its own
// ("whatsapp:+1555…"), so the separator is the first colon after it.
std::optional<Address> ParseAddress(std::string_view id) {
  if (!IsConversationId(id)) return std::nullopt;
  size_t colon = id.find(':');
  if (colon != std::string_view::npos && colon > 0 &&
      std::all_of(id.begin(), id.begin() + colon,
                  [](char c) { return absl::ascii_isalpha(c); })) {
    colon = id.find(':', colon + 1);
  }
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == id.size()) {
    return std::nullopt;
  }
  return Address{std::string(id.substr(0, colon)),
                 std::string(id.substr(colon + 1))};
}

Response EmptyTwiml() {
  Response response;
  response.status = 200;
  response.content_type = "text/xml";
  response.body = absl::StrCat(kTwimlHeader, "<Response />");
  return response;
}

Received Refuse(int status, std::string reason) {
  Received received;
  received.response = TextResponse(status, std::move(reason));
  return received;
}

}  // namespace

std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const Fields& params) {
  Fields sorted = params;
  std::sort(sorted.begin(), sorted.end());
  std::string data(url);
  for (const auto& [key, value] : sorted) absl::StrAppend(&data, key, value);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // OpenSSL takes a null key as "no key", not as an empty one.
  static constexpr char kEmpty[] = "";
  const char* key = auth_token.empty() ? kEmpty : auth_token.data();
  if (HMAC(EVP_sha1(), key, static_cast<int>(auth_token.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           mac, &length) == nullptr) {
    return "";
  }
  return Base64(mac, length);
}

bool VerifyTwilioSignature(std::string_view auth_token, std::string_view url,
                           const Fields& params, std::string_view body,
                           std::string_view signature) {
  if (auth_token.empty() || signature.empty()) return false;
  if (std::optional<std::string> hash = BodyHashParameter(url)) {
    if (!bot::ConstantTimeEquals(Sha256Hex(body), *hash)) return false;
  } else if (params.empty() && !body.empty()) {
    return false;  // nothing would vouch for the body
  }
  bool valid = false;
  for (const std::string& variant : UrlVariants(url)) {
    valid |= bot::ConstantTimeEquals(
        TwilioSignature(auth_token, variant, params), signature);
  }
  return valid;
}

std::vector<std::string> SplitForSms(std::string_view text) {
  const Alphabet alphabet = AlphabetOf(text);
  return Split(text, alphabet, Capacity(alphabet));
}

TwilioSmsChannel::TwilioSmsChannel(TwilioConfig config, const PlatformApi* api)
    : config_(std::move(config)), api_(api) {}

Received TwilioSmsChannel::Receive(const Request& request, absl::Time) {
  if (request.method != "POST") {
    Received refused = Refuse(405, "method not allowed");
    refused.response.headers.emplace_back("Allow", "POST");
    return refused;
  }
  std::string url;
  if (!config_.public_url.empty()) {
    std::string_view base = config_.public_url;
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    url = absl::StrCat(ToAbsl(base), request.target);
  } else if (!request.Header("Host").empty()) {
    url = absl::StrCat(request.tls ? "https" : "http", "://",
                       ToAbsl(request.Header("Host")), request.target);
  } else {
    return Refuse(403, "cannot rebuild the signed URL");
  }
  const Fields params = ParseForm(request.body);
  if (!request.HasHeader("X-Twilio-Signature") ||
      !VerifyTwilioSignature(config_.auth_token, url, params, request.body,
                             request.Header("X-Twilio-Signature"))) {
    return Refuse(403, "invalid signature");
  }
  if (!config_.account_sid.empty() &&
      !bot::ConstantTimeEquals(FormValue(params, "AccountSid"),
                               config_.account_sid)) {
    return Refuse(403, "wrong account");
  }
  Received received;
  received.response = EmptyTwiml();
  Inbound inbound;
  const std::string_view to = FormValue(params, "To");
  const std::string_view from = FormValue(params, "From");
  inbound.conversation_id = absl::StrCat(ToAbsl(to), ":", ToAbsl(from));
  inbound.message_id = std::string(FormValue(params, "MessageSid"));
  inbound.text = std::string(FormValue(params, "Body"));
  if (to.empty() || from.empty() ||
      !IsConversationId(inbound.conversation_id) ||
      inbound.message_id.empty() || StripSpace(inbound.text).empty()) {
    return received;
  }
  received.messages.push_back(std::move(inbound));
  return received;
}

std::vector<std::string> TwilioSmsChannel::SmsParts(
    const Outbound& reply) const {
  std::string body;
  auto add_paragraph = [&body](std::string_view paragraph) {
    if (!body.empty()) body += "\n\n";
    body += paragraph;
  };
  for (const std::string& message : reply.messages) {
    std::string_view text = StripSpace(message);
    if (text.empty()) continue;
    if (body.empty() && !reply.author.empty()) {
      add_paragraph(absl::StrCat(reply.author, ": ", ToAbsl(text)));
    } else {
      add_paragraph(text);
    }
  }
  std::string choices;
  int number = 0;
  for (const std::string& label : reply.quick_replies) {
    std::string_view text = StripSpace(label);
    if (text.empty()) continue;
    if (!choices.empty()) choices += "\n";
    absl::StrAppend(&choices, ++number, " - ", ToAbsl(text));
  }
  if (!choices.empty()) add_paragraph(choices);
  if (body.empty()) return {};

  std::string_view preview = StripSpace(config_.preview_line);
  if (preview.empty()) return SplitForSms(body);
  const std::string header = absl::StrCat(ToAbsl(preview), "\n\n");
  const Alphabet alphabet = AlphabetOf(absl::StrCat(header, body));
  const size_t header_cost = CountUnits(header, UnitsOf(alphabet));
  const size_t capacity = Capacity(alphabet);
  const size_t room = capacity >= header_cost + kMinPartRoom
                          ? capacity - header_cost
                          : kMinPartRoom;
  std::vector<std::string> parts = Split(body, alphabet, room);
  for (std::string& part : parts) part = absl::StrCat(header, part);
  return parts;
}

Response TwilioSmsChannel::RenderResponse(
    const std::vector<Outbound>& replies) const {
  std::string messages;
  for (const Outbound& reply : replies) {
    for (const std::string& part : SmsParts(reply)) {
      absl::StrAppend(&messages, "<Message>", XmlEscape(part), "</Message>");
    }
  }
  if (messages.empty()) return EmptyTwiml();
  Response response = EmptyTwiml();
  response.body =
      absl::StrCat(kTwimlHeader, "<Response>", messages, "</Response>");
  return response;
}

absl::Status TwilioSmsChannel::Send(const std::string& conversation_id,
                                    const Outbound& reply) {
  std::optional<Address> address = ParseAddress(conversation_id);
  if (!address) {
    return absl::InvalidArgumentError(
        "sms: conversation id is not OUR_NUMBER:THEIR_NUMBER");
  }
  if (config_.account_sid.empty() || config_.auth_token.empty()) {
    return absl::FailedPreconditionError(
        "sms: no Twilio account SID or auth token");
  }
  std::string_view base = config_.api_base;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  const std::string url =
      absl::StrCat(ToAbsl(base), "/2010-04-01/Accounts/",
                   PercentEncode(config_.account_sid), "/Messages.json");
  const std::string credentials =
      absl::StrCat(config_.account_sid, ":", config_.auth_token);
  const std::string authorization = absl::StrCat(
      "Basic ",
      Base64(reinterpret_cast<const unsigned char*>(credentials.data()),
             credentials.size()));
  const std::vector<std::string> parts = SmsParts(reply);
  for (size_t i = 0; i < parts.size(); ++i) {
    bot::HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.headers = {{"Authorization", authorization},
                       {"Content-Type", "application/x-www-form-urlencoded"}};
    request.body = EncodeForm(
        {{"To", address->theirs}, {"From", address->ours}, {"Body", parts[i]}});
    absl::StatusOr<bot::HttpResponse> response = api_->Call(std::move(request));
    if (!response.ok()) {
      return absl::Status(response.status().code(),
                          absl::StrCat("sms: ", response.status().message()));
    }
    if (response->status >= 200 && response->status < 300) continue;
    std::string message =
        absl::StrCat("sms: message ", i + 1, " of ", parts.size(), ": HTTP ",
                     response->status);
    // Twilio's error code says what went wrong without echoing credentials.
    const nlohmann::json error =
        nlohmann::json::parse(response->body, nullptr, false);
    if (error.is_object()) {
      auto code = error.find("code");
      if (code != error.end() && code->is_number_integer()) {
        absl::StrAppend(&message, " (Twilio error ", code->get<std::int64_t>(),
                        ")");
      }
    }
    return StatusForHttpError(response->status, message);
  }
  return absl::OkStatus();
}

}  // namespace reconnect::adapters
