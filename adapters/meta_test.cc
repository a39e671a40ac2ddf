#include "adapters/meta.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "adapters/fake_http_client.h"
#include "bot/signing.h"

namespace reconnect::adapters {
namespace {

using json = nlohmann::json;
using ::reconnect::testing::FakeHttpClient;
using ::reconnect::testing::HeaderOf;
using ::reconnect::testing::ImmediateApi;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "app-secret";
constexpr char kToken[] = "wa-token";

// V12 in adapters.md, verbatim.
constexpr char kV12[] =
    R"({"object":"whatsapp_business_account","entry":[{"id":"0","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"16505551111","phone_number_id":"123456123"},"contacts":[{"profile":{"name":"test user name"},"wa_id":"16315551181"}],"messages":[{"from":"16315551181","id":"ABGGFlA5Fpa","timestamp":"1504902988","type":"text","text":{"body":"this is a text message"}}]}}]}]})";

json BodyOf(const bot::HttpRequest& request) {
  return json::parse(request.body, nullptr, false);
}

Request Post(const std::string& body, const std::string& signature) {
  Request request;
  request.method = "POST";
  request.target = request.path = "/webhooks/meta";
  request.headers = {{"Content-Type", "application/json"},
                     {"X-Hub-Signature-256", signature}};
  request.body = body;
  return request;
}

Request SignedPost(const std::string& body) {
  return Post(body, "sha256=" + bot::HmacSha256Hex(kSecret, body));
}

Request Get(const std::string& query) {
  Request request;
  request.method = "GET";
  request.path = "/webhooks/meta";
  request.target = request.path + "?" + query;
  request.query = query;
  return request;
}

MetaConfig Config() {
  MetaConfig config;
  config.app_secret = kSecret;
  config.verify_token = "meatyhamhock";
  config.access_token = kToken;
  config.api_base = "https://graph.test/v21.0";
  return config;
}

// A WhatsApp webhook with one text message per (phone number id, sender, id).
json WhatsAppMessage(const std::string& from, const std::string& id,
                     const std::string& text) {
  return {{"from", from},
          {"id", id},
          {"timestamp", "1504902988"},
          {"type", "text"},
          {"text", {{"body", text}}}};
}

json WhatsAppChange(const std::string& phone_number_id, json messages) {
  return {{"field", "messages"},
          {"value",
           {{"messaging_product", "whatsapp"},
            {"metadata", {{"phone_number_id", phone_number_id}}},
            {"messages", std::move(messages)}}}};
}

json WhatsAppBody(json entries) {
  return {{"object", "whatsapp_business_account"},
          {"entry", std::move(entries)}};
}

class MetaTest : public ::testing::Test {
 protected:
  MetaTest()
      : api_(ImmediateApi(&http_)),
        whatsapp_(Config(), &api_),
        messenger_(Config(), &api_) {}

  Received ReceiveWhatsApp(const std::string& body) {
    return whatsapp_.Receive(SignedPost(body), absl::UnixEpoch());
  }
  Received ReceiveMessenger(const std::string& body) {
    return messenger_.Receive(SignedPost(body), absl::UnixEpoch());
  }

  FakeHttpClient http_;
  PlatformApi api_;
  WhatsAppChannel whatsapp_;
  MessengerChannel messenger_;
};

// --- X-Hub-Signature-256 ---

