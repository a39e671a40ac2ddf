// HttpClient: how the guide makes outbound HTTP requests (webhooks now,
// platform APIs later). Core logic never opens a socket itself, so tests can
// put a fake in its place and production uses libcurl.
#ifndef RECONNECT_BOT_HTTP_CLIENT_H_
#define RECONNECT_BOT_HTTP_CLIENT_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace reconnect::bot {

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  absl::Duration timeout = absl::Seconds(10);
};

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends `request` and returns the response, whatever its status code.
  // Returns Unavailable or DeadlineExceeded when no response came back.
  // Thread-safe.
  virtual absl::StatusOr<HttpResponse> Send(const HttpRequest& request) = 0;
};

// Returns a client backed by libcurl. Redirects are not followed: a webhook
// receiver must answer at the configured address.
std::unique_ptr<HttpClient> NewCurlHttpClient();

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_HTTP_CLIENT_H_
