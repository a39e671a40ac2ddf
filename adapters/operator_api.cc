#include "adapters/operator_api.h"

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/numbers.h"

namespace reconnect::adapters {
namespace {

using nlohmann::json;
namespace v1 = reconnect::v1;

constexpr char kPrefix[] = "/v1/operator/";

Response Json(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  response.headers = {{"Cache-Control", "no-store"}};
  return response;
}

Response Error(int status, const std::string& message) {
  return Json(status, json{{"error", message}}.dump(
                          -1, ' ', false, json::error_handler_t::replace));
}

Response FromProto(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string body;
  if (!google::protobuf::util::MessageToJsonString(message, &body, options)
           .ok()) {
    return Error(500, "cannot encode the answer");
  }
  return Json(200, std::move(body));
}

Response FromStatus(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAUTHENTICATED:
      return Error(401, status.error_message());
    case grpc::StatusCode::PERMISSION_DENIED:
      return Error(403, status.error_message());
    case grpc::StatusCode::NOT_FOUND:
      return Error(404, status.error_message());
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ABORTED:
      return Error(409, status.error_message());
    case grpc::StatusCode::INVALID_ARGUMENT:
      return Error(400, status.error_message());
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return Error(504, "the guide did not answer in time");
    default:
      return Error(503, "the guide cannot be reached");
  }
}

void Prepare(grpc::ClientContext* context, const std::string& token,
             absl::Duration deadline) {
  context->AddMetadata("authorization", "Bearer " + token);
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(deadline));
}

}  // namespace

OperatorApi::OperatorApi(std::shared_ptr<grpc::Channel> core, Metrics* metrics,
                         int max_waiting)
    : stub_(v1::Operator::NewStub(core)),
      metrics_(metrics),
      max_waiting_(max_waiting) {}

OperatorApi::~OperatorApi() { Shutdown(); }

void OperatorApi::Shutdown() {
  absl::MutexLock lock(&mu_);
  shut_down_ = true;
  for (grpc::ClientContext* context : waiting_) context->TryCancel();
  mu_.Await(absl::Condition(
      +[](std::set<grpc::ClientContext*>* w) { return w->empty(); },
      &waiting_));
}

void OperatorApi::Handle(const Request& request,
                         std::shared_ptr<Responder> responder) {
  auto finish = [this, &responder](Response response) {
    metrics_->CountRequest("operator", response.status);
    responder->Respond(std::move(response));
  };
  // The console is served by the gateway itself; another site's page must
  // not drive it with a token it tricked out of someone.
  if (request.HasHeader("Origin")) {
    const std::string host(request.Header("Host"));
    const std::string_view origin = request.Header("Origin");
    if (origin != "http://" + host && origin != "https://" + host) {
      return finish(Error(403, "Use the console served by this gateway."));
    }
  }
  const std::string_view authorization = request.Header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.substr(0, kBearer.size()) != kBearer ||
      authorization.size() == kBearer.size()) {
    Response refused = Error(401, "Sign in with the operator token.");
    refused.headers.emplace_back("WWW-Authenticate", "Bearer");
    return finish(std::move(refused));
  }
  const std::string token(authorization.substr(kBearer.size()));

  std::string_view path = request.path;
  path.remove_prefix(sizeof(kPrefix) - 1);
  if (path == "changes") {
    if (request.method != "GET") return finish(Error(405, "Use GET."));
    return Changes(request, token, std::move(responder));
  }
  constexpr std::string_view kEscalations = "escalations";
  if (path.substr(0, kEscalations.size()) != kEscalations) {
    return finish(Error(404, "No such operator resource."));
  }
  path.remove_prefix(kEscalations.size());
  std::string id, action;
  if (!path.empty()) {
    if (path.front() != '/') return finish(Error(404, "No such resource."));
    path.remove_prefix(1);
    const size_t slash = path.find('/');
    id = std::string(path.substr(0, slash));
    if (slash != std::string_view::npos) {
      action = std::string(path.substr(slash + 1));
    }
    if (id.empty()) return finish(Error(404, "No such resource."));
  }
  const bool reads = action.empty();
  if (reads != (request.method == "GET")) {
    return finish(Error(405, reads ? "Use GET." : "Use POST."));
  }
  finish(Call(request, id, action));
}

