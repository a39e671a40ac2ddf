#include "service/guide_service.h"

namespace reconnect::service {

bot::Message FromProto(const reconnect::v1::ConverseRequest& request) {
  bot::Message message;
  message.channel = request.channel().empty() ? "api" : request.channel();
  message.conversation_id = request.conversation_id();
  message.platform_message_id = request.platform_message_id();
  message.text =
      request.has_text_bytes() ? request.text_bytes() : request.text();
  message.locale = request.locale();
  return message;
}

namespace {

void ToProto(const bot::Resource& r, reconnect::v1::Resource* out) {
  out->set_name(r.name);
  out->set_number(r.number);
  out->set_kind(r.kind);
  out->set_note(r.note);
}

}  // namespace

void ToProto(const bot::Reply& reply, reconnect::v1::ConverseReply* out) {
  for (const auto& m : reply.messages) out->add_messages(m);
  for (const auto& q : reply.quick_replies)
    out->add_quick_replies()->set_label(q);
  out->set_intent(reply.intent);
  out->set_duplicate(reply.duplicate);
  out->set_clarifying(reply.clarifying);
  auto* escalation = out->mutable_escalation();
  escalation->set_escalated(reply.escalated);
  if (!reply.escalated) return;
  escalation->set_category(reply.category);
  escalation->set_region(reply.region);
  escalation->set_id(reply.escalation_id);
  escalation->set_handed_off(reply.handed_off);
  for (const auto& r : reply.resources) {
    ToProto(r, escalation->add_resources());
  }
}

grpc::Status GuideService::Clinic(grpc::ServerContext* /*context*/,
                                  const reconnect::v1::ClinicRequest* request,
                                  reconnect::v1::ClinicInfo* info) {
  const bot::ClinicCard card = guide_->Clinic(request->locale());
  info->set_name(card.name);
  info->set_region(card.region);
  info->set_emergency_number(card.emergency_number);
  for (const auto& r : card.resources) ToProto(r, info->add_resources());
  return grpc::Status::OK;
}

grpc::Status GuideService::Converse(
    grpc::ServerContext* /*context*/,
    const reconnect::v1::ConverseRequest* request,
    reconnect::v1::ConverseReply* reply) {
  absl::StatusOr<bot::Reply> answer = guide_->Converse(FromProto(*request));
  if (!answer.ok()) {
    const bool invalid =
        answer.status().code() == absl::StatusCode::kInvalidArgument;
    return grpc::Status(invalid ? grpc::StatusCode::INVALID_ARGUMENT
                                : grpc::StatusCode::INTERNAL,
                        std::string(answer.status().message()));
  }
  ToProto(*answer, reply);
  return grpc::Status::OK;
}

grpc::Status GuideService::Deliveries(
    grpc::ServerContext* context,
    const reconnect::v1::DeliveriesRequest* request,
    grpc::ServerWriter<reconnect::v1::Delivery>* writer) {
  bot::HandoffDesk* desk = guide_->handoff();
  if (desk == nullptr) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "no escalation store: hand-offs are off");
  }
  int64_t cursor = request->after_seq();
  reconnect::v1::Delivery delivery;
  if (cursor < 0) {
    auto last = desk->store()->LastMessageSeq();
    if (!last.ok()) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          std::string(last.status().message()));
    }
    cursor = *last;
    delivery.set_seq(cursor);  // the marker: a place, no message
    if (!writer->Write(delivery)) return grpc::Status::OK;
  }
  while (!context->IsCancelled()) {
    const uint64_t seen = desk->changes().version();
    auto batch = desk->store()->OutboundSince(cursor, request->channel(), 100);
    if (!batch.ok()) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          std::string(batch.status().message()));
    }
    for (const auto& m : *batch) {
      delivery.set_seq(m.seq);
      delivery.set_conversation_id(m.conversation_id);
      delivery.set_channel(m.channel);
      delivery.set_text(m.text);
      delivery.set_sender(bot::SenderName(m.sender));
      delivery.set_author(m.author);
      delivery.set_escalation_id(m.escalation_id);
      if (!writer->Write(delivery)) return grpc::Status::OK;
      cursor = m.seq;
    }
    // Short waits, so a cancelled stream (a gateway shutting down) ends
    // promptly rather than holding up the server's shutdown.
    if (batch->empty()) {
      desk->changes().WaitForChange(seen, absl::Milliseconds(200));
    }
  }
  return grpc::Status::OK;
}

}  // namespace reconnect::service
