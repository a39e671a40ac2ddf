// The hard escalation path end to end: `reconnect serve` as a real process,
// a webhook receiver on loopback, the operator API and the user's delivery
// stream through gRPC, and a SIGKILL right after an escalation was answered.
#include <grpcpp/grpcpp.h>

#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bot/signing.h"
#include "reconnect/v1/guide.grpc.pb.h"
#include "reconnect/v1/operator.grpc.pb.h"
#include "tests/subprocess.h"
#include "tests/testutil.h"
#include "tests/webhook_receiver.h"

namespace reconnect {
namespace {

using reconnect::testing::FreePort;
using reconnect::testing::Subprocess;
using reconnect::testing::TempDir;
using reconnect::testing::WebhookReceiver;

constexpr char kSecret[] = "test-webhook-secret";
constexpr char kToken[] = "test-operator-token";

class EscalationEndToEnd : public ::testing::Test {
 protected:
  void StartServer(int webhook_port) {
    address_ = absl::StrCat("127.0.0.1:", FreePort());
    server_ = std::make_unique<Subprocess>(
        std::vector<std::string>{
            RECONNECT_BINARY, "serve", "--grpc-address", address_, "--intents",
            std::string(RECONNECT_SOURCE_DIR) + "/intents", "--data-dir",
            data_.path(), "--webhook-retry-seconds", "0.5", "--http-address",
            "127.0.0.1:0"},
        std::vector<std::pair<std::string, std::string>>{
            {"RECONNECT_ESCALATION_WEBHOOK_URL",
             absl::StrCat("http://127.0.0.1:", webhook_port,
                          "/hooks/reconnect")},
            {"RECONNECT_ESCALATION_WEBHOOK_SECRET", kSecret},
            {"RECONNECT_OPERATOR_TOKEN", kToken}},
        data_.path() + "/server.log");
    channel_ =
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    ASSERT_TRUE(channel_->WaitForConnected(std::chrono::system_clock::now() +
                                           std::chrono::seconds(20)))
        << "server did not start:\n"
        << server_->Log();
    guide_ = reconnect::v1::Guide::NewStub(channel_);
    operator_ = reconnect::v1::Operator::NewStub(channel_);
  }

  reconnect::v1::ConverseReply Say(const std::string& conversation,
                                   const std::string& text) {
    grpc::ClientContext context;
    reconnect::v1::ConverseRequest request;
    request.set_channel("web");
    request.set_conversation_id(conversation);
    request.set_text(text);
    request.set_locale("en-US");
    reconnect::v1::ConverseReply reply;
    grpc::Status status = guide_->Converse(&context, request, &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply;
  }

  std::unique_ptr<grpc::ClientContext> OperatorContext() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  // `reconnect escalations list --json`, as a clinic would run it.
  std::vector<nlohmann::json> ListEscalations() {
    std::string command = absl::StrCat(
        RECONNECT_BINARY, " escalations list --json --data-dir ", data_.path());
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
      out.append(buffer, n);
    pclose(pipe);
    std::vector<nlohmann::json> rows;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line))
      rows.push_back(nlohmann::json::parse(line));
    return rows;
  }

  static void ExpectSignedDelivery(const WebhookReceiver::Request& r,
                                   const std::string& escalation_id) {
    EXPECT_EQ(r.target, "/hooks/reconnect");
    EXPECT_EQ(r.headers.at("x-reconnect-signature"),
              "sha256=" + bot::HmacSha256Hex(kSecret, r.body));
    EXPECT_EQ(r.headers.at("idempotency-key"), escalation_id);
    EXPECT_EQ(nlohmann::json::parse(r.body)["id"], escalation_id);
  }

