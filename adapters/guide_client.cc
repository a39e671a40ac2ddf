#include "adapters/guide_client.h"

#include <chrono>

namespace reconnect::adapters {

GuideClient::GuideClient(std::shared_ptr<grpc::Channel> channel)
    : stub_(reconnect::v1::Guide::NewStub(channel)) {}

absl::StatusOr<reconnect::v1::ConverseReply> GuideClient::Converse(
    const reconnect::v1::ConverseRequest& request, absl::Duration deadline) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(deadline));
  reconnect::v1::ConverseReply reply;
  grpc::Status status = stub_->Converse(&context, request, &reply);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return reply;
}

absl::StatusOr<reconnect::v1::ClinicInfo> GuideClient::Clinic(
    const std::string& locale, absl::Duration deadline) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(deadline));
  reconnect::v1::ClinicRequest request;
  request.set_locale(locale);
  reconnect::v1::ClinicInfo info;
  grpc::Status status = stub_->Clinic(&context, request, &info);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return info;
}

reconnect::v1::ConverseRequest ToConverseRequest(const std::string& channel,
                                                 const Inbound& message) {
  reconnect::v1::ConverseRequest request;
  request.set_channel(channel);
  request.set_conversation_id(message.conversation_id);
  request.set_platform_message_id(message.message_id);
  // Platform payloads are not guaranteed to be valid UTF-8: the core repairs
  // text_bytes and still screens it.
  request.set_text_bytes(message.text);
  request.set_locale(message.locale);
  return request;
}

Outbound ToOutbound(const reconnect::v1::ConverseReply& reply,
                    const Inbound& message) {
  Outbound out;
  out.messages.assign(reply.messages().begin(), reply.messages().end());
  for (const auto& quick : reply.quick_replies()) {
    out.quick_replies.push_back(quick.label());
  }
  out.crisis = reply.escalation().escalated();
  out.in_reply_to = message.message_id;
  return out;
}

}  // namespace reconnect::adapters