TEST(VerifyHubSignatureTest, AcceptsTheGitHubVector) {
  // V10: the same construction as Meta's header.
  EXPECT_TRUE(VerifyHubSignature(
      "It's a Secret to Everybody", "Hello, World!",
      "sha256="
      "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
}

TEST(VerifyHubSignatureTest, AcceptsRfc4231TestCase2) {
  EXPECT_TRUE(VerifyHubSignature(
      "Jefe", "what do ya want for nothing?",
      "sha256="
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

TEST(VerifyHubSignatureTest, RefusesAnythingElse) {
  const std::string good =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  const std::string secret = "It's a Secret to Everybody";
  EXPECT_FALSE(VerifyHubSignature(secret, "Hello, World?", good));
  EXPECT_FALSE(
      VerifyHubSignature("It's a secret to everybody", "Hello, World!", good));
  EXPECT_FALSE(VerifyHubSignature(secret, "Hello, World!", ""));
  EXPECT_FALSE(VerifyHubSignature(secret, "Hello, World!", good.substr(7)));
  EXPECT_FALSE(VerifyHubSignature(
      secret, "Hello, World!",
      "sha256="
      "757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17"));
  EXPECT_FALSE(VerifyHubSignature(secret, "Hello, World!", good + "0"));
  EXPECT_FALSE(
      VerifyHubSignature("", "Hello, World!",
                         "sha256=" + bot::HmacSha256Hex("", "Hello, World!")));
}

// --- The webhook ---

TEST_F(MetaTest, HandshakeEchoesTheChallengeForTheRightToken) {
  // V11.
  for (Channel* channel : std::vector<Channel*>{&whatsapp_, &messenger_}) {
    Received received = channel->Receive(
        Get("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token="
            "meatyhamhock"),
        absl::UnixEpoch());
    EXPECT_EQ(received.response.status, 200) << channel->name();
    EXPECT_EQ(received.response.body, "1158201444");
    EXPECT_EQ(received.response.content_type, "text/plain");
    EXPECT_TRUE(received.messages.empty());
  }
}

TEST_F(MetaTest, HandshakeRefusesAWrongOrMissingToken) {
  for (const char* query :
       {"hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meaty",
        "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token="
        "meatyhamhockX",
        "hub.mode=subscribe&hub.challenge=1158201444",
        "hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token="
        "meatyhamhock",
        ""}) {
    Received received = whatsapp_.Receive(Get(query), absl::UnixEpoch());
    EXPECT_EQ(received.response.status, 403) << query;
    EXPECT_THAT(received.response.body, Not(HasSubstr("1158201444")));
  }
}

TEST_F(MetaTest, HandshakeNeverMatchesAnEmptyConfiguredToken) {
  MetaConfig config = Config();
  config.verify_token = "";
  MessengerChannel channel(config, &api_);
  for (const char* query :
       {"hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=",
        "hub.mode=subscribe&hub.challenge=1158201444"}) {
    EXPECT_EQ(channel.Receive(Get(query), absl::UnixEpoch()).response.status,
              403)
        << query;
  }
}

TEST_F(MetaTest, PostWithoutAValidSignatureIs401) {
  Request missing = SignedPost(kV12);
  missing.headers = {{"Content-Type", "application/json"}};
  Request wrong = Post(kV12, "sha256=" + bot::HmacSha256Hex("other", kV12));
  Request tampered = SignedPost(kV12);
  tampered.body[tampered.body.size() - 3] = ' ';
  // Only the legacy SHA-1 header, which must not be accepted on its own.
  Request legacy = missing;
  legacy.headers.emplace_back("X-Hub-Signature", "sha1=whatever");
  for (const Request& request : {missing, wrong, tampered, legacy}) {
    Received received = whatsapp_.Receive(request, absl::UnixEpoch());
    EXPECT_EQ(received.response.status, 401);
    EXPECT_TRUE(received.messages.empty());
  }
}

TEST_F(MetaTest, EmptyAppSecretRefusesEveryPost) {
  MetaConfig config = Config();
  config.app_secret = "";
  WhatsAppChannel channel(config, &api_);
  Received received = channel.Receive(
      Post(kV12, "sha256=" + bot::HmacSha256Hex("", kV12)), absl::UnixEpoch());
  EXPECT_EQ(received.response.status, 401);
  EXPECT_TRUE(received.messages.empty());
}

TEST_F(MetaTest, SignedButMalformedBodyIs400) {
  for (const char* body : {"{", "not json", "[1,2]", "\"text\"", ""}) {
    EXPECT_EQ(ReceiveWhatsApp(body).response.status, 400) << body;
    EXPECT_EQ(ReceiveMessenger(body).response.status, 400) << body;
  }
}

TEST_F(MetaTest, OtherMethodsAre405) {
  Request put = SignedPost(kV12);
  put.method = "PUT";
  EXPECT_EQ(whatsapp_.Receive(put, absl::UnixEpoch()).response.status, 405);
}

TEST_F(MetaTest, SignatureIsCheckedOverTheRawEscapedBytes) {
  // Meta escapes non-ASCII; the text arrives decoded.
  const std::string body =
      R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[{"from":"2","id":"w1","type":"text","text":{"body":"Gr\u00fc\u00dfe"}}]}}]}]})";
  Received received = ReceiveWhatsApp(body);
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].text,
            "Gr\xC3\xBC\xC3\x9F"
            "e");
}

