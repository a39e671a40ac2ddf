#include "adapters/slack.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "adapters/fake_http_client.h"
#include "adapters/http_message.h"
#include "adapters/platform_api.h"
#include "bot/http_client.h"
#include "bot/signing.h"

namespace reconnect::adapters {
namespace {

using Json = nlohmann::json;
using ::reconnect::testing::FakeHttpClient;
using ::reconnect::testing::ImmediateApi;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// V1: docs.slack.dev "Verifying requests from Slack", and the official
// python-slack-sdk test_signature_verifier.py, clock fixed at 1531420618.
constexpr char kV1Secret[] = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr char kV1Timestamp[] = "1531420618";
constexpr char kV1Body[] =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
    "channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name="
    "roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%"
    "2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%"
    "2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";
constexpr char kV1Signature[] =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
const absl::Time kV1Now = absl::FromUnixSeconds(1531420618);

// V14: api.slack.com/events/url_verification.
constexpr char kV14[] =
    R"({"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})";
constexpr char kV14Challenge[] =
    "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P";

constexpr char kSecret[] = "test-signing-secret";
constexpr char kBotToken[] = "xoxb-1111-2222-secretvalue";
constexpr char kTimestamp[] = "1700000000";
const absl::Time kNow = absl::FromUnixSeconds(1700000000);

std::string Sign(const std::string& secret, const std::string& timestamp,
                 const std::string& body) {
  return "v0=" + bot::HmacSha256Hex(secret, "v0:" + timestamp + ":" + body);
}

class SlackChannelTest : public ::testing::Test {
 protected:
  SlackChannelTest()
      : api_(ImmediateApi(
            &http_, RetryPolicy{1, absl::Seconds(1), absl::ZeroDuration()})) {
    config_.signing_secret = kSecret;
    config_.bot_token = kBotToken;
  }

  SlackChannel Channel() const { return SlackChannel(config_, &api_); }

  // A request signed with kSecret at kTimestamp.
  static Request Signed(std::string body,
                        std::string type = "application/json") {
    Request request;
    request.method = "POST";
    request.target = request.path = "/slack";
    request.headers = {{"Content-Type", type},
                       {"X-Slack-Request-Timestamp", kTimestamp},
                       {"X-Slack-Signature", Sign(kSecret, kTimestamp, body)}};
    request.body = std::move(body);
    return request;
  }

  static Request Interaction(const Json& payload) {
    return Signed(EncodeForm({{"payload", payload.dump()}}),
                  "application/x-www-form-urlencoded");
  }

  Received Receive(const Request& request) {
    return Channel().Receive(request, kNow);
  }