Response OperatorApi::Call(const Request& request, const std::string& id,
                           const std::string& action) {
  grpc::ClientContext context;
  Prepare(&context, std::string(request.Header("Authorization").substr(7)),
          absl::Seconds(10));
  if (id.empty()) {
    v1::ListEscalationsRequest list;
    for (const auto& [key, value] : ParseForm(request.query)) {
      if (key == "state") list.add_states(value);
      int limit = 0;
      if (key == "limit" && absl::SimpleAtoi(value, &limit)) {
        list.set_limit(limit);
      }
    }
    v1::ListEscalationsReply reply;
    grpc::Status status = stub_->ListEscalations(&context, list, &reply);
    return status.ok() ? FromProto(reply) : FromStatus(status);
  }
  v1::EscalationRef ref;
  ref.set_id(id);
  if (action.empty()) {
    v1::EscalationDetail detail;
    grpc::Status status = stub_->GetEscalation(&context, ref, &detail);
    return status.ok() ? FromProto(detail) : FromStatus(status);
  }
  const json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("person") ||
      !body["person"].is_string()) {
    return Error(400, "Send JSON with \"person\": your name.");
  }
  ref.set_person(body["person"].get<std::string>());
  v1::EscalationRecord record;
  grpc::Status status;
  if (action == "acknowledge") {
    status = stub_->Acknowledge(&context, ref, &record);
  } else if (action == "release") {
    status = stub_->Release(&context, ref, &record);
  } else if (action == "resolve") {
    status = stub_->Resolve(&context, ref, &record);
  } else if (action == "messages") {
    if (!body.contains("text") || !body["text"].is_string()) {
      return Error(400, "Send JSON with \"text\": the message.");
    }
    v1::SendMessageRequest send;
    send.set_id(id);
    send.set_person(ref.person());
    send.set_text(body["text"].get<std::string>());
    v1::SendMessageReply reply;
    status = stub_->SendMessage(&context, send, &reply);
    return status.ok() ? FromProto(reply) : FromStatus(status);
  } else {
    return Error(404, "No such action.");
  }
  return status.ok() ? FromProto(record) : FromStatus(status);
}

void OperatorApi::Changes(const Request& request, const std::string& token,
                          std::shared_ptr<Responder> responder) {
  absl::StatusOr<LongPoll> poll =
      ParseLongPoll(request.query, absl::Seconds(30));
  if (!poll.ok()) {
    metrics_->CountRequest("operator", 400);
    return responder->Respond(Error(400, std::string(poll.status().message())));
  }
  const int64_t after = poll->after;
  auto context = std::make_shared<grpc::ClientContext>();
  Prepare(context.get(), token, poll->wait);
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_ || static_cast<int>(waiting_.size()) >= max_waiting_) {
      metrics_->CountRequest("operator", 429);
      Response busy = Error(429, "Too many waiting requests; try again.");
      busy.headers.emplace_back("Retry-After", "2");
      return responder->Respond(std::move(busy));
    }
    waiting_.insert(context.get());
  }
  // The watch stream blocks, and operators are few: one thread each.
  std::thread([this, context, after, responder] {
    v1::ListEscalationsReply changed;
    grpc::Status status;
    {
      v1::WatchEscalationsRequest watch;
      watch.set_after_change(after);
      auto reader = stub_->WatchEscalations(context.get(), watch);
      v1::EscalationEvent event;
      if (reader->Read(&event)) {
        *changed.add_escalations() = event.escalation();
      }
      context->TryCancel();
      status = reader->Finish();
    }
    Response response;
    const bool ended_by_us =
        status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
        status.error_code() == grpc::StatusCode::CANCELLED;
    if (changed.escalations_size() > 0 || status.ok() || ended_by_us) {
      response = FromProto(changed);
    } else {
      response = FromStatus(status);
    }
    metrics_->CountRequest("operator", response.status);
    responder->Respond(std::move(response));
    absl::MutexLock lock(&mu_);
    waiting_.erase(context.get());
  }).detach();
}

}  // namespace reconnect::adapters