// --- WhatsApp inbound ---

TEST_F(MetaTest, WhatsAppParsesTheDashboardSample) {
  Received received = ReceiveWhatsApp(kV12);
  EXPECT_EQ(received.response.status, 200);
  EXPECT_EQ(received.response.body, "");
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].conversation_id, "123456123:16315551181");
  EXPECT_EQ(received.messages[0].message_id, "ABGGFlA5Fpa");
  EXPECT_EQ(received.messages[0].text, "this is a text message");
  EXPECT_EQ(received.messages[0].locale, "");
}

TEST_F(MetaTest, WhatsAppTakesEveryMessageOfABatchInOrder) {
  json entries = json::array();
  entries.push_back(
      {{"id", "e1"},
       {"changes",
        {WhatsAppChange("111", {WhatsAppMessage("31", "m1", "one"),
                                WhatsAppMessage("32", "m2", "two")})}}});
  entries.push_back(
      {{"id", "e2"},
       {"changes",
        {WhatsAppChange("222", {WhatsAppMessage("33", "m3", "three"),
                                WhatsAppMessage("34", "m4", "four")})}}});
  Received received = ReceiveWhatsApp(WhatsAppBody(entries).dump());
  ASSERT_EQ(received.messages.size(), 4u);
  std::vector<std::string> seen;
  for (const Inbound& m : received.messages) {
    seen.push_back(m.conversation_id + "|" + m.message_id + "|" + m.text);
  }
  EXPECT_THAT(seen, ElementsAre("111:31|m1|one", "111:32|m2|two",
                                "222:33|m3|three", "222:34|m4|four"));
}

TEST_F(MetaTest, WhatsAppIgnoresStatusesAndOtherFields) {
  json statuses = WhatsAppChange("111", json::array());
  statuses["value"].erase("messages");
  statuses["value"]["statuses"] = {
      {{"id", "wamid.X"}, {"status", "delivered"}, {"recipient_id", "31"}}};
  json other = WhatsAppChange("111", {WhatsAppMessage("31", "m1", "hidden")});
  other["field"] = "message_template_status_update";
  Received received =
      ReceiveWhatsApp(WhatsAppBody({{{"changes", {statuses, other}}}}).dump());
  EXPECT_EQ(received.response.status, 200);
  EXPECT_TRUE(received.messages.empty());
}

