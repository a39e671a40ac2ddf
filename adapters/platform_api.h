// PlatformApi: outbound calls to a messaging platform's HTTP API, with a
// deadline on every attempt and retries with back-off for the failures worth
// retrying (no answer, 429, 5xx). Every channel sends through one, pointed at
// a base URL that configuration can replace with a local fake.
#ifndef RECONNECT_ADAPTERS_PLATFORM_API_H_
#define RECONNECT_ADAPTERS_PLATFORM_API_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bot/http_client.h"

namespace reconnect::adapters {

struct RetryPolicy {
  int attempts = 3;                           // including the first
  absl::Duration timeout = absl::Seconds(5);  // per attempt
  absl::Duration first_backoff = absl::Milliseconds(250);  // doubles
};

class PlatformApi {
 public:
  // `http` must outlive this object. `sleep` waits between attempts; null
  // means absl::SleepFor (tests pass a recorder).
  PlatformApi(bot::HttpClient* http, RetryPolicy policy,
              std::function<void(absl::Duration)> sleep = nullptr);

  // Sends `request` (its timeout is replaced by the policy's). Returns the
  // first response that is neither 429 nor 5xx, or the last failure once
  // the attempts are spent: Unavailable with the status code, or the
  // transport error. 4xx responses other than 429 are returned as they are,
  // without retrying: the caller decides (for example, resend as plain
  // text).
  absl::StatusOr<bot::HttpResponse> Call(bot::HttpRequest request) const;

 private:
  bot::HttpClient* http_;
  RetryPolicy policy_;
  std::function<void(absl::Duration)> sleep_;
};

// The status for a platform API's refusal (HTTP `http_status`, 4xx or 5xx),
// with `message`: 400 InvalidArgument, 401 Unauthenticated, 403
// PermissionDenied, 404 NotFound, other 4xx FailedPrecondition, anything
// else Unknown. The message must not hold a token.
absl::Status StatusForHttpError(int http_status, std::string message);

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_PLATFORM_API_H_
