// HTTP messages as the gateway's handlers see them, and the small codecs
// that webhooks need (query strings, form bodies, percent-encoding).
//
// The HTTP server (http_server.h) fills a Request from the wire and writes a
// Response back; every adapter works on these plain values, so adapters are
// tested without sockets.
#ifndef RECONNECT_ADAPTERS_HTTP_MESSAGE_H_
#define RECONNECT_ADAPTERS_HTTP_MESSAGE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace reconnect::adapters {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;          // "GET", "POST", ...
  std::string target;          // as sent: path, then "?query" when there is one
  std::string path;            // target up to '?', still percent-encoded
  std::string query;           // target after '?', without it; "" when none
  Fields headers;              // in arrival order, names as sent
  std::string body;            // raw bytes: signatures are checked over these
  bool tls = false;            // whether it arrived over TLS
  std::string remote_address;  // the peer's IP address, for logs and limits

  // Returns the first header named `name` (case-insensitive), or "" when
  // absent. Use HasHeader() to tell absent from empty.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  Fields headers;  // extra headers, such as CORS or caching ones
};

// A short plain-text response, such as an error's reason.
Response TextResponse(int status, std::string body);

// Decodes %XX escapes, and '+' as a space when `plus_is_space` (forms and
// query strings). Malformed escapes are kept as they are.
std::string PercentDecode(std::string_view text, bool plus_is_space);

// Encodes everything but unreserved characters (RFC 3986) as %XX.
std::string PercentEncode(std::string_view text);

// Parses "a=1&b=2" (a query string or an application/x-www-form-urlencoded
// body) into decoded pairs, in order, keeping repeated keys.
Fields ParseForm(std::string_view text);

// Encodes pairs as an application/x-www-form-urlencoded body.
std::string EncodeForm(const Fields& fields);

// Returns the value of the first pair named `name`, or "" when absent.
std::string_view FormValue(const Fields& fields, std::string_view name);

// Whether the request's Content-Type is `type` ("application/json"),
// ignoring parameters such as charset and letter case.
bool HasContentType(const Request& request, std::string_view type);

// A long-poll's query: `after` (the last sequence number seen, default 0)
// and `wait` (seconds to wait for something newer, default 25, at most
// `max_wait`).
struct LongPoll {
  int64_t after = 0;
  absl::Duration wait;
};
// Returns the long-poll asked for, or InvalidArgument with a message for a
// 400 when a value is not a number.
absl::StatusOr<LongPoll> ParseLongPoll(std::string_view query,
                                       absl::Duration max_wait);

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_HTTP_MESSAGE_H_