  absl::Status Send(const Outbound& reply,
                    const std::string& conversation = "T1:C1:U1") {
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
  SlackConfig config_;
};

std::string Event(const std::string& event) {
  return R"({"token":"x","team_id":"T1","api_app_id":"A1","event":)" + event +
         R"(,"type":"event_callback","event_id":"Ev123","event_time":1700000000})";
}

// --- VerifySlackSignature ----------------------------------------------------

TEST(VerifySlackSignature, PublishedVectorVerifies) {
  EXPECT_TRUE(VerifySlackSignature(kV1Secret, kV1Timestamp, kV1Body,
                                   kV1Signature, kV1Now, absl::Minutes(5)));
}

TEST(VerifySlackSignature, TamperedBodyFails) {
  EXPECT_FALSE(VerifySlackSignature(kV1Secret, kV1Timestamp,
                                    std::string(kV1Body) + "------",
                                    kV1Signature, kV1Now, absl::Minutes(5)));
}

TEST(VerifySlackSignature, WrongSecretFails) {
  EXPECT_FALSE(VerifySlackSignature("8f742231b10e8888abcd99yyyzzz85a6",
                                    kV1Timestamp, kV1Body, kV1Signature, kV1Now,
                                    absl::Minutes(5)));
}

TEST(VerifySlackSignature, EmptySecretFails) {
  EXPECT_FALSE(VerifySlackSignature("", kV1Timestamp, kV1Body,
                                    Sign("", kV1Timestamp, kV1Body), kV1Now,
                                    absl::Minutes(5)));
}

TEST(VerifySlackSignature, StaleOrFutureTimestampFails) {
  const auto verify = [](absl::Time now) {
    return VerifySlackSignature(kV1Secret, kV1Timestamp, kV1Body, kV1Signature,
                                now, absl::Minutes(5));
  };
  EXPECT_FALSE(verify(kV1Now + absl::Seconds(301)));
  EXPECT_FALSE(verify(kV1Now - absl::Seconds(301)));
  EXPECT_TRUE(verify(kV1Now + absl::Seconds(300)));
  EXPECT_TRUE(verify(kV1Now - absl::Seconds(300)));
  EXPECT_FALSE(verify(absl::FromUnixSeconds(1800000000)));  // today-ish
}

TEST(VerifySlackSignature, TimestampMustBeAllDigits) {
  for (const std::string ts :
       {"", " 1531420618", "1531420618 ", "+1531420618", "1531420618.0",
        "0x5B4789CA", "-1531420618", "99999999999999999999"}) {
    // Signed correctly over the odd timestamp, so only its form is at fault.
    EXPECT_FALSE(VerifySlackSignature(kV1Secret, ts, kV1Body,
                                      Sign(kV1Secret, ts, kV1Body), kV1Now,
                                      absl::Minutes(5)))
        << ts;
  }
}

TEST(VerifySlackSignature, SignatureMustMatchExactly) {
  const std::string hex = std::string(kV1Signature).substr(3);
  for (const std::string& signature : std::vector<std::string>{
           hex, "v1=" + hex, "V0=" + hex, "v0=" + hex.substr(0, 63),
           std::string(kV1Signature) + "0", "",
           "v0="
           "A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B50"
           "3"}) {
    EXPECT_FALSE(VerifySlackSignature(kV1Secret, kV1Timestamp, kV1Body,
                                      signature, kV1Now, absl::Minutes(5)))
        << signature;
  }
}

// --- Receive: verification ---------------------------------------------------

TEST_F(SlackChannelTest, NameIsSlack) {
  EXPECT_EQ(Channel().name(), "slack");
  EXPECT_FALSE(Channel().ReplyInResponse());
}

TEST_F(SlackChannelTest, PublishedVectorPassesReceive) {
  config_.signing_secret = kV1Secret;
  Request request;
  request.method = "POST";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"X-Slack-Request-Timestamp", kV1Timestamp},
                     {"X-Slack-Signature", kV1Signature}};
  request.body = kV1Body;
  const Received received = Channel().Receive(request, kV1Now);
  // A slash command: verified, and nothing for the guide.
  EXPECT_EQ(received.response.status, 200);
  EXPECT_THAT(received.messages, IsEmpty());

  request.body += "------";
  EXPECT_EQ(Channel().Receive(request, kV1Now).response.status, 401);
}

TEST_F(SlackChannelTest, MissingSignatureHeadersAreUnauthorized) {
  const Request good = Signed(
      Event(R"({"type":"message","channel":"C1","user":"U1","text":"hi"})"));
  for (const char* missing :
       {"X-Slack-Request-Timestamp", "X-Slack-Signature"}) {
    Request request = good;
    request.headers.erase(
        std::remove_if(request.headers.begin(), request.headers.end(),
                       [missing](const auto& h) { return h.first == missing; }),
        request.headers.end());
    const Received received = Receive(request);
    EXPECT_EQ(received.response.status, 401) << missing;
    EXPECT_THAT(received.messages, IsEmpty()) << missing;
  }
  Request neither = good;
  neither.headers = {{"Content-Type", "application/json"}};
  EXPECT_EQ(Receive(neither).response.status, 401);
}

TEST_F(SlackChannelTest, BadSignatureIsUnauthorized) {
  Request request = Signed(
      Event(R"({"type":"message","channel":"C1","user":"U1","text":"hi"})"));
  request.body += " ";
  Received received = Receive(request);
  EXPECT_EQ(received.response.status, 401);
  EXPECT_THAT(received.messages, IsEmpty());

  config_.signing_secret = "another-secret";
  received = Receive(Signed(
      Event(R"({"type":"message","channel":"C1","user":"U1","text":"hi"})")));
  EXPECT_EQ(received.response.status, 401);
  EXPECT_THAT(received.messages, IsEmpty());
}

