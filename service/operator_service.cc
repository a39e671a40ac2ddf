#include "service/operator_service.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "bot/signing.h"

namespace reconnect::service {
namespace {

constexpr int kBatch = 100;

}  // namespace

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbers.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

void ToProto(const bot::Escalation& e, reconnect::v1::EscalationRecord* out) {
  out->set_id(e.id);
  out->set_conversation_id(e.conversation_id);
  out->set_channel(e.channel);
  out->set_category(e.category);
  out->set_rule(e.rule);
  out->set_region(e.region);
  out->set_state(bot::StateName(e.state));
  out->set_trigger_text(e.trigger_text);
  out->set_created_at_unix_ms(absl::ToUnixMillis(e.created_at));
  out->set_updated_at_unix_ms(absl::ToUnixMillis(e.updated_at));
  out->set_acknowledged_by(e.acknowledged_by);
  out->set_change_seq(e.change_seq);
  out->set_webhook_state(bot::WebhookStateName(e.webhook));
  out->set_webhook_attempts(e.webhook_attempts);
  out->set_webhook_last_error(e.webhook_last_error);
  out->set_reminders(e.reminders);
}

void ToProto(const bot::HandoffMessage& m, reconnect::v1::HandoffMessage* out) {
  out->set_seq(m.seq);
  out->set_sender(bot::SenderName(m.sender));
  out->set_author(m.author);
  out->set_text(m.text);
  out->set_created_at_unix_ms(absl::ToUnixMillis(m.created_at));
}

grpc::Status OperatorService::Authorize(grpc::ServerContext* context) const {
  if (token_.empty()) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "the operator API is disabled: set "
                        "RECONNECT_OPERATOR_TOKEN on the server");
  }
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "missing 'authorization: Bearer <operator token>'");
  }
  const std::string value(it->second.data(), it->second.size());
  const std::string prefix = "Bearer ";
  if (!absl::StartsWith(value, prefix) ||
      !bot::ConstantTimeEquals(value.substr(prefix.size()), token_)) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "wrong operator token");
  }
  return grpc::Status::OK;
}

grpc::Status OperatorService::WatchEscalations(
    grpc::ServerContext* context,
    const reconnect::v1::WatchEscalationsRequest* request,
    grpc::ServerWriter<reconnect::v1::EscalationEvent>* writer) {
  if (grpc::Status auth = Authorize(context); !auth.ok()) return auth;
  bot::EscalationStore* store = desk_->store();
  int64_t cursor = request->after_change();
  reconnect::v1::EscalationEvent event;
  if (cursor == 0) {
    // Start with everything still owed a person's attention (with a person
    // now, or timed out before anyone acknowledged it), oldest first, then
    // only what changes from now on.
    auto now = store->CurrentChange();
    if (!now.ok()) return ToGrpc(now.status());
    auto waiting = store->List(
        {bot::EscalationState::kOpen, bot::EscalationState::kAcknowledged,
         bot::EscalationState::kTimedOut},
        10000);
    if (!waiting.ok()) return ToGrpc(waiting.status());
    std::reverse(waiting->begin(), waiting->end());
    for (const auto& e : *waiting) {
      if (e.state == bot::EscalationState::kTimedOut &&
          !e.acknowledged_by.empty()) {
        continue;
      }
      ToProto(e, event.mutable_escalation());
      if (!writer->Write(event)) return grpc::Status::OK;
    }
    cursor = *now;
  }
  while (!context->IsCancelled()) {
    const uint64_t seen = desk_->changes().version();
    auto changed = store->ChangedSince(cursor, kBatch);
    if (!changed.ok()) return ToGrpc(changed.status());
    for (const auto& e : *changed) {
      ToProto(e, event.mutable_escalation());
      if (!writer->Write(event)) return grpc::Status::OK;
      cursor = e.change_seq;
    }
    if (changed->empty())
      desk_->changes().WaitForChange(seen, absl::Seconds(1));
  }
  return grpc::Status::OK;
}

grpc::Status OperatorService::ListEscalations(
    grpc::ServerContext* context,
    const reconnect::v1::ListEscalationsRequest* request,
    reconnect::v1::ListEscalationsReply* reply) {
  if (grpc::Status auth = Authorize(context); !auth.ok()) return auth;
  std::vector<bot::EscalationState> states;
  for (const auto& name : request->states()) {
    auto state = bot::ParseState(name);
    if (!state.has_value()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "unknown state '" + name + "'");
    }
    states.push_back(*state);
  }
  const int limit =
      request->limit() > 0 ? std::min(request->limit(), 10000) : 100;
  auto list = desk_->store()->List(states, limit);
  if (!list.ok()) return ToGrpc(list.status());
  for (const auto& e : *list) ToProto(e, reply->add_escalations());
  return grpc::Status::OK;
}

grpc::Status OperatorService::GetEscalation(
    grpc::ServerContext* context, const reconnect::v1::EscalationRef* request,
    reconnect::v1::EscalationDetail* reply) {
  if (grpc::Status auth = Authorize(context); !auth.ok()) return auth;
  auto e = desk_->store()->Get(request->id());
  if (!e.ok()) return ToGrpc(e.status());
  ToProto(*e, reply->mutable_escalation());
  auto messages = desk_->store()->Messages(request->id());
  if (!messages.ok()) return ToGrpc(messages.status());
  for (const auto& m : *messages) ToProto(m, reply->add_messages());
  return grpc::Status::OK;
}

grpc::Status OperatorService::Acknowledge(
    grpc::ServerContext* context, const reconnect::v1::EscalationRef* request,
    reconnect::v1::EscalationRecord* reply) {
  if (grpc::Status auth = Authorize(context); !auth.ok()) return auth;
  auto e = desk_->Acknowledge(request->id(), request->person());
  if (!e.ok()) return ToGrpc(e.status());
  ToProto(*e, reply);
  return grpc::Status::OK;
}

grpc::Status OperatorService::SendMessage(
    grpc::ServerContext* context,
    const reconnect::v1::SendMessageRequest* request,
    reconnect::v1::SendMessageReply* reply) {
  if (grpc::Status auth = Authorize(context); !auth.ok()) return auth;
  if (request->text().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "empty message");
  }
  auto m = desk_->SendToUser(request->id(), request->person(), request->text());
  if (!m.ok()) return ToGrpc(m.status());
  ToProto(*m, reply->mutable_message());
  return grpc::Status::OK;
}

grpc::Status OperatorService::Release(
    grpc::ServerContext* context, const reconnect::v1::EscalationRef* request,
    reconnect::v1::EscalationRecord* reply) {
  if (grpc::Status auth = Authorize(context); !auth.ok()) return auth;
  auto e = desk_->Release(request->id(), request->person());
  if (!e.ok()) return ToGrpc(e.status());
  ToProto(*e, reply);
  return grpc::Status::OK;
}

grpc::Status OperatorService::Resolve(
    grpc::ServerContext* context, const reconnect::v1::EscalationRef* request,
    reconnect::v1::EscalationRecord* reply) {
  if (grpc::Status auth = Authorize(context); !auth.ok()) return auth;
  auto e = desk_->Resolve(request->id(), request->person());
  if (!e.ok()) return ToGrpc(e.status());
  ToProto(*e, reply);
  return grpc::Status::OK;
}

}  // namespace reconnect::service
