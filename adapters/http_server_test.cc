#include "adapters/http_server.h"

#include <boost/asio.hpp>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reconnect::adapters {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Speaks raw HTTP/1.1 over one connection, so keep-alive and malformed
// requests can be tested as a client would send them.
class RawClient {
 public:
  explicit RawClient(int port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"),
                     static_cast<unsigned short>(port)});
  }
  void Write(const std::string& bytes) {
    boost::asio::write(socket_, boost::asio::buffer(bytes));
  }
  // Reads one response: headers, then Content-Length bytes of body.
  std::string ReadResponse() {
    boost::system::error_code ec;
    boost::asio::read_until(socket_, buffer_, "\r\n\r\n", ec);
    if (ec) return "";
    std::string data(boost::asio::buffers_begin(buffer_.data()),
                     boost::asio::buffers_end(buffer_.data()));
    const size_t end = data.find("\r\n\r\n") + 4;
    size_t length = 0;
    const size_t at = data.find("Content-Length: ");
    if (at != std::string::npos && at < end) {
      length = std::stoul(data.substr(at + 16));
    }
    while (buffer_.size() < end + length) {
      boost::asio::read(socket_, buffer_, boost::asio::transfer_at_least(1),
                        ec);
      if (ec) break;
    }
    std::string all(boost::asio::buffers_begin(buffer_.data()),
                    boost::asio::buffers_end(buffer_.data()));
    std::string response = all.substr(0, end + length);
    buffer_.consume(response.size());
    return response;
  }
  bool Closed() {
    boost::system::error_code ec;
    char byte;
    socket_.read_some(boost::asio::buffer(&byte, 1), ec);
    return ec == boost::asio::error::eof ||
           ec == boost::asio::error::connection_reset;
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::streambuf buffer_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(Handler handler, HttpServerOptions options = {}) {
    options.address = "127.0.0.1:0";
    auto server = HttpServer::Start(options, std::move(handler));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
  }
  std::unique_ptr<HttpServer> server_;
};

Handler Echo() {
  return [](Request request, std::shared_ptr<Responder> responder) {
    responder->Respond(TextResponse(
        200, request.method + " " + request.path + " ?" + request.query + " " +
                 std::string(request.Header("x-test")) + " " + request.body));
  };
}

TEST_F(HttpServerTest, KeepsTheConnectionAliveAcrossRequests) {
  Start(Echo());
  RawClient client(server_->port());
  client.Write(
      "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nX-Test: one\r\nContent-Length: "
      "5\r\n\r\nhello");
  EXPECT_THAT(client.ReadResponse(), HasSubstr("POST /a ?x=1 one hello"));
  client.Write("GET /b HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string second = client.ReadResponse();
  EXPECT_THAT(second, StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(second, HasSubstr("GET /b ?"));
}

TEST_F(HttpServerTest, AnswersLaterFromAnotherThread) {
  std::shared_ptr<Responder> parked;
  absl::Notification arrived;
  Start([&](Request, std::shared_ptr<Responder> responder) {
    parked = std::move(responder);
    arrived.Notify();
  });
  RawClient client(server_->port());
  client.Write("GET /wait HTTP/1.1\r\nHost: h\r\n\r\n");
  arrived.WaitForNotification();
  std::thread later([&] { parked->Respond(TextResponse(202, "done")); });
  std::string response = client.ReadResponse();
  later.join();
  EXPECT_THAT(response, StartsWith("HTTP/1.1 202"));
  EXPECT_THAT(response, HasSubstr("done"));
  parked.reset();
}

TEST_F(HttpServerTest, AResponderDroppedUnansweredSends500) {
  Start([](Request, std::shared_ptr<Responder>) {});
  RawClient client(server_->port());
  client.Write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_THAT(client.ReadResponse(), StartsWith("HTTP/1.1 500"));
}

TEST_F(HttpServerTest, RefusesOversizedBodiesAndHeaders) {
  HttpServerOptions options;
  options.max_body_bytes = 100;
  options.max_header_bytes = 512;
  Start(Echo(), options);
  {
    RawClient client(server_->port());
    client.Write("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 101\r\n\r\n" +
                 std::string(101, 'x'));
    EXPECT_THAT(client.ReadResponse(), StartsWith("HTTP/1.1 413"));
    EXPECT_TRUE(client.Closed());
  }
  {
    RawClient client(server_->port());
    client.Write("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " +
                 std::string(1000, 'x') + "\r\n\r\n");
    EXPECT_THAT(client.ReadResponse(), StartsWith("HTTP/1.1 431"));
  }
}

TEST_F(HttpServerTest, MalformedRequestGets400) {
  Start(Echo());
  RawClient client(server_->port());
  client.Write("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_THAT(client.ReadResponse(), StartsWith("HTTP/1.1 400"));
}

TEST_F(HttpServerTest, DropsASlowClient) {
  HttpServerOptions options;
  options.read_timeout = absl::Milliseconds(200);
  Start(Echo(), options);
  RawClient client(server_->port());
  client.Write("GET / HTTP/1.1\r\nHost: h\r\n");  // never finishes
  EXPECT_TRUE(client.Closed());
}

TEST(HttpServer, RefusesABadAddress) {
  HttpServerOptions options;
  options.address = "no-port";
  EXPECT_FALSE(HttpServer::Start(options, Echo()).ok());
  options.address = "not-an-ip:80";
  EXPECT_FALSE(HttpServer::Start(options, Echo()).ok());
}

}  // namespace
}  // namespace reconnect::adapters