TEST_F(SlackChannelTest, StaleRequestIsUnauthorized) {
  const Request request = Signed(
      Event(R"({"type":"message","channel":"C1","user":"U1","text":"hi"})"));
  EXPECT_EQ(
      Channel().Receive(request, kNow + absl::Seconds(301)).response.status,
      401);
  EXPECT_EQ(
      Channel().Receive(request, kNow - absl::Seconds(301)).response.status,
      401);
  EXPECT_EQ(
      Channel().Receive(request, kNow + absl::Seconds(299)).response.status,
      200);
}

TEST_F(SlackChannelTest, EmptyConfiguredSecretRefusesEverything) {
  config_.signing_secret = "";
  Request request = Signed(kV14);
  request.headers.back().second = Sign("", kTimestamp, kV14);
  const Received received = Receive(request);
  EXPECT_EQ(received.response.status, 401);
  EXPECT_THAT(received.response.body, Not(HasSubstr(kV14Challenge)));
}

TEST_F(SlackChannelTest, OnlyPostIsAllowed) {
  Request request = Signed(kV14);
  request.method = "GET";
  EXPECT_EQ(Receive(request).response.status, 405);
}

// --- Receive: url_verification -----------------------------------------------

TEST_F(SlackChannelTest, SignedUrlVerificationGetsTheChallenge) {
  const Received received = Receive(Signed(kV14));
  EXPECT_EQ(received.response.status, 200);
  EXPECT_EQ(received.response.content_type, "text/plain");
  EXPECT_EQ(received.response.body, kV14Challenge);
  EXPECT_THAT(received.messages, IsEmpty());
}

TEST_F(SlackChannelTest, UnsignedUrlVerificationGetsNothing) {
  Request request = Signed(kV14);
  request.headers.pop_back();
  Received received = Receive(request);
  EXPECT_EQ(received.response.status, 401);
  EXPECT_THAT(received.response.body, Not(HasSubstr(kV14Challenge)));

  request.headers.push_back(
      {"X-Slack-Signature", Sign("guess", kTimestamp, kV14)});
  received = Receive(request);
  EXPECT_EQ(received.response.status, 401);
  EXPECT_THAT(received.response.body, Not(HasSubstr(kV14Challenge)));
}

// --- Receive: events ---------------------------------------------------------

TEST_F(SlackChannelTest, MessageEventGivesOneMessage) {
  const Received received = Receive(Signed(Event(
      R"({"type":"message","channel":"D024BE91L","user":"U2147483697","text":"I can't sleep","ts":"1355517523.000005","channel_type":"im"})")));
  EXPECT_EQ(received.response.status, 200);
  EXPECT_EQ(received.response.body, "");
  EXPECT_TRUE(received.response.headers.empty());  // no X-Slack-No-Retry
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].conversation_id, "T1:D024BE91L:U2147483697");
  EXPECT_EQ(received.messages[0].message_id, "m1355517523.000005");
  EXPECT_EQ(received.messages[0].text, "I can't sleep");
  EXPECT_EQ(received.messages[0].locale, "");
}

TEST_F(SlackChannelTest, AppMentionLosesItsLeadingMentions) {
  const Received received = Receive(Signed(Event(
      R"({"type":"app_mention","channel":"C1","user":"U1","text":" <@U0LAN0Z89> <@U0LAN0Z89|reconnect>  I feel &lt;3 &amp; ok, ask <@U7>  "})")));
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].text, "I feel <3 & ok, ask <@U7>");
  EXPECT_EQ(received.messages[0].conversation_id, "T1:C1:U1");
}

TEST_F(SlackChannelTest, BotAndEditedMessagesAreIgnored) {
  for (
      const std::string event : {
          R"({"type":"message","channel":"C1","user":"U1","text":"hi","bot_id":"B1"})",
          R"({"type":"message","channel":"C1","text":"hi","subtype":"bot_message","bot_id":"B1"})",
          R"({"type":"message","channel":"C1","user":"U1","subtype":"message_changed","message":{"text":"hi"}})",
          R"({"type":"message","channel":"C1","user":"U1","subtype":"message_deleted"})",
          R"({"type":"app_mention","channel":"C1","user":"U1","text":"<@U0> hi","bot_id":"B1"})",
          R"({"type":"reaction_added","user":"U1","reaction":"thumbsup"})",
          R"({"type":"message","channel":"C1","user":"U1"})",
      }) {
    const Received received = Receive(Signed(Event(event)));
    EXPECT_EQ(received.response.status, 200) << event;
    EXPECT_THAT(received.messages, IsEmpty()) << event;
  }
}

