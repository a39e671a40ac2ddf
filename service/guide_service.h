// GuideService: the gRPC face of the guide (reconnect.v1.Guide).
//
// A thin shell: it translates ConverseRequest into a bot::Message, asks the
// bot::Guide, and translates the bot::Reply back. The guide never sees gRPC
// types, and this class makes no decision of its own beyond mapping errors:
// the guide's InvalidArgument becomes gRPC INVALID_ARGUMENT with its message.
#ifndef RECONNECT_SERVICE_GUIDE_SERVICE_H_
#define RECONNECT_SERVICE_GUIDE_SERVICE_H_

#include "bot/guide.h"
#include "reconnect/v1/guide.grpc.pb.h"

namespace reconnect::service {

class GuideService final : public reconnect::v1::Guide::Service {
 public:
  // `guide` must outlive the service.
  explicit GuideService(bot::Guide* guide) : guide_(guide) {}

  grpc::Status Converse(grpc::ServerContext* context,
                        const reconnect::v1::ConverseRequest* request,
                        reconnect::v1::ConverseReply* reply) override;
  grpc::Status Clinic(grpc::ServerContext* context,
                      const reconnect::v1::ClinicRequest* request,
                      reconnect::v1::ClinicInfo* info) override;
  grpc::Status Deliveries(
      grpc::ServerContext* context,
      const reconnect::v1::DeliveriesRequest* request,
      grpc::ServerWriter<reconnect::v1::Delivery>* writer) override;

 private:
  bot::Guide* guide_;
};

// Converts between the API's messages and the guide's values. Exposed for the
// CLI's in-process chat and for tests.
bot::Message FromProto(const reconnect::v1::ConverseRequest& request);
void ToProto(const bot::Reply& reply, reconnect::v1::ConverseReply* out);

}  // namespace reconnect::service

#endif  // RECONNECT_SERVICE_GUIDE_SERVICE_H_
