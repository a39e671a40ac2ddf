// HttpServer: HTTP/1.1 with keep-alive on Boost.Beast, for the gateway.
//
// Every request is read whole (within the size and time limits below) and
// handed to one Handler with a Responder. The handler answers through the
// Responder now or later, from any thread: a long-poll parks its Responder
// until an event arrives. Requests on one connection are answered in order;
// the next is not read until the current one is answered.
//
// Limits protect the process from slow or hostile clients: a body over
// max_body_bytes is answered 413, headers over max_header_bytes 431, a
// request that does not arrive whole within read_timeout is dropped, and
// connections beyond max_connections are closed on accept.
#ifndef RECONNECT_ADAPTERS_HTTP_SERVER_H_
#define RECONNECT_ADAPTERS_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/http_message.h"

namespace reconnect::adapters {

struct HttpServerOptions {
  std::string address = "127.0.0.1:8080";  // host:port; port 0 picks one
  int threads = 2;
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;
  // Time for a whole request to arrive, counted from the end of the last
  // response on a kept-alive connection (so it bounds idle connections too).
  absl::Duration read_timeout = absl::Seconds(30);
  absl::Duration write_timeout = absl::Seconds(30);
  int max_connections = 4096;
};

// Answers one request. Call Respond() exactly once; a Responder destroyed
// without answering sends 500, so a handler bug never leaves a client
// hanging. Responders must not outlive the server.
class Responder {
 public:
  virtual ~Responder() = default;
  virtual void Respond(Response response) = 0;
};

using Handler =
    std::function<void(Request request, std::shared_ptr<Responder> responder)>;

class HttpServer {
 public:
  // Binds `options.address` and starts serving with `handler`. Fails with
  // Unavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const HttpServerOptions& options, Handler handler);
  ~HttpServer();  // Shutdown()

  int port() const { return port_; }
  // Stops accepting, closes every connection and joins the threads.
  void Shutdown();

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl, int port);
  std::unique_ptr<Impl> impl_;
  int port_;
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_HTTP_SERVER_H_
