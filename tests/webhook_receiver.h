// A webhook receiver on loopback for end-to-end tests: records every request
// and answers with a chosen status. It can be started on a fixed port after
// the guide has already tried it, to test "receiver down, then back up".
#ifndef RECONNECT_TESTS_WEBHOOK_RECEIVER_H_
#define RECONNECT_TESTS_WEBHOOK_RECEIVER_H_

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"

namespace reconnect::testing {

class WebhookReceiver {
 public:
  struct Request {
    std::string target;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
  };

  // Listens on 127.0.0.1:`port` (0 picks a free one).
  explicit WebhookReceiver(int port = 0)
      : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"),
                        static_cast<unsigned short>(port)}) {
    acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
    Accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~WebhookReceiver() {
    io_.stop();
    thread_.join();
  }

  int port() const { return acceptor_.local_endpoint().port(); }
  void set_status(int status) {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
  }
  // The body of every response (the default is "ok").
  void set_body(std::string body) {
    std::lock_guard<std::mutex> lock(mu_);
    body_ = std::move(body);
  }
  std::vector<Request> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  // Returns true once at least `n` requests have arrived, false on timeout.
  bool WaitForRequests(size_t n, absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (requests().size() >= n) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return requests().size() >= n;
  }

 private:
  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec,
                                  boost::asio::ip::tcp::socket socket) {
      if (!ec) Serve(std::move(socket));
      Accept();
    });
  }

  void Serve(boost::asio::ip::tcp::socket socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    boost::system::error_code ec;
    http::read(socket, buffer, request, ec);
    if (ec) return;
    Request recorded;
    recorded.target = std::string(request.target());
    for (const auto& field : request) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(c));
      recorded.headers[name] = std::string(field.value());
    }
    recorded.body = request.body();
    int status;
    std::string body;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(std::move(recorded));
      status = status_;
      body = body_;
    }
    http::response<http::string_body> response{
        static_cast<http::status>(status), request.version()};
    response.body() = body;
    response.prepare_payload();
    http::write(socket, response, ec);
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  std::mutex mu_;
  int status_ = 200;
  std::string body_ = "ok";
  std::vector<Request> requests_;
};

// Returns a loopback port that was free a moment ago.
inline int FreePort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace reconnect::testing

#endif  // RECONNECT_TESTS_WEBHOOK_RECEIVER_H_