TEST_F(SlackChannelTest, UnknownVerifiedBodiesAreAcknowledged) {
  for (const std::string body :
       {R"({"type":"app_rate_limited","team_id":"T1"})", R"({})",
        R"({"type":7})"}) {
    const Received received = Receive(Signed(body));
    EXPECT_EQ(received.response.status, 200) << body;
    EXPECT_THAT(received.messages, IsEmpty()) << body;
  }
}

TEST_F(SlackChannelTest, MalformedVerifiedBodiesAreBadRequests) {
  const std::vector<std::string> bodies = {
      "{",
      "[]",
      "",
      R"({"type":"url_verification"})",
      R"({"type":"event_callback"})",
      Event(R"({"type":"message","user":"U1","text":"hi"})"),
      Event(R"({"type":"message","channel":"C1","text":"hi"})"),
      Event(R"({"type":"message","channel":"C:1","user":"U1","text":"hi"})"),
      Event(R"({"type":"message","channel":"C1","user":"U1\n","text":"hi"})"),
      Event(R"({"type":"message","channel":5,"user":"U1","text":"hi"})"),
      // No event_id to tell Slack's retries apart.
      R"({"type":"event_callback","team_id":"T1","event":{"type":"message","channel":"C1","user":"U1","text":"hi"}})",
  };
  for (const std::string& body : bodies) {
    const Received received = Receive(Signed(body));
    EXPECT_EQ(received.response.status, 400) << body;
    EXPECT_THAT(received.messages, IsEmpty()) << body;
  }
}

// --- Receive: interactivity --------------------------------------------------

Json BlockActions() {
  return Json::parse(R"({
    "type": "block_actions",
    "team": {"id": "T1", "domain": "clinic"},
    "user": {"id": "U1", "username": "sam"},
    "channel": {"id": "D1", "name": "directmessage"},
    "container": {"type": "message", "message_ts": "1700000000.000100"},
    "trigger_id": "123.456.abc",
    "actions": [{
      "type": "button",
      "action_id": "reconnect_quick_reply_1",
      "block_id": "b",
      "text": {"type": "plain_text", "text": "Breathing exercise"},
      "value": "Breathing exercise",
      "action_ts": "1700000001.002200"
    }]
  })");
}

TEST_F(SlackChannelTest, TappedButtonIsAMessage) {
  const Received received = Receive(Interaction(BlockActions()));
  EXPECT_EQ(received.response.status, 200);
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].conversation_id, "T1:D1:U1");
  EXPECT_EQ(received.messages[0].message_id, "a1700000001.002200");
  EXPECT_EQ(received.messages[0].text, "Breathing exercise");
}

TEST_F(SlackChannelTest, TappedButtonWithoutActionTsUsesTheTriggerId) {
  Json payload = BlockActions();
  payload["actions"][0].erase("action_ts");
  const Received received = Receive(Interaction(payload));
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].message_id, "a123.456.abc");
}

TEST_F(SlackChannelTest, InteractionMustBeSignedOverTheRawForm) {
  Request request = Interaction(BlockActions());
  request.body = EncodeForm({{"payload", BlockActions().dump(2)}});
  const Received received = Receive(request);
  EXPECT_EQ(received.response.status, 401);
  EXPECT_THAT(received.messages, IsEmpty());
}

TEST_F(SlackChannelTest, OtherInteractionsAreAcknowledged) {
  Json view = BlockActions();
  view["type"] = "view_submission";
  Json no_channel = BlockActions();
  no_channel.erase("channel");
  Json no_value = BlockActions();
  no_value["actions"][0].erase("value");
  for (const Json& payload : {view, no_channel, no_value}) {
    const Received received = Receive(Interaction(payload));
    EXPECT_EQ(received.response.status, 200) << payload;
    EXPECT_THAT(received.messages, IsEmpty()) << payload;
  }
}

TEST_F(SlackChannelTest, MalformedInteractionsAreBadRequests) {
  Json no_team = BlockActions();
  no_team.erase("team");
  Json no_ids = BlockActions();
  no_ids["actions"][0].erase("action_ts");
  no_ids.erase("trigger_id");
  Json actions_not_array = BlockActions();
  actions_not_array["actions"] = "x";
  for (const Json& payload : {no_team, no_ids, actions_not_array}) {
    const Received received = Receive(Interaction(payload));
    EXPECT_EQ(received.response.status, 400) << payload;
    EXPECT_THAT(received.messages, IsEmpty()) << payload;
  }
  const Received not_json =
      Receive(Signed(EncodeForm({{"payload", "{not json"}}),
                     "application/x-www-form-urlencoded"));
  EXPECT_EQ(not_json.response.status, 400);
}

