#include "adapters/gateway.h"

#include <iostream>

#include "absl/strings/str_split.h"
#include "adapters/meta.h"
#include "adapters/slack.h"
#include "adapters/telegram.h"
#include "adapters/twilio.h"

namespace reconnect::adapters {

void ReadWebOrigins(const Settings& settings, GatewayOptions* options) {
  const std::string origins = settings.Get("RECONNECT_WEB_ORIGINS");
  for (absl::string_view origin :
       absl::StrSplit(origins, ',', absl::SkipWhitespace())) {
    std::string o(absl::StripAsciiWhitespace(origin));
    while (!o.empty() && o.back() == '/') o.pop_back();
    if (!o.empty()) options->web.allowed_origins.push_back(o);
  }
}

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Start(
    std::shared_ptr<grpc::Channel> core, const Settings& settings,
    const GatewayOptions& options, bot::HttpClient* http, bot::Clock* clock) {
  std::unique_ptr<Gateway> g(new Gateway());
  g->options_ = options;
  g->clock_ = clock != nullptr ? clock : bot::Clock::Real();
  if (http == nullptr) {
    g->owned_http_ = bot::NewCurlHttpClient();
    http = g->owned_http_.get();
  }
  g->api_ = std::make_unique<PlatformApi>(http, options.platform_retry);
  g->guide_ = std::make_unique<GuideClient>(core);
  g->inbox_ = std::make_unique<WebInbox>(WebInbox::Options{}, g->clock_);
  g->web_ = std::make_unique<WebChat>(options.web, g->guide_.get(),
                                      g->inbox_.get(), &g->metrics_, g->clock_);
  g->operator_api_ = std::make_unique<OperatorApi>(core, &g->metrics_);
  if (!options.web_dir.empty()) {
    auto files = StaticFiles::Load(options.web_dir);
    if (!files.ok()) return files.status();
    g->static_files_ = std::move(files).value();
  }

  // Each platform is served only when its secret is set.
  auto add = [&g](const std::string& path, const std::string& name,
                  bool configured, auto make) {
    if (configured) {
      g->channels_[path] = make();
    } else {
      g->unconfigured_[path] = name;
    }
  };
  const PlatformApi* api = g->api_.get();
  TelegramConfig telegram;
  telegram.secret_token = settings.Get("RECONNECT_TELEGRAM_SECRET_TOKEN");
  telegram.bot_token = settings.Get("RECONNECT_TELEGRAM_BOT_TOKEN");
  telegram.api_base =
      settings.Get("RECONNECT_TELEGRAM_API_BASE", telegram.api_base);
  add("/v1/telegram/webhook", "telegram", !telegram.secret_token.empty(),
      [&] { return std::make_unique<TelegramChannel>(telegram, api); });

  SlackConfig slack;
  slack.signing_secret = settings.Get("RECONNECT_SLACK_SIGNING_SECRET");
  slack.bot_token = settings.Get("RECONNECT_SLACK_BOT_TOKEN");
  slack.api_base = settings.Get("RECONNECT_SLACK_API_BASE", slack.api_base);
  add("/v1/slack/events", "slack", !slack.signing_secret.empty(),
      [&] { return std::make_unique<SlackChannel>(slack, api); });

  MetaConfig meta;
  meta.app_secret = settings.Get("RECONNECT_META_APP_SECRET");
  meta.verify_token = settings.Get("RECONNECT_META_VERIFY_TOKEN");
  meta.api_base = settings.Get("RECONNECT_META_API_BASE", meta.api_base);
  MetaConfig whatsapp = meta;
  whatsapp.access_token = settings.Get("RECONNECT_WHATSAPP_TOKEN");
  add("/v1/whatsapp/webhook", "whatsapp", !meta.app_secret.empty(),
      [&] { return std::make_unique<WhatsAppChannel>(whatsapp, api); });
  MetaConfig messenger = meta;
  messenger.access_token = settings.Get("RECONNECT_MESSENGER_PAGE_TOKEN");
  add("/v1/messenger/webhook", "messenger", !meta.app_secret.empty(),
      [&] { return std::make_unique<MessengerChannel>(messenger, api); });

  TwilioConfig twilio;
  twilio.auth_token = settings.Get("RECONNECT_TWILIO_AUTH_TOKEN");
  twilio.account_sid = settings.Get("RECONNECT_TWILIO_ACCOUNT_SID");
  twilio.public_url = settings.Get("RECONNECT_PUBLIC_URL");
  twilio.api_base = settings.Get("RECONNECT_TWILIO_API_BASE", twilio.api_base);
  twilio.preview_line =
      settings.Get("RECONNECT_SMS_PREVIEW_LINE", twilio.preview_line);
  add("/v1/twilio/sms", "sms", !twilio.auth_token.empty(),
      [&] { return std::make_unique<TwilioSmsChannel>(twilio, api); });

  Gateway* self = g.get();
  auto server = HttpServer::Start(
      options.http, [self](Request request, std::shared_ptr<Responder> r) {
        self->Handle(std::move(request), std::move(r));
      });
  if (!server.ok()) return server.status();
  g->server_ = std::move(server).value();

  for (int i = 0; i < std::max(1, options.sender_threads); ++i) {
    g->senders_.emplace_back([self] { self->SendLoop(); });
  }
  g->housekeeper_ = std::thread([self] {
    while (
        !self->stop_.WaitForNotificationWithTimeout(absl::Milliseconds(250))) {
      self->inbox_->Expire();
    }
  });
  g->feed_ = std::make_unique<DeliveryFeed>(
      g->guide_->stub(), options.cursor_file,
      [self](const reconnect::v1::Delivery& d) { self->Deliver(d); });
  g->feed_->Start();
  return g;
}

Gateway::~Gateway() { Shutdown(); }

std::vector<std::string> Gateway::configured_channels() const {
  std::vector<std::string> names;
  for (const auto& [path, channel] : channels_) {
    names.emplace_back(channel->name());
  }
  return names;
}

void Gateway::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  server_->Shutdown();
  inbox_->Close();
  operator_api_->Shutdown();
  feed_->Stop();
  stop_.Notify();
  housekeeper_.join();
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  for (auto& sender : senders_) sender.join();
}

