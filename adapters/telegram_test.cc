#include "adapters/telegram.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/fake_http_client.h"
#include "adapters/platform_api.h"
#include "bot/http_client.h"

namespace reconnect::adapters {
namespace {

using Json = nlohmann::json;
using ::reconnect::testing::FakeHttpClient;
using ::reconnect::testing::ImmediateApi;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// The update core.telegram.org/bots/webhooks gives for testing (V13): it
// has no chat.type and no from.is_bot.
constexpr char kV13[] =
    R"({"update_id":10000,"message":{"date":1441645532,"chat":{"last_name":"Test Lastname","id":1111111,"first_name":"Test","username":"Test"},"message_id":1365,"from":{"last_name":"Test Lastname","id":1111111,"first_name":"Test","username":"Test"},"text":"/start"}})";

constexpr char kSecret[] = "s3cret-Token_1";
constexpr char kBotToken[] = "123456:AAE-secret-bot-token";
const absl::Time kNow = absl::FromUnixSeconds(1700000000);

class TelegramChannelTest : public ::testing::Test {
 protected:
  TelegramChannelTest()
      : api_(ImmediateApi(
            &http_, RetryPolicy{1, absl::Seconds(1), absl::ZeroDuration()})) {
    config_.secret_token = kSecret;
    config_.bot_token = kBotToken;
  }

  TelegramChannel Channel() const { return TelegramChannel(config_, &api_); }

  static Request Webhook(std::string body) {
    Request request;
    request.method = "POST";
    request.target = request.path = "/telegram";
    request.headers = {{"Content-Type", "application/json"},
                       {"X-Telegram-Bot-Api-Secret-Token", kSecret}};
    request.body = std::move(body);
    return request;
  }

  Received Receive(const Request& request) {
    return Channel().Receive(request, kNow);
  }

  absl::Status Send(const Outbound& reply,
                    const std::string& conversation = "1111111") {
    return Channel().Send(conversation, reply);
  }

  static Outbound Reply(std::vector<std::string> messages,
                        std::vector<std::string> quick_replies = {}) {
    Outbound reply;
    reply.messages = std::move(messages);
    reply.quick_replies = std::move(quick_replies);
    return reply;
  }

  FakeHttpClient http_;
  PlatformApi api_;
  TelegramConfig config_;
};

// --- Receive -----------------------------------------------------------------

TEST_F(TelegramChannelTest, V13UpdateWithTheRightSecretGivesOneMessage) {
  const Received received = Receive(Webhook(kV13));
  EXPECT_EQ(received.response.status, 200);
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].conversation_id, "1111111");
  EXPECT_EQ(received.messages[0].message_id, "u10000");
  EXPECT_EQ(received.messages[0].text, "/start");
  EXPECT_EQ(received.messages[0].locale, "");
}

TEST_F(TelegramChannelTest, NameIsTelegram) {
  EXPECT_EQ(Channel().name(), "telegram");
  EXPECT_FALSE(Channel().ReplyInResponse());
}

TEST_F(TelegramChannelTest, MissingSecretHeaderIsForbidden) {
  Request request = Webhook(kV13);
  request.headers = {{"Content-Type", "application/json"}};
  const Received received = Receive(request);
  EXPECT_EQ(received.response.status, 403);
  EXPECT_THAT(received.messages, IsEmpty());
}

TEST_F(TelegramChannelTest, WrongSecretHeaderIsForbidden) {
  for (const std::string wrong :
       {"wrong", "", "s3cret-Token_", "s3cret-Token_12", "S3CRET-TOKEN_1"}) {
    Request request = Webhook(kV13);
    request.headers = {{"Content-Type", "application/json"},
                       {"X-Telegram-Bot-Api-Secret-Token", wrong}};
    const Received received = Receive(request);
    EXPECT_EQ(received.response.status, 403) << wrong;
    EXPECT_THAT(received.messages, IsEmpty()) << wrong;
  }
}

