// Gateway: the HTTP face of the guide. It routes
//   /healthz, /metrics           liveness and Prometheus metrics
//   /v1/web/...                  the web chat API (web_chat.h)
//   /v1/operator/...             the operator console's API (operator_api.h)
//   /, /operator, /widget.js...  pages and scripts (static_files.h)
//   /v1/telegram/webhook, /v1/slack/events, /v1/whatsapp/webhook,
//   /v1/messenger/webhook, /v1/twilio/sms
//                                the messaging platforms (channel.h)
// and follows Guide.Deliveries so that what a person at the clinic writes
// during a hand-off reaches the user on whichever channel they came from.
//
// A platform webhook is verified, then its messages go to the core at once,
// so a crisis is recorded before the platform gets its 200; the replies are
// then sent through the platform's API from a small pool of senders (Twilio
// gets its reply in the response instead). A core that cannot be reached
// gets the platform a 503, so the platform retries; the retry is answered
// only once, because the core remembers platform message ids.
//
// A platform whose secret is not configured has its path answer 404: no
// unverified message is ever served.
#ifndef RECONNECT_ADAPTERS_GATEWAY_H_
#define RECONNECT_ADAPTERS_GATEWAY_H_

#include <grpcpp/grpcpp.h>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "adapters/channel.h"
#include "adapters/delivery_feed.h"
#include "adapters/guide_client.h"
#include "adapters/http_server.h"
#include "adapters/metrics.h"
#include "adapters/operator_api.h"
#include "adapters/platform_api.h"
#include "adapters/settings.h"
#include "adapters/static_files.h"
#include "adapters/web_chat.h"
#include "adapters/web_inbox.h"
#include "bot/clock.h"
#include "bot/http_client.h"

namespace reconnect::adapters {

struct GatewayOptions {
  HttpServerOptions http;
  WebChatOptions web;
  // Folder of the widget, demo page and operator console ("" serves none).
  std::string web_dir;
  // Where the delivery cursor is kept ("" keeps it in memory only).
  std::string cursor_file;
  int sender_threads = 4;
  size_t max_queued_sends = 10000;
  // Deadline of a webhook's call to the core: within Slack's 3 s.
  absl::Duration webhook_converse_deadline = absl::Milliseconds(2500);
  RetryPolicy platform_retry;
};

// Reads RECONNECT_WEB_ORIGINS (comma-separated) into options.web.
void ReadWebOrigins(const Settings& settings, GatewayOptions* options);

class Gateway {
 public:
  // Starts serving. `core` is the channel to the guide's gRPC API. `http`
  // is used for platform API calls; null means libcurl. `clock` null means
  // the real clock. Not owned.
  static absl::StatusOr<std::unique_ptr<Gateway>> Start(
      std::shared_ptr<grpc::Channel> core, const Settings& settings,
      const GatewayOptions& options, bot::HttpClient* http = nullptr,
      bot::Clock* clock = nullptr);
  ~Gateway();  // Shutdown()

  int port() const { return server_->port(); }
  // Names of the platforms whose secrets are configured.
  std::vector<std::string> configured_channels() const;
  // Stops taking requests, answers waiting long-polls, finishes queued
  // sends and stops following deliveries.
  void Shutdown();

 private:
  Gateway() = default;
  void Handle(Request request, std::shared_ptr<Responder> responder);
  void Webhook(Channel* channel, const Request& request,
               std::shared_ptr<Responder> responder);
  void Deliver(const reconnect::v1::Delivery& delivery);
  // Queues a platform send; false when the queue is full.
  bool Enqueue(Channel* channel, std::string conversation_id, Outbound reply);
  void SendLoop();

  GatewayOptions options_;
  bot::Clock* clock_ = nullptr;
  std::unique_ptr<bot::HttpClient> owned_http_;
  std::unique_ptr<PlatformApi> api_;
  std::unique_ptr<GuideClient> guide_;
  Metrics metrics_;
  std::unique_ptr<WebInbox> inbox_;
  std::unique_ptr<WebChat> web_;
  std::unique_ptr<OperatorApi> operator_api_;
  std::unique_ptr<StaticFiles> static_files_;  // null without a web folder
  // Path -> channel, only for configured platforms.
  std::map<std::string, std::unique_ptr<Channel>> channels_;
  std::map<std::string, std::string> unconfigured_;  // path -> channel name
  std::unique_ptr<DeliveryFeed> feed_;
  std::unique_ptr<HttpServer> server_;

  struct Send {
    Channel* channel;
    std::string conversation_id;
    Outbound reply;
  };
  absl::Mutex queue_mu_;
  std::deque<Send> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  std::vector<std::thread> senders_;
  absl::Notification stop_;
  std::thread housekeeper_;
  bool shut_down_ = false;
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_GATEWAY_H_