// --- Send --------------------------------------------------------------------

TEST_F(SlackChannelTest, SendsOnePlainCallPerBubble) {
  ASSERT_TRUE(Send(Reply({"Hello.", "How are you?"})).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  const bot::HttpRequest& first = http_.requests[0];
  EXPECT_EQ(first.method, "POST");
  EXPECT_EQ(first.url, "https://slack.com/api/chat.postMessage");
  EXPECT_EQ(first.headers,
            (std::vector<std::pair<std::string, std::string>>{
                {"Authorization", absl::StrCat("Bearer ", kBotToken)},
                {"Content-Type", "application/json; charset=utf-8"}}));
  EXPECT_EQ(http_.Body(0), Json::parse(R"({"channel":"C1","text":"Hello."})"));
  EXPECT_EQ(http_.Body(1),
            Json::parse(R"({"channel":"C1","text":"How are you?"})"));
}

TEST_F(SlackChannelTest, TextIsEscapedAsSlackAsks) {
  ASSERT_TRUE(Send(Reply({"a < b & c > d <!channel>"})).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.Body(0)["text"], "a &lt; b &amp; c &gt; d &lt;!channel&gt;");
}

TEST_F(SlackChannelTest, ApiBaseMayEndInASlash) {
  config_.api_base = "http://127.0.0.1:9000/api/";
  ASSERT_TRUE(Send(Reply({"hi"})).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].url,
            "http://127.0.0.1:9000/api/chat.postMessage");
}

