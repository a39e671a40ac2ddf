#include "adapters/platform_api.h"

#include <deque>
#include <vector>

#include "gtest/gtest.h"

namespace reconnect::adapters {
namespace {

class ScriptedHttp : public bot::HttpClient {
 public:
  absl::StatusOr<bot::HttpResponse> Send(
      const bot::HttpRequest& request) override {
    requests.push_back(request);
    if (script.empty()) return absl::UnavailableError("no script");
    auto next = script.front();
    script.pop_front();
    return next;
  }
  std::deque<absl::StatusOr<bot::HttpResponse>> script;
  std::vector<bot::HttpRequest> requests;
};

bot::HttpResponse Status(int code) { return bot::HttpResponse{code, ""}; }

class PlatformApiTest : public ::testing::Test {
 protected:
  PlatformApi Api(int attempts) {
    RetryPolicy policy;
    policy.attempts = attempts;
    policy.timeout = absl::Seconds(3);
    policy.first_backoff = absl::Milliseconds(100);
    return PlatformApi(&http_, policy,
                       [this](absl::Duration d) { sleeps_.push_back(d); });
  }
  ScriptedHttp http_;
  std::vector<absl::Duration> sleeps_;
};

TEST_F(PlatformApiTest, RetriesUnavailableAndServerErrorsWithBackoff) {
  http_.script = {absl::UnavailableError("refused"), Status(503), Status(200)};
  auto response = Api(3).Call(bot::HttpRequest{});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(http_.requests.size(), 3u);
  EXPECT_EQ(sleeps_, (std::vector<absl::Duration>{absl::Milliseconds(100),
                                                  absl::Milliseconds(200)}));
  EXPECT_EQ(http_.requests[0].timeout, absl::Seconds(3));
}

TEST_F(PlatformApiTest, ReturnsClientErrorsWithoutRetrying) {
  http_.script = {Status(400), Status(200)};
  auto response = Api(3).Call(bot::HttpRequest{});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(PlatformApiTest, GivesUpAfterTheLastAttemptWithoutTheUrl) {
  http_.script = {Status(429), Status(429)};
  bot::HttpRequest request;
  request.url = "https://api.example/botSECRET/sendMessage";
  auto response = Api(2).Call(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(response.status().message().find("SECRET"), std::string::npos);
  EXPECT_EQ(http_.requests.size(), 2u);
}

TEST(StatusForHttpError, MapsRefusals) {
  EXPECT_EQ(StatusForHttpError(400, "m").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusForHttpError(401, "m").code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(StatusForHttpError(403, "m").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(StatusForHttpError(404, "m").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(StatusForHttpError(409, "m").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(StatusForHttpError(502, "m").code(), absl::StatusCode::kUnknown);
  EXPECT_EQ(StatusForHttpError(400, "why").message(), "why");
}

}  // namespace
}  // namespace reconnect::adapters