TEST_F(TelegramChannelTest, NonJsonContentTypeIsForbidden) {
  for (const std::string type :
       {"text/plain", "application/x-www-form-urlencoded", "application/jsonx",
        ""}) {
    Request request = Webhook(kV13);
    request.headers = {{"Content-Type", type},
                       {"X-Telegram-Bot-Api-Secret-Token", kSecret}};
    const Received received = Receive(request);
    EXPECT_EQ(received.response.status, 403) << type;
    EXPECT_THAT(received.messages, IsEmpty()) << type;
  }
  Request no_type = Webhook(kV13);
  no_type.headers = {{"X-Telegram-Bot-Api-Secret-Token", kSecret}};
  EXPECT_EQ(Receive(no_type).response.status, 403);
}

TEST_F(TelegramChannelTest, HeaderNamesAndContentTypeParametersAreTolerated) {
  Request request = Webhook(kV13);
  request.headers = {{"content-type", "Application/JSON; charset=utf-8"},
                     {"x-telegram-bot-api-secret-token", kSecret}};
  const Received received = Receive(request);
  EXPECT_EQ(received.response.status, 200);
  EXPECT_EQ(received.messages.size(), 1u);
}

TEST_F(TelegramChannelTest, EmptyConfiguredSecretRefusesEvenAnEmptyHeader) {
  config_.secret_token = "";
  Request request = Webhook(kV13);
  request.headers = {{"Content-Type", "application/json"},
                     {"X-Telegram-Bot-Api-Secret-Token", ""}};
  const Received received = Receive(request);
  EXPECT_EQ(received.response.status, 403);
  EXPECT_THAT(received.messages, IsEmpty());

  request.headers.pop_back();
  EXPECT_EQ(Receive(request).response.status, 403);
}

TEST_F(TelegramChannelTest, OnlyPostIsAllowed) {
  Request request = Webhook(kV13);
  request.method = "GET";
  const Received received = Receive(request);
  EXPECT_EQ(received.response.status, 405);
  EXPECT_THAT(received.messages, IsEmpty());
}

TEST_F(TelegramChannelTest, MalformedJsonIsBadRequest) {
  for (const std::string& body : std::vector<std::string>{
           "{", "", "not json", R"([1,2])", R"("text")", "null", "42",
           std::string(kV13).substr(0, 40)}) {
    const Received received = Receive(Webhook(body));
    EXPECT_EQ(received.response.status, 400) << body;
    EXPECT_THAT(received.messages, IsEmpty()) << body;
  }
}

TEST_F(TelegramChannelTest, UpdatesWithoutATextMessageAreIgnored) {
  for (
      const std::string body : {
          R"({"update_id":1,"message":{"message_id":2,"chat":{"id":5},"photo":[{"file_id":"x"}]}})",
          R"({"update_id":1,"edited_message":{"message_id":2,"chat":{"id":5},"text":"edited"}})",
          R"({"update_id":1,"callback_query":{"id":"9","data":"x","from":{"id":5}}})",
          R"({"update_id":1,"channel_post":{"message_id":2,"chat":{"id":-5},"text":"post"}})",
          R"({"update_id":1})",
          R"({})",
          R"({"update_id":1,"message":"text"})",
          R"({"update_id":1,"message":{"chat":{"id":5},"text":17}})",
          R"({"update_id":1,"message":{"chat":{"id":5},"text":null}})",
      }) {
    const Received received = Receive(Webhook(body));
    EXPECT_EQ(received.response.status, 200) << body;
    EXPECT_THAT(received.messages, IsEmpty()) << body;
  }
}

TEST_F(TelegramChannelTest, MessagesFromBotsAreIgnored) {
  const Received received = Receive(Webhook(
      R"({"update_id":7,"message":{"message_id":1,"chat":{"id":5,"type":"private"},"from":{"id":9,"is_bot":true},"text":"hi"}})"));
  EXPECT_EQ(received.response.status, 200);
  EXPECT_THAT(received.messages, IsEmpty());

  const Received human = Receive(Webhook(
      R"({"update_id":8,"message":{"message_id":1,"chat":{"id":5,"type":"private"},"from":{"id":9,"is_bot":false},"text":"hi"}})"));
  ASSERT_EQ(human.messages.size(), 1u);
  EXPECT_EQ(human.messages[0].message_id, "u8");
}