void Gateway::Handle(Request request, std::shared_ptr<Responder> responder) {
  const std::string& path = request.path;
  if (path == "/healthz") {
    metrics_.CountRequest("gateway", 200);
    return responder->Respond(TextResponse(200, "ok"));
  }
  if (path == "/metrics") {
    metrics_.CountRequest("gateway", 200);
    Response response = TextResponse(200, metrics_.Render());
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return responder->Respond(std::move(response));
  }
  if (path.rfind("/v1/web/", 0) == 0) {
    return web_->Handle(request, std::move(responder));
  }
  if (path.rfind("/v1/operator/", 0) == 0) {
    return operator_api_->Handle(request, std::move(responder));
  }
  if (static_files_ != nullptr) {
    if (auto file = static_files_->Serve(request)) {
      metrics_.CountRequest("gateway", file->status);
      return responder->Respond(*std::move(file));
    }
  }
  if (auto it = channels_.find(path); it != channels_.end()) {
    return Webhook(it->second.get(), request, std::move(responder));
  }
  if (auto it = unconfigured_.find(path); it != unconfigured_.end()) {
    metrics_.CountRequest(it->second, 404);
    return responder->Respond(TextResponse(
        404, "The " + it->second + " channel is not configured here."));
  }
  metrics_.CountRequest("gateway", 404);
  responder->Respond(TextResponse(404, "Not found."));
}

