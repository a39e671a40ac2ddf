// End to end through gRPC: the server on an ephemeral loopback port, the
// generated stub, the standard health service and server reflection.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "reconnect/v1/guide.grpc.pb.h"
#include "service/server.h"
#include "tests/testutil.h"

namespace reconnect {
namespace {

using reconnect::v1::ConverseReply;
using reconnect::v1::ConverseRequest;

class EndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto guide = bot::Guide::Create(
        std::string(RECONNECT_SOURCE_DIR) + "/intents", "", {});
    ASSERT_OK(guide.status());
    guide_ = std::move(guide).value().release();
    service::ServerOptions options;
    options.address = "127.0.0.1:0";
    auto server = service::Server::Start(guide_, options);
    ASSERT_OK(server.status());
    server_ = std::move(server).value().release();
  }
  static void TearDownTestSuite() {
    server_->Shutdown();
    delete server_;
    delete guide_;
  }

  void SetUp() override {
    channel_ =
        grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                            grpc::InsecureChannelCredentials());
    stub_ = reconnect::v1::Guide::NewStub(channel_);
  }

  grpc::Status Converse(const ConverseRequest& request, ConverseReply* reply) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    return stub_->Converse(&context, request, reply);
  }

  static ConverseRequest Request(const std::string& conversation,
                                 const std::string& text) {
    ConverseRequest request;
    request.set_channel("web");
    request.set_conversation_id(conversation);
    request.set_text(text);
    request.set_locale("en-US");
    return request;
  }

  static bot::Guide* guide_;
  static service::Server* server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<reconnect::v1::Guide::Stub> stub_;
};

bot::Guide* EndToEndTest::guide_ = nullptr;
service::Server* EndToEndTest::server_ = nullptr;

TEST_F(EndToEndTest, ConversesThroughTheGeneratedStub) {
  ConverseReply reply;
  ASSERT_TRUE(Converse(Request("e2e-1", "What is EMDR?"), &reply).ok());
  EXPECT_EQ(reply.intent(), "therapy.emdr");
  EXPECT_GE(reply.messages_size(), 1);
  EXPECT_GE(reply.quick_replies_size(), 1);
  EXPECT_FALSE(reply.escalation().escalated());

  ConverseReply more;
  ASSERT_TRUE(Converse(Request("e2e-1", "tell me more"), &more).ok());
  EXPECT_EQ(more.intent(), "chat.more");
}

TEST_F(EndToEndTest, CrisisReplyCarriesEscalationAndResources) {
  ConverseReply reply;
  ASSERT_TRUE(Converse(Request("e2e-2", "i want to end it all"), &reply).ok());
  EXPECT_TRUE(reply.escalation().escalated());
  EXPECT_EQ(reply.escalation().category(), "crisis.suicide");
  EXPECT_EQ(reply.escalation().region(), "US");
  ASSERT_GT(reply.escalation().resources_size(), 0);
  bool has_988 = false;
  for (const auto& r : reply.escalation().resources()) {
    has_988 |= r.number() == "988";
  }
  EXPECT_TRUE(has_988);
}

TEST_F(EndToEndTest, RetriedMessageIdIsMarkedDuplicate) {
  ConverseRequest request = Request("e2e-3", "hello");
  request.set_platform_message_id("wamid.1");
  ConverseReply first, second;
  ASSERT_TRUE(Converse(request, &first).ok());
  ASSERT_TRUE(Converse(request, &second).ok());
  EXPECT_FALSE(first.duplicate());
  EXPECT_TRUE(second.duplicate());
  EXPECT_EQ(first.messages(0), second.messages(0));
}

TEST_F(EndToEndTest, UnservableRequestsAreInvalidArgument) {
  ConverseReply reply;
  grpc::Status status = Converse(Request("", "hello"), &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("conversation_id"), std::string::npos);

  ConverseRequest binary = Request("e2e-4", "");
  binary.set_text_bytes(std::string("\x00\x01\x02\x03\x04\xff\xfe", 7));
  status = Converse(binary, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(EndToEndTest, InvalidUtf8BytesAreRepairedAndScreened) {
  ConverseRequest request = Request("e2e-5", "");
  request.set_text_bytes("i want to kill my\xffself... i want to kill myself");
  ConverseReply reply;
  ASSERT_TRUE(Converse(request, &reply).ok());
  EXPECT_TRUE(reply.escalation().escalated());
}

TEST_F(EndToEndTest, OversizedMessageIsScreenedNotRefused) {
  std::string text(20000, 'x');
  text += " i have been thinking about suicide";
  ConverseReply reply;
  ASSERT_TRUE(Converse(Request("e2e-6", text), &reply).ok());
  EXPECT_TRUE(reply.escalation().escalated());
  ASSERT_TRUE(Converse(Request("e2e-7", std::string(20000, 'x')), &reply).ok());
  EXPECT_EQ(reply.intent(), "system.too_long");
}

TEST_F(EndToEndTest, HealthServiceReportsServing) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

// Calls the reflection service's list_services with hand-encoded bytes, so
// the test needs no copy of reflection.proto (whose types the server library
// already registers).
TEST_F(EndToEndTest, ReflectionListsTheServices) {
  grpc::GenericStub generic(channel_);
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  auto call = generic.PrepareCall(
      &context,
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  auto step = [&cq](int tag) {
    void* got = nullptr;
    bool ok = false;
    EXPECT_TRUE(cq.Next(&got, &ok));
    EXPECT_EQ(got, reinterpret_cast<void*>(tag));
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(step(1));
  // ServerReflectionRequest { list_services (field 7) = "" }
  const char request_bytes[] = {0x3a, 0x00};
  grpc::Slice slice(request_bytes, sizeof(request_bytes));
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  ASSERT_TRUE(step(2));
  call->WritesDone(reinterpret_cast<void*>(3));
  ASSERT_TRUE(step(3));
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(4));
  ASSERT_TRUE(step(4));
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  step(5);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  EXPECT_NE(bytes.find("reconnect.v1.Guide"), std::string::npos);
  EXPECT_NE(bytes.find("grpc.health.v1.Health"), std::string::npos);
}

}  // namespace
}  // namespace reconnect