  TempDir data_;
  std::string address_;
  std::unique_ptr<Subprocess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<reconnect::v1::Guide::Stub> guide_;
  std::unique_ptr<reconnect::v1::Operator::Stub> operator_;
};

TEST_F(EscalationEndToEnd, WebhookDeliveredWithAValidSignature) {
  WebhookReceiver receiver;
  StartServer(receiver.port());
  auto reply = Say("e2e-sig", "i want to end it all");
  ASSERT_TRUE(reply.escalation().escalated());
  ASSERT_TRUE(reply.escalation().handed_off());
  ASSERT_TRUE(receiver.WaitForRequests(1, absl::Seconds(15)));
  ExpectSignedDelivery(receiver.requests()[0], reply.escalation().id());
  // Delivered means delivered once.
  absl::SleepFor(absl::Seconds(1.5));
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST_F(EscalationEndToEnd, ReceiverDownThenUpIsDeliveredWithTheSameKey) {
  const int port = FreePort();  // nothing listens there yet
  StartServer(port);
  auto reply = Say("e2e-down", "i want to kill myself");
  const std::string id = reply.escalation().id();
  ASSERT_FALSE(id.empty());
  absl::SleepFor(absl::Seconds(2));
  auto rows = ListEscalations();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["webhook_state"], "pending");
  EXPECT_GE(rows[0]["webhook_attempts"].get<int>(), 1);
  WebhookReceiver receiver(port);
  ASSERT_TRUE(receiver.WaitForRequests(1, absl::Seconds(30)));
  ExpectSignedDelivery(receiver.requests()[0], id);
}

TEST_F(EscalationEndToEnd, SigkillRightAfterTheReplyLosesNothing) {
  const int port = FreePort();
  StartServer(port);
  auto reply = Say("e2e-kill", "i want to end it all");
  const std::string id = reply.escalation().id();
  ASSERT_TRUE(reply.escalation().handed_off());
  server_->Stop(SIGKILL);  // no chance to flush or finish anything

  auto rows = ListEscalations();
  ASSERT_EQ(rows.size(), 1u) << "the escalation must survive SIGKILL";
  EXPECT_EQ(rows[0]["id"], id);
  EXPECT_EQ(rows[0]["state"], "open");
  EXPECT_EQ(rows[0]["category"], "crisis.suicide");
  EXPECT_EQ(rows[0]["trigger_text"], "i want to end it all");
  std::cout << "after SIGKILL, escalations list --json: " << rows[0].dump()
            << "\n";

  WebhookReceiver receiver(port);
  StartServer(port);
  ASSERT_TRUE(receiver.WaitForRequests(1, absl::Seconds(20)));
  ExpectSignedDelivery(receiver.requests()[0], id);
  std::cout << "after restart, delivered with Idempotency-Key "
            << receiver.requests()[0].headers.at("idempotency-key") << "\n";
  // The conversation is still with a person after the restart.
  EXPECT_EQ(Say("e2e-kill", "hello?").intent(), "system.holding");
}

TEST_F(EscalationEndToEnd, OperatorReplyReachesTheUserAndReleaseHandsBack) {
  WebhookReceiver receiver;
  StartServer(receiver.port());
  // The user's channel listens for messages from people.
  grpc::ClientContext deliveries_context;
  reconnect::v1::DeliveriesRequest deliveries_request;
  deliveries_request.set_channel("web");
  auto deliveries = guide_->Deliveries(&deliveries_context, deliveries_request);

  auto reply = Say("e2e-op", "can i talk to a real person please");
  ASSERT_TRUE(reply.escalation().escalated());
  const std::string id = reply.escalation().id();

  // The operator sees it on the watch stream.
  auto watch_context = OperatorContext();
  auto watch = operator_->WatchEscalations(
      watch_context.get(), reconnect::v1::WatchEscalationsRequest());
  reconnect::v1::EscalationEvent event;
  ASSERT_TRUE(watch->Read(&event));
  EXPECT_EQ(event.escalation().id(), id);
  EXPECT_EQ(event.escalation().state(), "open");
  watch_context->TryCancel();

  reconnect::v1::SendMessageRequest send;
  send.set_id(id);
  send.set_person("Sam");
  send.set_text("Hi, this is Sam at the clinic. I'm here.");
  reconnect::v1::SendMessageReply sent;
  ASSERT_TRUE(
      operator_->SendMessage(OperatorContext().get(), send, &sent).ok());

  reconnect::v1::Delivery delivery;
  ASSERT_TRUE(deliveries->Read(&delivery));
  EXPECT_EQ(delivery.conversation_id(), "e2e-op");
  EXPECT_EQ(delivery.sender(), "operator");
  EXPECT_EQ(delivery.author(), "Sam");
  EXPECT_EQ(delivery.text(), "Hi, this is Sam at the clinic. I'm here.");

  EXPECT_EQ(Say("e2e-op", "thank you").intent(), "system.holding");

  reconnect::v1::EscalationRef ref;
  ref.set_id(id);
  ref.set_person("Sam");
  reconnect::v1::EscalationRecord released;
  ASSERT_TRUE(operator_->Release(OperatorContext().get(), ref, &released).ok());
  EXPECT_EQ(released.state(), "released");
  ASSERT_TRUE(deliveries->Read(&delivery));
  EXPECT_EQ(delivery.sender(), "guide");
  EXPECT_NE(delivery.text().find("handed you back"), std::string::npos);
  deliveries_context.TryCancel();

  EXPECT_EQ(Say("e2e-op", "what is emdr").intent(), "therapy.emdr");
}

TEST_F(EscalationEndToEnd, WatchResumesAfterReconnectWithoutGaps) {
  WebhookReceiver receiver;
  StartServer(receiver.port());
  auto first = Say("e2e-watch", "can i talk to a real person please");
  int64_t cursor = 0;
  {
    auto context = OperatorContext();
    auto watch = operator_->WatchEscalations(
        context.get(), reconnect::v1::WatchEscalationsRequest());
    reconnect::v1::EscalationEvent event;
    ASSERT_TRUE(watch->Read(&event));
    EXPECT_EQ(event.escalation().id(), first.escalation().id());
    cursor = event.escalation().change_seq();
    context->TryCancel();
  }
  // While nobody watches: the user writes again, and a new escalation comes.
  Say("e2e-watch", "hello? anyone?");
  auto second = Say("e2e-watch-2", "i want to end it all");
  reconnect::v1::WatchEscalationsRequest resume;
  resume.set_after_change(cursor);
  auto context = OperatorContext();
  auto watch = operator_->WatchEscalations(context.get(), resume);
  std::set<std::string> seen;
  reconnect::v1::EscalationEvent event;
  while (seen.size() < 2 && watch->Read(&event)) {
    EXPECT_GT(event.escalation().change_seq(), cursor);
    seen.insert(event.escalation().id());
  }
  EXPECT_TRUE(seen.count(first.escalation().id()));   // its new message
  EXPECT_TRUE(seen.count(second.escalation().id()));  // the new escalation
  context->TryCancel();
}

TEST_F(EscalationEndToEnd, OperatorApiRefusesWithoutTheToken) {
  WebhookReceiver receiver;
  StartServer(receiver.port());
  reconnect::v1::ListEscalationsReply list;
  grpc::ClientContext anonymous;
  EXPECT_EQ(operator_->ListEscalations(&anonymous, {}, &list).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext wrong;
  wrong.AddMetadata("authorization", "Bearer nope");
  EXPECT_EQ(operator_->ListEscalations(&wrong, {}, &list).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(
      operator_->ListEscalations(OperatorContext().get(), {}, &list).ok());
}

}  // namespace
}  // namespace reconnect
