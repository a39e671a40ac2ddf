// Test helpers for the channels' outbound calls: a scripted HTTP client that
// records what a channel sends, and a PlatformApi over it that retries
// without waiting. For tests only; nothing here touches the network. They
// live in reconnect::testing with the other test helpers (tests/testutil.h).
#ifndef RECONNECT_ADAPTERS_FAKE_HTTP_CLIENT_H_
#define RECONNECT_ADAPTERS_FAKE_HTTP_CLIENT_H_

#include <cstddef>
#include <deque>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/platform_api.h"
#include "bot/http_client.h"

namespace reconnect::testing {

// Records every request and answers with the queued results in order; once
// they run out, with `otherwise` (by default 200 {"ok":true}, a success on
// every platform). Not thread-safe.
class FakeHttpClient : public bot::HttpClient {
 public:
  absl::StatusOr<bot::HttpResponse> Send(
      const bot::HttpRequest& request) override {
    requests.push_back(request);
    if (answers.empty()) return otherwise;
    absl::StatusOr<bot::HttpResponse> answer = answers.front();
    answers.pop_front();
    return answer;
  }

  // The JSON body of the i-th request. Throws when there is no such request
  // or its body is not JSON, which fails the test that asked.
  nlohmann::json Body(size_t i) const {
    return nlohmann::json::parse(requests.at(i).body);
  }

  std::vector<bot::HttpRequest> requests;
  std::deque<absl::StatusOr<bot::HttpResponse>> answers;
  bot::HttpResponse otherwise{200, R"({"ok":true})"};
};

// Returns the value of the first header named exactly `name`, or "".
inline std::string HeaderOf(const bot::HttpRequest& request,
                            const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "";
}

// A PlatformApi over `http` that retries as `policy` says but never sleeps
// between attempts, so that tests of retries run at once.
inline adapters::PlatformApi ImmediateApi(bot::HttpClient* http,
                                          adapters::RetryPolicy policy = {}) {
  return adapters::PlatformApi(http, policy, [](absl::Duration) {});
}

}  // namespace reconnect::testing

#endif  // RECONNECT_ADAPTERS_FAKE_HTTP_CLIENT_H_