TEST_F(MetaTest, WhatsAppTakesTheIdOfATappedButtonOrListRow) {
  json button = {{"from", "31"},
                 {"id", "m1"},
                 {"type", "interactive"},
                 {"interactive",
                  {{"type", "button_reply"},
                   {"button_reply",
                    {{"id", "Talk to someone at the clinic"},
                     {"title", "Talk to someone at…"}}}}}};
  json row = {{"from", "31"},
              {"id", "m2"},
              {"type", "interactive"},
              {"interactive",
               {{"type", "list_reply"},
                {"list_reply", {{"id", "Sleep"}, {"title", "Sleep"}}}}}};
  json template_button = {{"from", "31"},
                          {"id", "m3"},
                          {"type", "button"},
                          {"button", {{"payload", "Yes"}, {"text", "Yes!"}}}};
  json image = {{"from", "31"},
                {"id", "m4"},
                {"type", "image"},
                {"image", {{"id", "media"}}}};
  Received received = ReceiveWhatsApp(
      WhatsAppBody(
          {{{"changes",
             {WhatsAppChange("111", {button, row, template_button, image})}}}})
          .dump());
  ASSERT_EQ(received.messages.size(), 3u);
  EXPECT_EQ(received.messages[0].text, "Talk to someone at the clinic");
  EXPECT_EQ(received.messages[1].text, "Sleep");
  EXPECT_EQ(received.messages[2].text, "Yes");
}

TEST_F(MetaTest, WhatsAppSkipsItemsWithBadIds) {
  json numeric_from = WhatsAppMessage("31", "m1", "a");
  numeric_from["from"] = 31;
  json no_id = WhatsAppMessage("31", "m2", "b");
  no_id.erase("id");
  json long_from = WhatsAppMessage(std::string(200, '9'), "m3", "c");
  json spaced_from = WhatsAppMessage("3 1", "m4", "d");
  json good = WhatsAppMessage("31", "m5", "e");
  Received received = ReceiveWhatsApp(
      WhatsAppBody({{{"changes",
                      {WhatsAppChange("111", {numeric_from, no_id, long_from,
                                              spaced_from, good})}}}})
          .dump());
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].message_id, "m5");
}

TEST_F(MetaTest, HostileShapesAreAnswered200WithNothing) {
  for (
      const char* body : {
          R"({"object":"whatsapp_business_account"})",
          R"({"object":"whatsapp_business_account","entry":"x"})",
          R"({"object":"whatsapp_business_account","entry":[1,null,"x",{"changes":{}}]})",
          R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":null}]}]})",
          R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":[],"messages":[{}]}}]}]})",
          R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":1},"messages":[{"from":"1","id":"x","type":"text","text":{"body":"hi"}}]}}]}]})",
          R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[{"from":"1","id":"x","type":"text","text":"hi"}]}}]}]})",
          R"({"object":"page","entry":[{"changes":[]}]})",
          R"({"object":7})",
      }) {
    Received received = ReceiveWhatsApp(body);
    EXPECT_EQ(received.response.status, 200) << body;
    EXPECT_TRUE(received.messages.empty()) << body;
  }
}

// --- Messenger inbound ---

json MessengerBody(json events) {
  return {{"object", "page"},
          {"entry",
           {{{"id", "PAGE1"},
             {"time", 1458692752478},
             {"messaging", std::move(events)}}}}};
}

json MessengerEvent(json message) {
  return {{"sender", {{"id", "PSID7"}}},
          {"recipient", {{"id", "PAGE1"}}},
          {"timestamp", 1458692752478},
          {"message", std::move(message)}};
}

TEST_F(MetaTest, MessengerParsesATextMessage) {
  Received received = ReceiveMessenger(
      MessengerBody({MessengerEvent({{"mid", "m_1"}, {"text", "hello"}})})
          .dump());
  EXPECT_EQ(received.response.status, 200);
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].conversation_id, "PAGE1:PSID7");
  EXPECT_EQ(received.messages[0].message_id, "m_1");
  EXPECT_EQ(received.messages[0].text, "hello");
}

TEST_F(MetaTest, MessengerIgnoresEchoes) {
  json echo = MessengerEvent(
      {{"mid", "m_2"}, {"text", "our own reply"}, {"is_echo", true}});
  Received received = ReceiveMessenger(MessengerBody({echo}).dump());
  EXPECT_EQ(received.response.status, 200);
  EXPECT_TRUE(received.messages.empty());
}

