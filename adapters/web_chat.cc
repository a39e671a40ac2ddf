#include "adapters/web_chat.h"

#include <openssl/rand.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace reconnect::adapters {
namespace {

using nlohmann::json;

constexpr char kPrefix[] = "/v1/web/conversations";

Response Json(int status, const json& body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return response;
}

Response Error(int status, const std::string& message) {
  return Json(status, json{{"error", message}});
}

bool ValidId(std::string_view id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string NewId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

// The first language tag of an Accept-Language header: "en-GB,en;q=0.8"
// gives "en-GB".
std::string FirstLanguage(std::string_view header) {
  header = header.substr(0, header.find_first_of(",;"));
  std::string tag(header);
  tag.erase(
      std::remove_if(tag.begin(), tag.end(), [](char c) { return c == ' '; }),
      tag.end());
  return tag.size() <= 35 ? tag : "";
}

json ResourceJson(const reconnect::v1::Resource& r) {
  return {{"name", r.name()},
          {"number", r.number()},
          {"kind", r.kind()},
          {"note", r.note()}};
}

json ReplyJson(const reconnect::v1::ConverseReply& reply) {
  json resources = json::array();
  for (const auto& r : reply.escalation().resources()) {
    resources.push_back(ResourceJson(r));
  }
  json quick = json::array();
  for (const auto& q : reply.quick_replies()) quick.push_back(q.label());
  return json{{"messages", reply.messages()},
              {"quick_replies", quick},
              {"intent", reply.intent()},
              {"clarifying", reply.clarifying()},
              {"duplicate", reply.duplicate()},
              {"escalation",
               {{"escalated", reply.escalation().escalated()},
                {"category", reply.escalation().category()},
                {"handed_off", reply.escalation().handed_off()},
                {"region", reply.escalation().region()},
                {"resources", resources}}}};
}

}  // namespace

WebChat::WebChat(WebChatOptions options, GuideClient* guide, WebInbox* inbox,
                 Metrics* metrics, bot::Clock* clock)
    : options_(std::move(options)),
      guide_(guide),
      inbox_(inbox),
      metrics_(metrics),
      clock_(clock) {}

bool WebChat::OriginAllowed(const Request& request) const {
  if (!request.HasHeader("Origin")) return true;
  const std::string_view origin = request.Header("Origin");
  for (const auto& allowed : options_.allowed_origins) {
    if (origin == allowed) return true;
  }
  // The gateway's own pages (the demo and the widget it serves).
  const std::string_view host = request.Header("Host");
  if (host.empty()) return false;
  const std::string self_http = "http://" + std::string(host);
  const std::string self_https = "https://" + std::string(host);
  return origin == self_http || origin == self_https;
}

void WebChat::Handle(const Request& request,
                     std::shared_ptr<Responder> responder) {
  Fields extra = {{"Cache-Control", "no-store"}};
  if (request.HasHeader("Origin")) {
    if (!OriginAllowed(request)) {
      metrics_->CountRequest("web", 403);
      Response refused = Error(403, "This origin may not use the chat API.");
      refused.headers = extra;
      return responder->Respond(std::move(refused));
    }
    extra.emplace_back("Access-Control-Allow-Origin",
                       std::string(request.Header("Origin")));
    extra.emplace_back("Vary", "Origin");
  }
  auto finish = [this, extra, responder](Response response) {
    metrics_->CountRequest("web", response.status);
    response.headers.insert(response.headers.end(), extra.begin(), extra.end());
    responder->Respond(std::move(response));
  };
  if (request.method == "OPTIONS") {
    Response preflight;
    preflight.status = 204;
    preflight.headers = {{"Access-Control-Allow-Methods", "GET, POST"},
                         {"Access-Control-Allow-Headers", "Content-Type"},
                         {"Access-Control-Max-Age", "600"}};
    return finish(std::move(preflight));
  }

  std::string_view path = request.path;
  if (path == "/v1/web/clinic") {
    if (request.method != "GET") return finish(Error(405, "Use GET."));
    return finish(Clinic(request));
  }
  if (path.substr(0, sizeof(kPrefix) - 1) != kPrefix) {
    return finish(Error(404, "No such web chat resource."));
  }
  path.remove_prefix(sizeof(kPrefix) - 1);
  if (path.empty() || path == "/") {
    if (request.method != "POST") return finish(Error(405, "Use POST."));
    return finish(Start());
  }
  // "/{id}/messages" or "/{id}/events"
  if (path.front() != '/') return finish(Error(404, "No such resource."));
  path.remove_prefix(1);
  const size_t slash = path.find('/');
  const std::string id(path.substr(0, slash));
  const std::string_view rest =
      slash == std::string_view::npos ? "" : path.substr(slash);
  if (!ValidId(id)) return finish(Error(404, "No such conversation."));
  if (rest == "/messages") {
    if (request.method != "POST") return finish(Error(405, "Use POST."));
    return finish(Send(request, id));
  }
  if (rest == "/events") {
    if (request.method != "GET") return finish(Error(405, "Use GET."));
    // The long-poll answers later, through its own copy of `finish`.
    auto later = std::make_shared<std::function<void(Response)>>(finish);
    struct Forward : Responder {
      explicit Forward(std::shared_ptr<std::function<void(Response)>> f)
          : f(std::move(f)) {}
      void Respond(Response r) override { (*f)(std::move(r)); }
      std::shared_ptr<std::function<void(Response)>> f;
    };
    return Events(request, id, std::make_shared<Forward>(later));
  }
  finish(Error(404, "No such resource."));
}

Response WebChat::Clinic(const Request& request) {
  std::string locale(FormValue(ParseForm(request.query), "locale"));
  if (locale.empty()) locale = FirstLanguage(request.Header("Accept-Language"));
  auto info = guide_->Clinic(locale, options_.converse_deadline);
  if (!info.ok()) {
    return Error(503, "The guide cannot answer right now.");
  }
  json resources = json::array();
  for (const auto& r : info->resources()) resources.push_back(ResourceJson(r));
  return Json(200, json{{"clinic_name", info->name()},
                        {"region", info->region()},
                        {"emergency_number", info->emergency_number()},
                        {"resources", resources}});
}

Response WebChat::Start() {
  const std::string id = NewId();
  if (id.empty()) return Error(503, "Cannot start a conversation now.");
  return Json(201, json{{"conversation_id", id}});
}

Response WebChat::Send(const Request& request, const std::string& id) {
  Inbound message;
  message.conversation_id = id;
  message.locale = FirstLanguage(request.Header("Accept-Language"));
  bool well_formed = false;
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_discarded() && body.is_object() && body.contains("text") &&
      body["text"].is_string()) {
    well_formed = true;
    message.text = body["text"].get<std::string>();
    if (body.contains("message_id") && body["message_id"].is_string()) {
      message.message_id = body["message_id"].get<std::string>();
    }
    if (body.contains("locale") && body["locale"].is_string()) {
      message.locale = body["locale"].get<std::string>();
    }
  } else {
    // Not the JSON we expect: screen the raw body anyway, so a cry for help
    // in a broken request still reaches a person.
    message.text = request.body;
  }
  if (message.message_id.size() > 128) message.message_id.resize(128);
  const absl::Time start = clock_->Now();
  auto reply = guide_->Converse(ToConverseRequest("web", message),
                                options_.converse_deadline);
  if (!reply.ok()) {
    if (reply.status().code() == absl::StatusCode::kInvalidArgument) {
      return Error(400, std::string(reply.status().message()));
    }
    // The widget shows the emergency number on its own when this happens.
    return Error(503,
                 "The guide cannot answer right now. If you are in danger, "
                 "call your local emergency number.");
  }
  metrics_->CountReply("web", clock_->Now() - start,
                       reply->escalation().escalated());
  if (!well_formed && !reply->escalation().escalated()) {
    return Error(400,
                 "Send JSON like {\"text\": \"your message\"} with "
                 "Content-Type: application/json.");
  }
  return Json(200, ReplyJson(*reply));
}

void WebChat::Events(const Request& request, const std::string& id,
                     std::shared_ptr<Responder> responder) {
  absl::StatusOr<LongPoll> poll =
      ParseLongPoll(request.query, options_.max_wait);
  if (!poll.ok()) {
    return responder->Respond(Error(400, std::string(poll.status().message())));
  }
  const int64_t after = poll->after;
  const bool parked =
      inbox_->Wait(id, after, clock_->Now() + poll->wait,
                   [responder, after](std::vector<WebEvent> events) {
                     json list = json::array();
                     int64_t last = after;
                     for (const auto& e : events) {
                       list.push_back({{"seq", e.seq},
                                       {"sender", e.sender},
                                       {"author", e.author},
                                       {"text", e.text}});
                       last = std::max(last, e.seq);
                     }
                     responder->Respond(
                         Json(200, json{{"events", list}, {"last_seq", last}}));
                   });
  if (!parked) {
    Response busy = Error(429, "Too many waiting requests; try again soon.");
    busy.headers.emplace_back("Retry-After", "2");
    responder->Respond(std::move(busy));
  }
}

}  // namespace reconnect::adapters