TEST_F(TelegramChannelTest, LocaleComesFromLanguageCode) {
  const Received received = Receive(Webhook(
      R"({"update_id":123456789,"message":{"message_id":1,"chat":{"id":-1001234567890,"type":"supergroup"},"from":{"id":9,"is_bot":false,"language_code":"pt-BR"},"text":"olá"}})"));
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].conversation_id, "-1001234567890");
  EXPECT_EQ(received.messages[0].message_id, "u123456789");
  EXPECT_EQ(received.messages[0].text, "olá");
  EXPECT_EQ(received.messages[0].locale, "pt-BR");

  const Received odd = Receive(Webhook(
      R"({"update_id":1,"message":{"chat":{"id":5},"from":{"id":9,"language_code":"en\"; x"},"text":"hi"}})"));
  ASSERT_EQ(odd.messages.size(), 1u);
  EXPECT_EQ(odd.messages[0].locale, "");
}

TEST_F(TelegramChannelTest, MessageIdIsUsedWhenUpdateIdIsMissing) {
  const Received received = Receive(Webhook(
      R"({"message":{"message_id":1365,"chat":{"id":5},"text":"hi"}})"));
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].message_id, "m1365");

  const Received neither =
      Receive(Webhook(R"({"message":{"chat":{"id":5},"text":"hi"}})"));
  EXPECT_EQ(neither.response.status, 400);
  EXPECT_THAT(neither.messages, IsEmpty());
}

TEST_F(TelegramChannelTest, ChatIdMustBeA64BitInteger) {
  for (const std::string chat :
       {R"("1111111")", "1.5", "1e3", "null", "{}", "18446744073709551615",
        "9223372036854775808", "-9223372036854775809"}) {
    const Received received = Receive(
        Webhook(absl::StrCat(R"({"update_id":1,"message":{"chat":{"id":)", chat,
                             R"(},"text":"hi"}})")));
    EXPECT_EQ(received.response.status, 400) << chat;
    EXPECT_THAT(received.messages, IsEmpty()) << chat;
  }
  const Received missing =
      Receive(Webhook(R"({"update_id":1,"message":{"text":"hi"}})"));
  EXPECT_EQ(missing.response.status, 400);

  const Received largest = Receive(Webhook(
      R"({"update_id":1,"message":{"chat":{"id":-9223372036854775808},"text":"hi"}})"));
  ASSERT_EQ(largest.messages.size(), 1u);
  EXPECT_EQ(largest.messages[0].conversation_id, "-9223372036854775808");
}

TEST_F(TelegramChannelTest, HostileBodiesNeverCrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string with_nul =
      std::string(R"({"update_id":1,"message":{"chat":{"id":1},"text":"a)") +
      '\0' + R"(b"}})";
  for (
      const std::string& body : std::vector<std::string>{
          deep, "{\"message\":\"\xff\xfe\"}", with_nul,
          R"({"update_id":1e400,"message":{"chat":{"id":1},"text":"x"}})",
          R"({"update_id":"1","message":{"chat":{"id":1},"from":"x","text":"x"}})",
          R"({"update_id":1,"message":{"chat":[1],"text":"x"}})"}) {
    const Received received = Receive(Webhook(body));
    EXPECT_TRUE(received.response.status == 200 ||
                received.response.status == 400)
        << received.response.status;
  }
}

// --- Send --------------------------------------------------------------------

TEST_F(TelegramChannelTest, SendsOnePlainCallPerBubble) {
  ASSERT_TRUE(Send(Reply({"Hello.", "How are you?"})).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  const bot::HttpRequest& first = http_.requests[0];
  EXPECT_EQ(first.method, "POST");
  EXPECT_EQ(first.url, absl::StrCat("https://api.telegram.org/bot", kBotToken,
                                    "/sendMessage"));
  ASSERT_EQ(first.headers.size(), 1u);
  EXPECT_EQ(first.headers[0].first, "Content-Type");
  EXPECT_EQ(first.headers[0].second, "application/json");
  EXPECT_EQ(http_.Body(0),
            Json::parse(R"({"chat_id":1111111,"text":"Hello."})"));
  EXPECT_EQ(http_.Body(1),
            Json::parse(R"({"chat_id":1111111,"text":"How are you?"})"));
}

TEST_F(TelegramChannelTest, ChatIdIsSentAsANumber) {
  ASSERT_TRUE(Send(Reply({"hi"}), "-1001234567890").ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].body,
            R"({"chat_id":-1001234567890,"text":"hi"})");
}

