#include "adapters/platform_api.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace reconnect::adapters {

PlatformApi::PlatformApi(bot::HttpClient* http, RetryPolicy policy,
                         std::function<void(absl::Duration)> sleep)
    : http_(http), policy_(policy), sleep_(std::move(sleep)) {
  if (!sleep_) sleep_ = [](absl::Duration d) { absl::SleepFor(d); };
  if (policy_.attempts < 1) policy_.attempts = 1;
}

absl::StatusOr<bot::HttpResponse> PlatformApi::Call(
    bot::HttpRequest request) const {
  request.timeout = policy_.timeout;
  absl::Duration backoff = policy_.first_backoff;
  absl::Status last;
  for (int attempt = 1; attempt <= policy_.attempts; ++attempt) {
    if (attempt > 1) {
      sleep_(backoff);
      backoff *= 2;
    }
    absl::StatusOr<bot::HttpResponse> response = http_->Send(request);
    if (!response.ok()) {
      last = response.status();
      continue;
    }
    if (response->status == 429 || response->status >= 500) {
      // The URL can hold a token (Telegram's bot URLs do), so errors name
      // only the status code.
      last = absl::UnavailableError(
          absl::StrCat("platform API answered HTTP ", response->status));
      continue;
    }
    return response;
  }
  return last;
}

absl::Status StatusForHttpError(int http_status, std::string message) {
  switch (http_status) {
    case 400:
      return absl::InvalidArgumentError(message);
    case 401:
      return absl::UnauthenticatedError(message);
    case 403:
      return absl::PermissionDeniedError(message);
    case 404:
      return absl::NotFoundError(message);
    default:
      return http_status >= 400 && http_status < 500
                 ? absl::FailedPreconditionError(message)
                 : absl::UnknownError(message);
  }
}

}  // namespace reconnect::adapters