TEST_F(MetaTest, MessengerPrefersTheQuickReplyPayload) {
  Received received = ReceiveMessenger(
      MessengerBody(
          {MessengerEvent({{"mid", "m_3"},
                           {"text", "Talk to some…"},
                           {"quick_reply", {{"payload", "Talk to someone"}}}})})
          .dump());
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].text, "Talk to someone");
}

TEST_F(MetaTest, MessengerAcceptsPostbacks) {
  json with_mid = {
      {"sender", {{"id", "PSID7"}}},
      {"recipient", {{"id", "PAGE1"}}},
      {"timestamp", 1458692752478},
      {"postback", {{"mid", "m_4"}, {"title", "Start"}, {"payload", "Hi"}}}};
  json without_mid = with_mid;
  without_mid["postback"].erase("mid");
  json without_anything = without_mid;
  without_anything.erase("timestamp");
  Received received = ReceiveMessenger(
      MessengerBody({with_mid, without_mid, without_anything}).dump());
  ASSERT_EQ(received.messages.size(), 2u);
  EXPECT_EQ(received.messages[0].message_id, "m_4");
  EXPECT_EQ(received.messages[0].text, "Hi");
  EXPECT_EQ(received.messages[1].message_id, "postback:PSID7:1458692752478");
}

TEST_F(MetaTest, MessengerSkipsAttachmentsNumericIdsAndOtherObjects) {
  json attachment =
      MessengerEvent({{"mid", "m_5"}, {"attachments", {{{"type", "image"}}}}});
  json numeric = MessengerEvent({{"mid", "m_6"}, {"text", "x"}});
  numeric["sender"]["id"] = 7;
  EXPECT_TRUE(ReceiveMessenger(MessengerBody({attachment, numeric}).dump())
                  .messages.empty());
  json wrong_object =
      MessengerBody({MessengerEvent({{"mid", "m"}, {"text", "x"}})});
  wrong_object["object"] = "instagram";
  EXPECT_TRUE(ReceiveMessenger(wrong_object.dump()).messages.empty());
  // A Messenger body sent to the WhatsApp channel carries nothing for it.
  EXPECT_TRUE(
      ReceiveWhatsApp(
          MessengerBody({MessengerEvent({{"mid", "m"}, {"text", "x"}})}).dump())
          .messages.empty());
}

TEST_F(MetaTest, EveryCutOrMangledSignedBodyIsAnsweredWithoutACrash) {
  const std::string messenger =
      MessengerBody({MessengerEvent({{"mid", "m_1"},
                                     {"text", "hello"},
                                     {"quick_reply", {{"payload", "P"}}}})})
          .dump();
  std::mt19937 random(42);
  for (const std::string& whole : {std::string(kV12), messenger}) {
    for (size_t length = 0; length <= whole.size(); ++length) {
      std::string body = whole.substr(0, length);
      for (Channel* channel : std::vector<Channel*>{&whatsapp_, &messenger_}) {
        const int status = channel->Receive(SignedPost(body), absl::UnixEpoch())
                               .response.status;
        EXPECT_TRUE(status == 200 || status == 400) << body;
      }
      // The same length again with one byte changed.
      if (!body.empty()) {
        body[random() % body.size()] = static_cast<char>(random() % 256);
        const int status =
            whatsapp_.Receive(SignedPost(body), absl::UnixEpoch())
                .response.status;
        EXPECT_TRUE(status == 200 || status == 400) << body;
      }
    }
  }
}

// --- WhatsApp Send ---

