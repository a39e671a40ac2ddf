#include "adapters/slack.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "adapters/json_fields.h"
#include "adapters/text.h"
#include "bot/signing.h"

namespace reconnect::adapters {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kTimestampHeader = "X-Slack-Request-Timestamp";
constexpr std::string_view kSignatureHeader = "X-Slack-Signature";
constexpr size_t kMaxButtonText = 75;
constexpr size_t kMaxButtonValue = 2000;

// Slack ids (T…, C…, U…) are short and alphanumeric. Checking them keeps
// conversation ids printable, within 128 bytes, and free of the ':' that
// separates their parts.
bool IsSlackId(const std::string* id) {
  if (id == nullptr || id->empty() || id->size() > 40) return false;
  for (char c : *id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

// Slack escapes these three in the text it sends, and asks for the same in
// the text it is sent; everything else is literal.
std::string Unescape(absl::string_view text) {
  return absl::StrReplaceAll(text,
                             {{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}});
}
std::string Escape(absl::string_view text) {
  return absl::StrReplaceAll(text,
                             {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}});
}

// "<@U123> <@U456|name> hello" → "hello": the mention that summoned the bot
// is addressing, not part of what the person said.
std::string WithoutLeadingMentions(absl::string_view text) {
  while (true) {
    text = absl::StripLeadingAsciiWhitespace(text);
    if (!absl::StartsWith(text, "<@")) break;
    const size_t close = text.find('>');
    if (close == absl::string_view::npos) break;
    text.remove_prefix(close + 1);
  }
  return Unescape(absl::StripAsciiWhitespace(text));
}

Received Refuse(int status, std::string reason) {
  return Received{TextResponse(status, std::move(reason)), {}};
}

Received Malformed() { return Refuse(400, "malformed request"); }

Received FromEvent(const Json& envelope) {
  Received received;
  const Json* event = Member(envelope, "event");
  if (event == nullptr) return Malformed();
  const std::string* type = StringMember(*event, "type");
  if (type == nullptr) return Malformed();
  if (*type != "message" && *type != "app_mention") return received;
  // Our own replies come back as events; a subtype marks edits, deletions
  // and bot posts, none of which a person typed just now.
  if (Member(*event, "bot_id") != nullptr ||
      Member(*event, "subtype") != nullptr) {
    return received;
  }
  const std::string* text = StringMember(*event, "text");
  if (text == nullptr) return received;

  const std::string* team = StringMember(envelope, "team_id");
  if (team == nullptr) team = StringMember(*event, "team");
  const std::string* channel = StringMember(*event, "channel");
  const std::string* user = StringMember(*event, "user");
  const std::string* event_id = StringMember(envelope, "event_id");
  if (!IsSlackId(team) || !IsSlackId(channel) || !IsSlackId(user) ||
      event_id == nullptr || event_id->empty()) {
    return Malformed();
  }
  Inbound inbound;
  inbound.conversation_id = absl::StrCat(*team, ":", *channel, ":", *user);
  // The message's own ts, unique in its channel, is the same in a retry and
  // when one mention arrives both as `message` and as `app_mention` (two
  // event_ids): either way the guide answers once.
  const std::string* ts = StringMember(*event, "ts");
  inbound.message_id = ts != nullptr && !ts->empty() ? "m" + *ts : *event_id;
  inbound.text = WithoutLeadingMentions(*text);
  received.messages.push_back(std::move(inbound));
  return received;
}

Received FromInteraction(std::string_view form_body) {
  Received received;
  const Fields form = ParseForm(form_body);
  const std::string_view payload_text = FormValue(form, "payload");
  // Slash commands and other form posts carry nothing for the guide.
  if (payload_text.empty()) return received;
  const Json payload =
      Json::parse(payload_text, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) return Malformed();
  const std::string* type = StringMember(payload, "type");
  if (type == nullptr || *type != "block_actions") return received;

  // Buttons outside a conversation (an app home, a modal) have no channel
  // to answer in.
  const std::string* channel = NestedString(payload, "channel", "id");
  if (channel == nullptr) return received;
  const Json* actions = Member(payload, "actions");
  if (actions == nullptr || !actions->is_array()) return Malformed();
  const Json* tapped = nullptr;
  for (const Json& action : *actions) {
    if (StringMember(action, "value") != nullptr) {
      tapped = &action;
      break;
    }
  }
  if (tapped == nullptr) return received;

  const std::string* team = NestedString(payload, "team", "id");
  const std::string* user = NestedString(payload, "user", "id");
  const std::string* id = StringMember(*tapped, "action_ts");
  if (id == nullptr || id->empty()) id = StringMember(payload, "trigger_id");
  if (!IsSlackId(team) || !IsSlackId(channel) || !IsSlackId(user) ||
      id == nullptr || id->empty()) {
    return Malformed();
  }
  Inbound inbound;
  inbound.conversation_id = absl::StrCat(*team, ":", *channel, ":", *user);
  inbound.message_id = absl::StrCat("a", *id);
  inbound.text = *StringMember(*tapped, "value");
  received.messages.push_back(std::move(inbound));
  return received;
}

Json Buttons(const std::vector<std::string>& labels) {
  Json buttons = Json::array();
  for (const std::string& label : labels) {
    if (buttons.size() == SlackChannel::kMaxButtons) break;
    // Slack refuses a button without text.
    if (label.empty()) continue;
    buttons.push_back({{"type", "button"},
                       {"text",
                        {{"type", "plain_text"},
                         {"text", TruncateCodePoints(label, kMaxButtonText)}}},
                       {"value", TruncateCodePoints(label, kMaxButtonValue)},
                       {"action_id", absl::StrCat("reconnect_quick_reply_",
                                                  buttons.size())}});
  }
  return buttons;
}

// The result of one chat.postMessage call. `refused` means Slack answered
// and said no ("ok": false, or 4xx), which plain text may get past.
struct Outcome {
  absl::Status status;
  bool refused = false;
};

Outcome PostMessage(const SlackConfig& config, const PlatformApi& api,
                    const Json& message) {
  auto redact = [&config](absl::string_view text) {
    return absl::StrReplaceAll(text, {{config.bot_token, "<bot token>"}});
  };
  bot::HttpRequest request;
  request.method = "POST";
  request.url = absl::StrCat(config.api_base, "/chat.postMessage");
  request.headers = {
      {"Authorization", absl::StrCat("Bearer ", config.bot_token)},
      {"Content-Type", "application/json; charset=utf-8"}};
  request.body = DumpJson(message);
  absl::StatusOr<bot::HttpResponse> response = api.Call(std::move(request));
  if (!response.ok()) {
    return {absl::Status(response.status().code(),
                         absl::StrCat("slack chat.postMessage: ",
                                      redact(response.status().message()))),
            false};
  }
  const Json answer =
      Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  const bool said_no = IsFalse(answer, "ok");
  const int code = response->status;
  if (code >= 200 && code < 300 && !said_no) return {absl::OkStatus(), false};

  std::string reason = absl::StrCat("slack chat.postMessage: HTTP ", code);
  if (const std::string* error = StringMember(answer, "error")) {
    absl::StrAppend(&reason, ": ", TruncateCodePoints(redact(*error), 100));
  }
  const bool refused = said_no || (code >= 400 && code < 500);
  return {refused ? absl::FailedPreconditionError(reason)
                  : absl::UnavailableError(reason),
          refused};
}

}  // namespace

bool VerifySlackSignature(std::string_view secret, std::string_view timestamp,
                          std::string_view body, std::string_view signature,
                          absl::Time now, absl::Duration max_skew) {
  if (secret.empty() || timestamp.empty() || timestamp.size() > 18) {
    return false;
  }
  for (char c : timestamp) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  const absl::string_view ts = ToAbsl(timestamp);
  int64_t seconds = 0;
  if (!absl::SimpleAtoi(ts, &seconds) ||
      absl::AbsDuration(now - absl::FromUnixSeconds(seconds)) > max_skew) {
    return false;
  }
  const std::string expected = absl::StrCat(
      "v0=",
      bot::HmacSha256Hex(secret, absl::StrCat("v0:", ts, ":", ToAbsl(body))));
  return bot::ConstantTimeEquals(signature, expected);
}

SlackChannel::SlackChannel(SlackConfig config, const PlatformApi* api)
    : config_(std::move(config)), api_(api) {
  while (!config_.api_base.empty() && config_.api_base.back() == '/') {
    config_.api_base.pop_back();
  }
}

Received SlackChannel::Receive(const Request& request, absl::Time now) {
  if (request.method != "POST") {
    Received received = Refuse(405, "method not allowed");
    received.response.headers.push_back({"Allow", "POST"});
    return received;
  }
  if (!request.HasHeader(kTimestampHeader) ||
      !request.HasHeader(kSignatureHeader) ||
      !VerifySlackSignature(config_.signing_secret,
                            request.Header(kTimestampHeader), request.body,
                            request.Header(kSignatureHeader), now,
                            config_.max_skew)) {
    return Refuse(401, "unauthorized");
  }

  if (HasContentType(request, "application/x-www-form-urlencoded")) {
    return FromInteraction(request.body);
  }
  const Json body =
      Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return Malformed();
  const std::string* type = StringMember(body, "type");
  if (type == nullptr) return Received{};
  if (*type == "url_verification") {
    const std::string* challenge = StringMember(body, "challenge");
    if (challenge == nullptr) return Malformed();
    Received received;
    received.response.content_type = "text/plain";
    received.response.body = *challenge;
    return received;
  }
  if (*type == "event_callback") return FromEvent(body);
  return Received{};
}

absl::Status SlackChannel::Send(const std::string& conversation_id,
                                const Outbound& reply) {
  if (config_.bot_token.empty() || api_ == nullptr) {
    return absl::FailedPreconditionError("slack: no bot token configured");
  }
  const std::vector<absl::string_view> ids =
      absl::StrSplit(conversation_id, ':');
  if (ids.size() != 3 || ids[0].empty() || ids[1].empty() || ids[2].empty()) {
    return absl::InvalidArgumentError(
        "slack: conversation id is not TEAM:CHANNEL:USER");
  }
  const std::string channel(ids[1]);

  std::vector<std::string> texts;
  for (size_t i = 0; i < reply.messages.size(); ++i) {
    std::string text = i == 0 && !reply.author.empty()
                           ? absl::StrCat(reply.author, ": ", reply.messages[i])
                           : reply.messages[i];
    // Slack refuses an empty message.
    if (!absl::StripAsciiWhitespace(text).empty()) {
      texts.push_back(std::move(text));
    }
  }

  const Json buttons = Buttons(reply.quick_replies);
  for (size_t i = 0; i < texts.size(); ++i) {
    const Json plain = {{"channel", channel}, {"text", Escape(texts[i])}};
    if (i + 1 == texts.size() && !buttons.empty()) {
      Json rich = plain;
      rich["blocks"] =
          Json::array({{{"type", "section"},
                        {"text", {{"type", "plain_text"}, {"text", texts[i]}}}},
                       {{"type", "actions"}, {"elements", buttons}}});
      const Outcome outcome = PostMessage(config_, *api_, rich);
      if (outcome.status.ok()) continue;
      // A crisis reply gets one more try as plain text even when Slack
      // could not be reached: a duplicate is better than silence.
      if (!outcome.refused && !reply.crisis) return outcome.status;
    }
    const Outcome outcome = PostMessage(config_, *api_, plain);
    if (!outcome.status.ok()) return outcome.status;
  }
  return absl::OkStatus();
}

}  // namespace reconnect::adapters
