#include "adapters/http_server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace reconnect::adapters {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

std::chrono::milliseconds Millis(absl::Duration d) {
  return std::chrono::milliseconds(absl::ToInt64Milliseconds(d));
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(const HttpServerOptions& options, Handler handler)
      : options_(options), handler_(std::move(handler)), acceptor_(io_) {}

  absl::StatusOr<int> Listen();
  void Run();
  void Stop();

  const HttpServerOptions& options() const { return options_; }
  const Handler& handler() const { return handler_; }
  std::atomic<int>& connections() { return connections_; }

 private:
  void Accept();

  // Declared first so it outlives the sessions that io_ destroys.
  std::atomic<int> connections_{0};
  HttpServerOptions options_;
  Handler handler_;
  net::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl* server)
      : stream_(std::move(socket)), server_(server) {
    server_->connections().fetch_add(1);
  }
  ~Session() { server_->connections().fetch_sub(1); }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->Read(); });
  }

  // Called from any thread by the Responder.
  void Answer(Response response) {
    net::dispatch(stream_.get_executor(), [self = shared_from_this(),
                                           r = std::move(response)]() mutable {
      self->Write(std::move(r), /*close=*/false);
    });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(server_->options().max_body_bytes);
    parser_->header_limit(
        static_cast<uint32_t>(server_->options().max_header_bytes));
    stream_.expires_after(Millis(server_->options().read_timeout));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->OnRead(ec);
                     });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return Write(TextResponse(413, "The request body is too large."), true);
    }
    if (ec == http::error::header_limit) {
      return Write(TextResponse(431, "The request headers are too large."),
                   true);
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::eof ||
        ec == net::error::connection_reset) {
      return Close();
    }
    if (ec) {
      // Anything else the parser refused is a malformed request.
      return Write(TextResponse(400, "Malformed HTTP request."), true);
    }
    auto& message = parser_->get();
    keep_alive_ = message.keep_alive();
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    const size_t question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) {
      request.query = request.target.substr(question + 1);
    }
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()),
                                   std::string(field.value()));
    }
    request.body = std::move(message.body());
    beast::error_code ignored;
    auto endpoint = stream_.socket().remote_endpoint(ignored);
    if (!ignored) request.remote_address = endpoint.address().to_string();
    head_only_ = message.method() == http::verb::head;
    // The handler may take its time (a long-poll); the read deadline no
    // longer applies.
    stream_.expires_never();
    server_->handler()(std::move(request),
                       std::make_shared<SessionResponder>(shared_from_this()));
  }

  void Write(Response r, bool close) {
    response_ = {};
    response_.version(11);
    response_.result(static_cast<unsigned>(r.status));
    response_.set(http::field::server, "reconnect");
    response_.set(http::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers) response_.set(name, value);
    response_.body() = std::move(r.body);
    response_.keep_alive(keep_alive_ && !close);
    response_.prepare_payload();
    if (head_only_) response_.body().clear();
    close_after_write_ = close || !keep_alive_;
    stream_.expires_after(Millis(server_->options().write_timeout));
    http::async_write(
        stream_, response_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec || self->close_after_write_) return self->Close();
          self->Read();
        });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  class SessionResponder : public Responder {
   public:
    explicit SessionResponder(std::shared_ptr<Session> session)
        : session_(std::move(session)) {}
    ~SessionResponder() override {
      if (!answered_.exchange(true)) {
        session_->Answer(TextResponse(500, "The request was not answered."));
      }
    }
    void Respond(Response response) override {
      if (answered_.exchange(true)) return;
      session_->Answer(std::move(response));
    }

   private:
    std::shared_ptr<Session> session_;
    std::atomic<bool> answered_{false};
  };

  beast::tcp_stream stream_;
  HttpServer::Impl* server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  bool keep_alive_ = true;
  bool head_only_ = false;
  bool close_after_write_ = false;
};

}  // namespace

absl::StatusOr<int> HttpServer::Impl::Listen() {
  const std::string& address = options_.address;
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("HTTP address must be host:port, not '", address, "'"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 1 && host.front() == '[')
    host = host.substr(1, host.size() - 2);
  beast::error_code ec;
  auto ip = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("HTTP address needs an IP address, not '", host, "'"));
  }
  tcp::endpoint endpoint(ip, static_cast<unsigned short>(port));
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ",
                                               address, ": ", ec.message()));
  }
  return acceptor_.local_endpoint().port();
}

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(
      net::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted) return;
        if (!ec) {
          if (connections_.load() >= options_.max_connections) {
            beast::error_code ignored;
            socket.close(ignored);
          } else {
            std::make_shared<Session>(std::move(socket), this)->Start();
          }
        }
        Accept();
      });
}

void HttpServer::Impl::Run() {
  Accept();
  const int threads = std::max(1, options_.threads);
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { io_.run(); });
  }
}

void HttpServer::Impl::Stop() {
  if (stopped_) return;
  stopped_ = true;
  net::post(io_, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  io_.stop();
  for (auto& thread : threads_) thread.join();
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl, int port)
    : impl_(std::move(impl)), port_(port) {}

HttpServer::~HttpServer() { Shutdown(); }

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const HttpServerOptions& options, Handler handler) {
  auto impl = std::make_unique<Impl>(options, std::move(handler));
  absl::StatusOr<int> port = impl->Listen();
  if (!port.ok()) return port.status();
  impl->Run();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl), *port));
}

void HttpServer::Shutdown() { impl_->Stop(); }

}  // namespace reconnect::adapters
