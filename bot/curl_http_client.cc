#include <curl/curl.h>

#include "absl/strings/str_cat.h"
#include "bot/http_client.h"

namespace reconnect::bot {
namespace {

size_t Collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

class CurlHttpClient : public HttpClient {
 public:
  CurlHttpClient() {
    // Thread-safe in libcurl >= 7.84, and called before any request.
    curl_global_init(CURL_GLOBAL_DEFAULT);
  }

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override {
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return absl::UnavailableError("curl: cannot init");
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
      headers =
          curl_slist_append(headers, absl::StrCat(name, ": ", value).c_str());
    }
    // Without this curl sends "Expect: 100-continue" and waits for it.
    headers = curl_slist_append(headers, "Expect:");
    HttpResponse response;
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method != "GET") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(
        curl, CURLOPT_TIMEOUT_MS,
        static_cast<long>(absl::ToInt64Milliseconds(request.timeout)));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return absl::DeadlineExceededError("http: timed out");
    }
    if (code != CURLE_OK) {
      // The URL is not included: it may carry a token.
      return absl::UnavailableError(
          absl::StrCat("http: ", curl_easy_strerror(code)));
    }
    response.status = static_cast<int>(status);
    return response;
  }
};

}  // namespace

std::unique_ptr<HttpClient> NewCurlHttpClient() {
  return std::make_unique<CurlHttpClient>();
}

}  // namespace reconnect::bot