void Gateway::Webhook(Channel* channel, const Request& request,
                      std::shared_ptr<Responder> responder) {
  const std::string name(channel->name());
  Received received = channel->Receive(request, clock_->Now());
  if (received.messages.empty()) {
    // Refused, a handshake, or nothing for the guide.
    metrics_.CountRequest(name, received.response.status);
    return responder->Respond(std::move(received.response));
  }
  std::vector<std::pair<Inbound, Outbound>> replies;
  bool core_down = false;
  for (const Inbound& message : received.messages) {
    const absl::Time start = clock_->Now();
    auto reply = guide_->Converse(ToConverseRequest(name, message),
                                  options_.webhook_converse_deadline);
    if (!reply.ok()) {
      if (reply.status().code() == absl::StatusCode::kInvalidArgument) {
        std::cerr << "reconnect gateway: " << name
                  << " message refused by the guide: "
                  << reply.status().message() << "\n";
        continue;
      }
      core_down = true;
      break;
    }
    metrics_.CountReply(name, clock_->Now() - start,
                        reply->escalation().escalated());
    // A retried webhook: the first delivery already answered it.
    if (reply->duplicate()) continue;
    replies.emplace_back(message, ToOutbound(*reply, message));
  }
  Response response;
  if (channel->ReplyInResponse() && !core_down) {
    std::vector<Outbound> outbound;
    for (auto& [message, reply] : replies) outbound.push_back(reply);
    response = channel->RenderResponse(outbound);
  } else {
    for (auto& [message, reply] : replies) {
      if (!Enqueue(channel, message.conversation_id, std::move(reply))) {
        metrics_.CountSendFailure(name);
        std::cerr << "reconnect gateway: " << name
                  << " send queue is full; a reply was dropped\n";
      }
    }
    response = core_down ? TextResponse(503,
                                        "The guide is unavailable; "
                                        "please retry.")
                         : received.response;
  }
  metrics_.CountRequest(name, response.status);
  responder->Respond(std::move(response));
}

bool Gateway::Enqueue(Channel* channel, std::string conversation_id,
                      Outbound reply) {
  absl::MutexLock lock(&queue_mu_);
  if (stopping_ || queue_.size() >= options_.max_queued_sends) return false;
  queue_.push_back(Send{channel, std::move(conversation_id), std::move(reply)});
  return true;
}

void Gateway::SendLoop() {
  while (true) {
    Send send;
    {
      absl::MutexLock lock(&queue_mu_);
      queue_mu_.Await(absl::Condition(
          +[](Gateway* g) ABSL_EXCLUSIVE_LOCKS_REQUIRED(g->queue_mu_) {
            return g->stopping_ || !g->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and nothing left to send
      send = std::move(queue_.front());
      queue_.pop_front();
    }
    absl::Status status = send.channel->Send(send.conversation_id, send.reply);
    if (!status.ok()) {
      metrics_.CountSendFailure(std::string(send.channel->name()));
      std::cerr << "reconnect gateway: " << send.channel->name()
                << " send failed: " << status.message() << "\n";
    }
  }
}

void Gateway::Deliver(const reconnect::v1::Delivery& delivery) {
  if (delivery.channel() == "web") {
    inbox_->Add(delivery.conversation_id(),
                WebEvent{delivery.seq(), delivery.sender(), delivery.author(),
                         delivery.text()});
    return;
  }
  for (const auto& [path, channel] : channels_) {
    if (channel->name() != delivery.channel()) continue;
    Outbound message;
    message.messages = {delivery.text()};
    message.author = delivery.author();
    // Sent from the feed's own thread, before the cursor moves past it, so
    // a message is never skipped.
    absl::Status status = channel->Send(delivery.conversation_id(), message);
    if (!status.ok()) {
      metrics_.CountSendFailure(delivery.channel());
      std::cerr << "reconnect gateway: " << delivery.channel()
                << " delivery failed: " << status.message() << "\n";
    }
    return;
  }
}

}  // namespace reconnect::adapters