TEST_F(MetaTest, WhatsAppSendsPlainText) {
  Outbound reply;
  reply.messages = {"Hello there."};
  ASSERT_TRUE(whatsapp_.Send("123456123:16315551181", reply).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  const bot::HttpRequest& request = http_.requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://graph.test/v21.0/123456123/messages");
  EXPECT_EQ(HeaderOf(request, "Authorization"), "Bearer wa-token");
  EXPECT_EQ(HeaderOf(request, "Content-Type"), "application/json");
  EXPECT_EQ(request.url.find(kToken), std::string::npos);
  EXPECT_EQ(BodyOf(request), json::parse(R"({
    "messaging_product": "whatsapp", "recipient_type": "individual",
    "to": "16315551181", "type": "text", "text": {"body": "Hello there."}})"));
}

TEST_F(MetaTest, WhatsAppPrefixesTheAuthorOnTheFirstBubbleOnly) {
  Outbound reply;
  reply.messages = {"I'm here.", "", "Take your time."};
  reply.author = "Sam";
  ASSERT_TRUE(whatsapp_.Send("1:2", reply).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(BodyOf(http_.requests[0])["text"]["body"], "Sam: I'm here.");
  EXPECT_EQ(BodyOf(http_.requests[1])["text"]["body"], "Take your time.");
}

TEST_F(MetaTest, WhatsAppSplitsLongTextAtWhitespace) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "word ";  // 5000 bytes
  Outbound reply;
  reply.messages = {text};
  ASSERT_TRUE(whatsapp_.Send("1:2", reply).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  const std::string first = BodyOf(http_.requests[0])["text"]["body"];
  const std::string second = BodyOf(http_.requests[1])["text"]["body"];
  // 819 words fill 4094 units, and the 820th would not fit.
  EXPECT_EQ(first.size(), 819u * 5 - 1);
  EXPECT_EQ(second.size(), 181u * 5 - 1);
  EXPECT_EQ(first.substr(0, 10), "word word ");
  EXPECT_EQ(first.back(), 'd');
}

TEST_F(MetaTest, WhatsAppCountsEmojiAsTwoUnitsAndNeverSplitsThem) {
  const std::string emoji = "\xF0\x9F\x98\x80";  // U+1F600
  Outbound reply;
  reply.messages = {std::string(4095, 'a') + emoji};
  ASSERT_TRUE(whatsapp_.Send("1:2", reply).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(BodyOf(http_.requests[0])["text"]["body"], std::string(4095, 'a'));
  EXPECT_EQ(BodyOf(http_.requests[1])["text"]["body"], emoji);
}

TEST_F(MetaTest, WhatsAppSendsAtMostThreeButtonsOnTheLastBubble) {
  Outbound reply;
  reply.messages = {"First.", "What would help?"};
  reply.quick_replies = {"I'd like to talk to someone now", "Breathing",
                         "Ça va très bien, merci beaucoup", "Fourth"};
  ASSERT_TRUE(whatsapp_.Send("1:2", reply).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(BodyOf(http_.requests[0])["type"], "text");
  EXPECT_EQ(BodyOf(http_.requests[1]), json::parse(R"({
    "messaging_product": "whatsapp", "recipient_type": "individual",
    "to": "2", "type": "interactive",
    "interactive": {"type": "button", "body": {"text": "What would help?"},
      "action": {"buttons": [
        {"type": "reply", "reply": {"id": "I'd like to talk to someone now",
                                    "title": "I'd like to talk to\u2026"}},
        {"type": "reply", "reply": {"id": "Breathing", "title": "Breathing"}},
        {"type": "reply", "reply": {"id": "Ça va très bien, merci beaucoup",
                                    "title": "Ça va très bien, me\u2026"}}
      ]}}})"));
}

TEST_F(MetaTest, ButtonTitlesAreCutBetweenGraphemes) {
  std::string decomposed;
  for (int i = 0; i < 25; ++i) decomposed += "e\xCC\x81";  // e + U+0301
  std::string nine;
  for (int i = 0; i < 9; ++i) nine += "e\xCC\x81";
  Outbound reply;
  reply.messages = {"Pick one."};
  reply.quick_replies = {decomposed};
  ASSERT_TRUE(whatsapp_.Send("1:2", reply).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  const json button =
      BodyOf(http_.requests[0])["interactive"]["action"]["buttons"][0];
  EXPECT_EQ(button["reply"]["title"], nine + "\xE2\x80\xA6");
  EXPECT_EQ(button["reply"]["id"], decomposed);
}

TEST_F(MetaTest, WhatsAppResendsPlainWhenButtonsAreRefused) {
  http_.answers = {bot::HttpResponse{400, R"({"error":{"code":131009}})"},
                   bot::HttpResponse{200, "{}"}};
  Outbound reply;
  reply.messages = {"What would help?"};
  reply.quick_replies = {"Talk", "Breathe"};
  ASSERT_TRUE(whatsapp_.Send("1:2", reply).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(BodyOf(http_.requests[0])["type"], "interactive");
  EXPECT_EQ(BodyOf(http_.requests[1]), json::parse(R"({
    "messaging_product": "whatsapp", "recipient_type": "individual",
    "to": "2", "type": "text", "text": {"body": "What would help?"}})"));
}

TEST_F(MetaTest, WhatsAppSendsALongLastBubblePlainWithoutButtons) {
  Outbound reply;
  reply.messages = {std::string(1025, 'x')};
  reply.quick_replies = {"Talk"};
  ASSERT_TRUE(whatsapp_.Send("1:2", reply).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(BodyOf(http_.requests[0])["type"], "text");
}

TEST_F(MetaTest, WhatsAppAnswersInReplyToAndDropsTheContextWhenRefused) {
  http_.answers = {bot::HttpResponse{400, "{}"}, bot::HttpResponse{200, "{}"}};
  Outbound reply;
  reply.messages = {"One.", "Two."};
  reply.in_reply_to = "wamid.ABC";
  ASSERT_TRUE(whatsapp_.Send("1:2", reply).ok());
  ASSERT_EQ(http_.requests.size(), 3u);
  EXPECT_EQ(BodyOf(http_.requests[0])["context"]["message_id"], "wamid.ABC");
  EXPECT_FALSE(BodyOf(http_.requests[1]).contains("context"));
  EXPECT_EQ(BodyOf(http_.requests[1])["text"]["body"], "One.");
  EXPECT_FALSE(BodyOf(http_.requests[2]).contains("context"));
}

TEST_F(MetaTest, ACrisisReplyFallsBackToPlainOnAnyFailure) {
  // Three 503s spend PlatformApi's attempts on the interactive call.
  http_.answers = {bot::HttpResponse{503, ""}, bot::HttpResponse{503, ""},
                   bot::HttpResponse{503, ""}, bot::HttpResponse{200, "{}"}};
  Outbound reply;
  reply.messages = {"Please call 988 now."};
  reply.quick_replies = {"Talk to someone"};
  reply.crisis = true;
  ASSERT_TRUE(whatsapp_.Send("1:2", reply).ok());
  ASSERT_EQ(http_.requests.size(), 4u);
  EXPECT_EQ(BodyOf(http_.requests[3])["type"], "text");
  EXPECT_EQ(BodyOf(http_.requests[3])["text"]["body"], "Please call 988 now.");
}

TEST_F(MetaTest, AnOrdinaryReplyIsNotResentAfterAnOutage) {
  http_.answers = {bot::HttpResponse{503, ""}, bot::HttpResponse{503, ""},
                   bot::HttpResponse{503, ""}};
  Outbound reply;
  reply.messages = {"What would help?"};
  reply.quick_replies = {"Talk"};
  absl::Status status = whatsapp_.Send("1:2", reply);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(http_.requests.size(), 3u);
}

TEST_F(MetaTest, SendErrorsNameTheStatusButNeverTheToken) {
  http_.answers = {bot::HttpResponse{
      401,
      R"({"error":{"message":"Invalid OAuth access token wa-token","code":190}})"}};
  Outbound reply;
  reply.messages = {"Hi.", "Never sent."};
  absl::Status status = whatsapp_.Send("1:2", reply);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(status.message()), HasSubstr("HTTP 401"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("190"));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kToken)));
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(MetaTest, SendChecksTheConversationIdAndTheToken) {
  Outbound reply;
  reply.messages = {"Hi."};
  for (const char* id : {"", "123", ":2", "1:", "1 2:3"}) {
    EXPECT_EQ(whatsapp_.Send(id, reply).code(),
              absl::StatusCode::kInvalidArgument)
        << id;
    EXPECT_EQ(messenger_.Send(id, reply).code(),
              absl::StatusCode::kInvalidArgument)
        << id;
  }
  MetaConfig config = Config();
  config.access_token = "";
  EXPECT_EQ(WhatsAppChannel(config, &api_).Send("1:2", reply).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(MessengerChannel(config, &api_).Send("1:2", reply).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(http_.requests.empty());
}

// --- Messenger Send ---

TEST_F(MetaTest, MessengerSendsPlainText) {
  Outbound reply;
  reply.messages = {"Hello there."};
  ASSERT_TRUE(messenger_.Send("PAGE1:PSID7", reply).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].url, "https://graph.test/v21.0/PAGE1/messages");
  EXPECT_EQ(HeaderOf(http_.requests[0], "Authorization"), "Bearer wa-token");
  EXPECT_EQ(BodyOf(http_.requests[0]), json::parse(R"({
    "recipient": {"id": "PSID7"}, "messaging_type": "RESPONSE",
    "message": {"text": "Hello there."}})"));
}

TEST_F(MetaTest, MessengerSendsAtMostThirteenQuickReplies) {
  Outbound reply;
  reply.messages = {"Pick one."};
  for (int i = 1; i <= 14; ++i) {
    reply.quick_replies.push_back("Option " + std::to_string(i));
  }
  reply.quick_replies[0] = "I'd like to talk to someone now";
  ASSERT_TRUE(messenger_.Send("PAGE1:PSID7", reply).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  const json body = BodyOf(http_.requests[0]);
  EXPECT_EQ(body["message"]["text"], "Pick one.");
  const json& quick = body["message"]["quick_replies"];
  ASSERT_EQ(quick.size(), 13u);
  EXPECT_EQ(quick[0], json::parse(R"({"content_type": "text",
      "title": "I'd like to talk to\u2026",
      "payload": "I'd like to talk to someone now"})"));
  EXPECT_EQ(quick[12]["payload"], "Option 13");
}

TEST_F(MetaTest, MessengerResendsPlainWhenQuickRepliesAreRefused) {
  http_.answers = {bot::HttpResponse{400, "{}"}, bot::HttpResponse{200, "{}"}};
  Outbound reply;
  reply.messages = {"Pick one."};
  reply.quick_replies = {"A"};
  ASSERT_TRUE(messenger_.Send("PAGE1:PSID7", reply).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_TRUE(BodyOf(http_.requests[0])["message"].contains("quick_replies"));
  EXPECT_EQ(BodyOf(http_.requests[1])["message"],
            json::parse(R"({"text": "Pick one."})"));
}

TEST_F(MetaTest, MessengerSplitsAt2000Units) {
  Outbound reply;
  reply.messages = {std::string(1500, 'a') + " " + std::string(1500, 'b')};
  ASSERT_TRUE(messenger_.Send("PAGE1:PSID7", reply).ok());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(BodyOf(http_.requests[0])["message"]["text"],
            std::string(1500, 'a'));
  EXPECT_EQ(BodyOf(http_.requests[1])["message"]["text"],
            std::string(1500, 'b'));
}

TEST_F(MetaTest, InvalidUtf8InAReplyDoesNotThrow) {
  Outbound reply;
  reply.messages = {"bad \xFF byte"};
  reply.quick_replies = {"\xC3"};
  ASSERT_TRUE(messenger_.Send("PAGE1:PSID7", reply).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(BodyOf(http_.requests[0])["message"]["text"],
            "bad \xEF\xBF\xBD byte");
}

}  // namespace
}  // namespace reconnect::adapters