TEST_F(SlackChannelTest, QuickRepliesBecomeButtonsOnTheLastBubble) {
  ASSERT_TRUE(
      Send(Reply({"One.", "Two & <three>?"}, {"Breathing", "Talk to someone"}))
          .ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(http_.Body(0), Json::parse(R"({"channel":"C1","text":"One."})"));
  EXPECT_EQ(http_.Body(1), Json::parse(R"({
    "channel": "C1",
    "text": "Two &amp; &lt;three&gt;?",
    "blocks": [
      {"type": "section",
       "text": {"type": "plain_text", "text": "Two & <three>?"}},
      {"type": "actions",
       "elements": [
         {"type": "button",
          "text": {"type": "plain_text", "text": "Breathing"},
          "value": "Breathing",
          "action_id": "reconnect_quick_reply_0"},
         {"type": "button",
          "text": {"type": "plain_text", "text": "Talk to someone"},
          "value": "Talk to someone",
          "action_id": "reconnect_quick_reply_1"}
       ]}
    ]
  })"));
}

TEST_F(SlackChannelTest, AtMostFiveButtonsWithShortText) {
  const std::string long_label(100, 'x');
  ASSERT_TRUE(
      Send(Reply({"Pick"}, {"1", "", "2", "3", "4", long_label, "6", "7"}))
          .ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  Json elements = http_.Body(0)["blocks"][1]["elements"];
  ASSERT_EQ(elements.size(), 5u);
  EXPECT_EQ(elements[0]["value"], "1");
  EXPECT_EQ(elements[3]["value"], "4");
  EXPECT_EQ(elements[4]["text"]["text"], std::string(75, 'x'));
  EXPECT_EQ(elements[4]["value"], long_label);
  EXPECT_EQ(elements[4]["action_id"], "reconnect_quick_reply_4");
}

TEST_F(SlackChannelTest, ButtonTextIsCutBetweenCharacters) {
  std::string label;
  for (int i = 0; i < 80; ++i) label += "\xC3\xA9";  // é
  ASSERT_TRUE(Send(Reply({"Pick"}, {label})).ok());
  const std::string text =
      http_.Body(0)["blocks"][1]["elements"][0]["text"]["text"]
          .get<std::string>();
  EXPECT_EQ(text.size(), 2u * 75);
}

TEST_F(SlackChannelTest, RefusedButtonsAreResentAsPlainText) {
  http_.answers = {
      bot::HttpResponse{200, R"({"ok":false,"error":"invalid_blocks"})"},
      bot::HttpResponse{200, R"({"ok":true,"ts":"1.2"})"}};
  ASSERT_TRUE(Send(Reply({"Pick one"}, {"A", "B"})).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_TRUE(http_.Body(0).contains("blocks"));
  EXPECT_EQ(http_.Body(1),
            Json::parse(R"({"channel":"C1","text":"Pick one"})"));
}

TEST_F(SlackChannelTest, FailedPlainResendIsReported) {
  http_.answers = {
      bot::HttpResponse{200, R"({"ok":false,"error":"invalid_blocks"})"},
      bot::HttpResponse{200, R"({"ok":false,"error":"channel_not_found"})"}};
  const absl::Status status = Send(Reply({"Pick one"}, {"A"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "slack chat.postMessage: HTTP 200: channel_not_found");
  EXPECT_EQ(http_.requests.size(), 2u);
}

TEST_F(SlackChannelTest, UnreachableButtonCallIsNotRetriedPlain) {
  http_.answers = {absl::DeadlineExceededError("timed out")};
  const absl::Status status = Send(Reply({"Pick one"}, {"A"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(status.message(), "slack chat.postMessage: timed out");
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(SlackChannelTest, CrisisTextIsResentPlainWhateverTheFailure) {
  http_.answers = {absl::DeadlineExceededError("timed out")};
  Outbound reply = Reply({"Please call 988 now."}, {"I'm safe"});
  reply.crisis = true;
  ASSERT_TRUE(Send(reply).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(http_.Body(1),
            Json::parse(R"({"channel":"C1","text":"Please call 988 now."})"));
}

TEST_F(SlackChannelTest, StopsAtTheFirstFailure) {
  http_.answers = {bot::HttpResponse{200, R"({"ok":true})"},
                   bot::HttpResponse{404, ""}};
  const absl::Status status = Send(Reply({"one", "two", "three"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "slack chat.postMessage: HTTP 404");
  EXPECT_EQ(http_.requests.size(), 2u);
}

TEST_F(SlackChannelTest, AuthorPrefixesTheFirstBubbleOnly) {
  Outbound reply = Reply({"I'm here now.", "Take your time."});
  reply.author = "Sam";
  reply.in_reply_to = "1700000000.000100";
  ASSERT_TRUE(Send(reply).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(http_.Body(0),
            Json::parse(R"({"channel":"C1","text":"Sam: I'm here now."})"));
  EXPECT_EQ(http_.Body(1),
            Json::parse(R"({"channel":"C1","text":"Take your time."})"));
}

TEST_F(SlackChannelTest, BotTokenNeverAppearsInAStatus) {
  http_.answers = {absl::UnavailableError(
      absl::StrCat("proxy refused Authorization: Bearer ", kBotToken))};
  absl::Status status = Send(Reply({"hi"}));
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kBotToken)));
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("slack chat.postMessage"));

  http_.answers = {bot::HttpResponse{
      200, absl::StrCat(R"({"ok":false,"error":"invalid_auth )", kBotToken,
                        R"("})")}};
  status = Send(Reply({"hi"}));
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kBotToken)));

  http_.answers = {bot::HttpResponse{503, ""}};
  status = Send(Reply({"hi"}));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kBotToken)));
}

TEST_F(SlackChannelTest, EmptyBotTokenIsAFailedPrecondition) {
  config_.bot_token = "";
  EXPECT_EQ(Send(Reply({"hi"})).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(http_.requests, IsEmpty());
}

TEST_F(SlackChannelTest, ConversationIdMustBeTeamChannelUser) {
  for (const std::string id :
       {"", "C1", "T1:C1", "T1:C1:U1:X", "T1::U1", ":C1:U1", "T1:C1:"}) {
    EXPECT_EQ(Send(Reply({"hi"}), id).code(),
              absl::StatusCode::kInvalidArgument)
        << id;
  }
  EXPECT_THAT(http_.requests, IsEmpty());
}

TEST_F(SlackChannelTest, ReceivedConversationIdsCanBeSentTo) {
  const Received received = Receive(Interaction(BlockActions()));
  ASSERT_EQ(received.messages.size(), 1u);
  ASSERT_TRUE(Send(Reply({"ok"}), received.messages[0].conversation_id).ok());
  EXPECT_EQ(http_.Body(0)["channel"], "D1");
}

}  // namespace
}  // namespace reconnect::adapters