TEST_F(TelegramChannelTest, ApiBaseMayEndInASlash) {
  config_.api_base = "http://127.0.0.1:8081/";
  ASSERT_TRUE(Send(Reply({"hi"})).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].url, absl::StrCat("http://127.0.0.1:8081/bot",
                                                kBotToken, "/sendMessage"));
}

TEST_F(TelegramChannelTest, QuickRepliesBecomeAKeyboardOnTheLastBubble) {
  ASSERT_TRUE(
      Send(Reply({"One.", "Two?"}, {"Breathing", "", "Talk to someone"})).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(http_.Body(0), Json::parse(R"({"chat_id":1111111,"text":"One."})"));
  EXPECT_EQ(http_.Body(1), Json::parse(R"({
    "chat_id": 1111111,
    "text": "Two?",
    "reply_markup": {
      "keyboard": [[{"text": "Breathing"}], [{"text": "Talk to someone"}]],
      "one_time_keyboard": true,
      "resize_keyboard": true
    }
  })"));
}

TEST_F(TelegramChannelTest, RefusedKeyboardIsResentWithout) {
  http_.answers = {
      bot::HttpResponse{
          400,
          R"({"ok":false,"error_code":400,"description":"Bad Request: keyboard"})"},
      bot::HttpResponse{200, R"({"ok":true})"}};
  ASSERT_TRUE(Send(Reply({"Pick one"}, {"A", "B"})).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_TRUE(http_.Body(0).contains("reply_markup"));
  EXPECT_EQ(http_.Body(1),
            Json::parse(R"({"chat_id":1111111,"text":"Pick one"})"));
}

TEST_F(TelegramChannelTest, OkFalseWithHttp200CountsAsRefused) {
  http_.answers = {bot::HttpResponse{200, R"({"ok":false})"},
                   bot::HttpResponse{200, R"({"ok":true})"}};
  ASSERT_TRUE(Send(Reply({"Pick one"}, {"A"})).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_FALSE(http_.Body(1).contains("reply_markup"));
}

TEST_F(TelegramChannelTest, FailedPlainResendIsReported) {
  http_.answers = {
      bot::HttpResponse{400, R"({"ok":false})"},
      bot::HttpResponse{403, R"({"ok":false,"error_code":403,)"
                             R"("description":"Forbidden: bot was )"
                             R"(blocked by the user"})"}};
  const absl::Status status = Send(Reply({"Pick one"}, {"A"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "telegram sendMessage: HTTP 403: Forbidden: bot was blocked by "
            "the user");
  EXPECT_EQ(http_.requests.size(), 2u);
}

TEST_F(TelegramChannelTest, UnreachableKeyboardCallIsNotRetriedPlain) {
  http_.answers = {absl::UnavailableError("connection refused")};
  const absl::Status status = Send(Reply({"Pick one"}, {"A"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "telegram sendMessage: connection refused");
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(TelegramChannelTest, CrisisTextIsResentPlainWhateverTheFailure) {
  http_.answers = {absl::UnavailableError("connection refused")};
  Outbound reply = Reply({"Please call 988 now."}, {"I'm safe"});
  reply.crisis = true;
  ASSERT_TRUE(Send(reply).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_TRUE(http_.Body(0).contains("reply_markup"));
  EXPECT_EQ(
      http_.Body(1),
      Json::parse(R"({"chat_id":1111111,"text":"Please call 988 now."})"));
}

TEST_F(TelegramChannelTest, StopsAtTheFirstFailure) {
  http_.answers = {bot::HttpResponse{200, R"({"ok":true})"},
                   bot::HttpResponse{400, R"({"ok":false})"}};
  const absl::Status status = Send(Reply({"one", "two", "three"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "telegram sendMessage: HTTP 400");
  EXPECT_EQ(http_.requests.size(), 2u);
}

TEST_F(TelegramChannelTest, AuthorPrefixesTheFirstBubbleOnly) {
  Outbound reply = Reply({"I'm here now.", "Take your time."});
  reply.author = "Sam from the clinic";
  ASSERT_TRUE(Send(reply).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(http_.Body(0)["text"], "Sam from the clinic: I'm here now.");
  EXPECT_EQ(http_.Body(1)["text"], "Take your time.");
}

TEST_F(TelegramChannelTest, LongTextIsSplitAtWhitespace) {
  std::vector<std::string> words;
  for (int i = 0; i < 1400; ++i) words.push_back(absl::StrCat("word", i));
  const std::string text = absl::StrJoin(words, " ");  // 11,489 chars
  ASSERT_TRUE(Send(Reply({text}, {"OK"})).ok());
  ASSERT_EQ(http_.requests.size(), 3u);
  std::vector<std::string> parts;
  for (size_t i = 0; i < http_.requests.size(); ++i) {
    const Json body = http_.Body(i);
    const std::string part = body.at("text").get<std::string>();
    EXPECT_LE(part.size(), 4096u);
    EXPECT_GT(part.size(), 2000u);
    EXPECT_NE(part.front(), ' ');
    EXPECT_NE(part.back(), ' ');
    EXPECT_EQ(body.contains("reply_markup"), i == 2) << i;
    parts.push_back(part);
  }
  EXPECT_EQ(absl::StrJoin(parts, " "), text);
}

TEST_F(TelegramChannelTest, EmptyBubblesAreNotSent) {
  ASSERT_TRUE(Send(Reply({"", "  \n", "hi"})).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.Body(0)["text"], "hi");
}

TEST_F(TelegramChannelTest, BotTokenNeverAppearsInAStatus) {
  // The transport may quote the URL, which holds the token.
  http_.answers = {absl::UnavailableError(
      absl::StrCat("could not reach https://api.telegram.org/bot", kBotToken,
                   "/sendMessage"))};
  absl::Status status = Send(Reply({"hi"}));
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kBotToken)));
  EXPECT_THAT(std::string(status.message()), HasSubstr("telegram sendMessage"));

  http_.answers = {bot::HttpResponse{
      401, absl::StrCat(R"({"ok":false,"description":"bad token )", kBotToken,
                        R"("})")}};
  status = Send(Reply({"hi"}));
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kBotToken)));

  http_.answers = {bot::HttpResponse{500, ""}};
  status = Send(Reply({"hi"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kBotToken)));
  EXPECT_THAT(std::string(status.message()), HasSubstr("telegram sendMessage"));
}

TEST_F(TelegramChannelTest, ServerErrorsAreRetriedByThePlatformApi) {
  const PlatformApi retrying = ImmediateApi(
      &http_, RetryPolicy{3, absl::Seconds(1), absl::Milliseconds(1)});
  TelegramChannel channel(config_, &retrying);
  http_.answers = {bot::HttpResponse{502, ""}, bot::HttpResponse{502, ""},
                   bot::HttpResponse{200, R"({"ok":true})"}};
  ASSERT_TRUE(channel.Send("1111111", Reply({"hi"})).ok());
  EXPECT_EQ(http_.requests.size(), 3u);
}

TEST_F(TelegramChannelTest, EmptyBotTokenIsAFailedPrecondition) {
  config_.bot_token = "";
  EXPECT_EQ(Send(Reply({"hi"})).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(http_.requests, IsEmpty());
}

TEST_F(TelegramChannelTest, ConversationIdMustBeADecimalChatId) {
  for (const std::string id : {"", "-", "abc", "12 ", " 12", "+12", "1.5",
                               "0x10", "99999999999999999999", "T1:C1:U1"}) {
    EXPECT_EQ(Send(Reply({"hi"}), id).code(),
              absl::StatusCode::kInvalidArgument)
        << id;
  }
  EXPECT_THAT(http_.requests, IsEmpty());
}

}  // namespace
}  // namespace reconnect::adapters
