// GuideClient: how the gateway reaches the core, through the gRPC API only.
//
// `reconnect serve` passes an in-process channel to its own server;
// `reconnect gateway --upstream` passes a network channel to a remote core.
// Either way the gateway speaks the same contract as any other client.
#ifndef RECONNECT_ADAPTERS_GUIDE_CLIENT_H_
#define RECONNECT_ADAPTERS_GUIDE_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/channel.h"
#include "reconnect/v1/guide.grpc.pb.h"

namespace reconnect::adapters {

class GuideClient {
 public:
  explicit GuideClient(std::shared_ptr<grpc::Channel> channel);

  // Calls Guide.Converse with `deadline`. gRPC errors come back as the
  // matching absl::Status (INVALID_ARGUMENT as InvalidArgument, ...).
  absl::StatusOr<reconnect::v1::ConverseReply> Converse(
      const reconnect::v1::ConverseRequest& request, absl::Duration deadline);

  // Calls Guide.Clinic with `deadline`.
  absl::StatusOr<reconnect::v1::ClinicInfo> Clinic(const std::string& locale,
                                                   absl::Duration deadline);

  reconnect::v1::Guide::Stub* stub() { return stub_.get(); }

 private:
  std::unique_ptr<reconnect::v1::Guide::Stub> stub_;
};

// The request for a message a channel received.
reconnect::v1::ConverseRequest ToConverseRequest(const std::string& channel,
                                                 const Inbound& message);

// The reply as a channel sends it.
Outbound ToOutbound(const reconnect::v1::ConverseReply& reply,
                    const Inbound& message);

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_GUIDE_CLIENT_H_
