// End to end through real HTTP: the gateway in front of the embedded guide
// (in-process gRPC, SQLite escalations), with each messaging platform's API
// faked by a receiver on loopback. Webhooks are signed the way each platform
// signs them.
#include <sys/stat.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "adapters/gateway.h"
#include "adapters/twilio.h"
#include "bot/http_client.h"
#include "bot/signing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/embedded.h"
#include "service/server.h"
#include "tests/subprocess.h"
#include "tests/testutil.h"
#include "tests/webhook_receiver.h"

namespace reconnect {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

constexpr char kTelegramSecret[] = "tg-secret_123";
constexpr char kSlackSecret[] = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr char kMetaSecret[] = "meta-app-secret";
constexpr char kVerifyToken[] = "meatyhamhock";
constexpr char kTwilioToken[] = "twilio-auth-token";

class GatewayEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    platform_.set_body(R"({"ok":true})");
    service::EmbeddedOptions options;
    options.intents_dir = std::string(RECONNECT_SOURCE_DIR) + "/intents";
    options.data_dir = dir_.path();
    options.operator_token = "operator-token";
    options.worker_period = absl::Milliseconds(50);
    auto embedded = service::Embedded::Start(options);
    ASSERT_TRUE(embedded.ok()) << embedded.status();
    embedded_ = std::move(embedded).value();
    service::ServerOptions server_options;
    server_options.address = "127.0.0.1:0";
    server_options.operator_token = "operator-token";
    auto server = service::Server::Start(embedded_->guide(), server_options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();

    const std::string api = absl::StrCat("http://127.0.0.1:", platform_.port());
    settings_ = adapters::Settings::FromMap({
        {"RECONNECT_TELEGRAM_SECRET_TOKEN", kTelegramSecret},
        {"RECONNECT_TELEGRAM_BOT_TOKEN", "123:tg-bot-token"},
        {"RECONNECT_TELEGRAM_API_BASE", api + "/telegram"},
        {"RECONNECT_SLACK_SIGNING_SECRET", kSlackSecret},
        {"RECONNECT_SLACK_BOT_TOKEN", "xoxb-slack-token"},
        {"RECONNECT_SLACK_API_BASE", api + "/slack"},
        {"RECONNECT_META_APP_SECRET", kMetaSecret},
        {"RECONNECT_META_VERIFY_TOKEN", kVerifyToken},
        {"RECONNECT_WHATSAPP_TOKEN", "wa-token"},
        {"RECONNECT_MESSENGER_PAGE_TOKEN", "page-token"},
        {"RECONNECT_META_API_BASE", api + "/graph"},
        {"RECONNECT_TWILIO_AUTH_TOKEN", kTwilioToken},
        {"RECONNECT_WEB_ORIGINS", "https://clinic.example"},
    });
    StartGateway();
  }

  void StartGateway() {
    adapters::GatewayOptions options;
    options.http.address = "127.0.0.1:0";
    options.cursor_file = dir_.path() + "/gateway-cursor";
    options.platform_retry.first_backoff = absl::Milliseconds(10);
    adapters::ReadWebOrigins(settings_, &options);
    auto gateway = adapters::Gateway::Start(server_->InProcessChannel(),
                                            settings_, options);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = std::move(gateway).value();
    base_ = absl::StrCat("http://127.0.0.1:", gateway_->port());
  }

  void TearDown() override {
    if (gateway_) gateway_->Shutdown();
    if (server_) server_->Shutdown();
  }

  bot::HttpResponse Call(
      const std::string& method, const std::string& path,
      const std::string& body,
      std::vector<std::pair<std::string, std::string>> headers = {}) {
    bot::HttpRequest request;
    request.method = method;
    request.url = base_ + path;
    request.body = body;
    request.headers = std::move(headers);
    auto response = http_->Send(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : bot::HttpResponse{};
  }

  // Platform API calls whose target starts with `prefix`.
  std::vector<testing::WebhookReceiver::Request> Calls(
      const std::string& prefix) {
    std::vector<testing::WebhookReceiver::Request> out;
    for (auto& r : platform_.requests()) {
      if (r.target.rfind(prefix, 0) == 0) out.push_back(r);
    }
    return out;
  }
  bool WaitForCalls(const std::string& prefix, size_t n) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      if (Calls(prefix).size() >= n) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  // The platform calls once no new one has come for a while: replies go out
  // from a pool of senders, one call per bubble.
  std::vector<testing::WebhookReceiver::Request> Settled(
      const std::string& prefix) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    size_t seen = Calls(prefix).size();
    absl::Time quiet_since = absl::Now();
    while (absl::Now() < deadline &&
           (seen == 0 || absl::Now() - quiet_since < absl::Milliseconds(400))) {
      absl::SleepFor(absl::Milliseconds(20));
      const size_t now = Calls(prefix).size();
      if (now != seen) {
        seen = now;
        quiet_since = absl::Now();
      }
    }
    return Calls(prefix);
  }
  // Every reply bubble went out once: a retried webhook sent nothing again.
  static void ExpectNothingTwice(
      const std::vector<testing::WebhookReceiver::Request>& calls) {
    std::set<std::string> bodies;
    for (const auto& call : calls) {
      EXPECT_TRUE(bodies.insert(call.body).second)
          << "sent twice: " << call.body;
    }
  }

  std::vector<bot::Escalation> Escalations() {
    auto list = embedded_->guide()->handoff()->store()->List({}, 100);
    EXPECT_TRUE(list.ok());
    return list.ok() ? *list : std::vector<bot::Escalation>{};
  }

  // --- Signed webhooks, one per platform ---------------------------------
  bot::HttpResponse Telegram(int update_id, const std::string& text,
                             const std::string& secret = kTelegramSecret) {
    json update = {{"update_id", update_id},
                   {"message",
                    {{"message_id", update_id + 1000},
                     {"date", 1441645532},
                     {"chat", {{"id", 1111111}, {"type", "private"}}},
                     {"from", {{"id", 1111111}, {"first_name", "Test"}}},
                     {"text", text}}}};
    return Call("POST", "/v1/telegram/webhook", update.dump(),
                {{"Content-Type", "application/json"},
                 {"X-Telegram-Bot-Api-Secret-Token", secret}});
  }

  bot::HttpResponse Slack(const std::string& event_id, const std::string& text,
                          int64_t timestamp = 0,
                          const std::string& retry = "") {
    json event = {{"type", "event_callback"},
                  {"team_id", "T1"},
                  {"event_id", event_id},
                  {"event",
                   {{"type", "message"},
                    {"channel_type", "im"},
                    {"user", "U1"},
                    {"channel", "D1"},
                    {"text", text},
                    {"ts", "1531420618.000200"}}}};
    return SlackRaw(event.dump(), timestamp, retry);
  }
  bot::HttpResponse SlackRaw(const std::string& body, int64_t timestamp = 0,
                             const std::string& retry = "") {
    if (timestamp == 0) timestamp = absl::ToUnixSeconds(absl::Now());
    const std::string ts = absl::StrCat(timestamp);
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json"},
        {"X-Slack-Request-Timestamp", ts},
        {"X-Slack-Signature",
         "v0=" + bot::HmacSha256Hex(kSlackSecret,
                                    absl::StrCat("v0:", ts, ":", body))}};
    if (!retry.empty()) {
      headers.emplace_back("X-Slack-Retry-Num", retry);
      headers.emplace_back("X-Slack-Retry-Reason", "http_timeout");
    }
    return Call("POST", "/v1/slack/events", body, headers);
  }

  bot::HttpResponse Meta(const std::string& path, const json& body,
                         const std::string& secret = kMetaSecret) {
    const std::string raw = body.dump();
    return Call(
        "POST", path, raw,
        {{"Content-Type", "application/json"},
         {"X-Hub-Signature-256", "sha256=" + bot::HmacSha256Hex(secret, raw)}});
  }
  json WhatsApp(const std::string& id, const std::string& text) {
    return {{"object", "whatsapp_business_account"},
            {"entry",
             {{{"id", "0"},
               {"changes",
                {{{"field", "messages"},
                  {"value",
                   {{"messaging_product", "whatsapp"},
                    {"metadata",
                     {{"display_phone_number", "16505551111"},
                      {"phone_number_id", "123456123"}}},
                    {"messages",
                     {{{"from", "16315551181"},
                       {"id", id},
                       {"timestamp", "1504902988"},
                       {"type", "text"},
                       {"text", {{"body", text}}}}}}}}}}}}}}};
  }
  json Messenger(const std::string& mid, const std::string& text) {
    return {{"object", "page"},
            {"entry",
             {{{"id", "PAGE1"},
               {"time", 1458692752478},
               {"messaging",
                {{{"sender", {{"id", "PSID1"}}},
                  {"recipient", {{"id", "PAGE1"}}},
                  {"timestamp", 1458692752478},
                  {"message", {{"mid", mid}, {"text", text}}}}}}}}}};
  }

  bot::HttpResponse Twilio(const std::string& sid, const std::string& text,
                           const std::string& token = kTwilioToken,
                           const std::string& from = "+14158675309") {
    adapters::Fields params = {{"AccountSid", "AC123"}, {"MessageSid", sid},
                               {"From", from},          {"To", "+18005551212"},
                               {"Body", text},          {"NumMedia", "0"}};
    // Twilio signs the URL it called: here, the gateway's own address.
    const std::string url = base_ + "/v1/twilio/sms";
    return Call("POST", "/v1/twilio/sms", adapters::EncodeForm(params),
                {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"X-Twilio-Signature",
                  adapters::TwilioSignature(token, url, params)}});
  }

  testing::TempDir dir_;
  testing::WebhookReceiver platform_;
  std::unique_ptr<service::Embedded> embedded_;
  std::unique_ptr<service::Server> server_;
  adapters::Settings settings_;
  std::unique_ptr<adapters::Gateway> gateway_;
  std::string base_;
  std::unique_ptr<bot::HttpClient> http_ = bot::NewCurlHttpClient();
};

// --- Telegram ----------------------------------------------------------------

TEST_F(GatewayEndToEnd, TelegramAnswersOnceAndEscalatesOnce) {
  EXPECT_EQ(Telegram(1, "what is EMDR?").status, 200);
  auto first = Settled("/telegram/");
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first[0].target, "/telegram/bot123:tg-bot-token/sendMessage");
  json body = json::parse(first[0].body);
  EXPECT_EQ(body["chat_id"], 1111111);
  EXPECT_THAT(body["text"].get<std::string>(), HasSubstr("EMDR"));

  // Telegram retries the same update: no second reply.
  EXPECT_EQ(Telegram(1, "what is EMDR?").status, 200);
  // A crisis: a crisis reply and exactly one escalation, even when retried.
  EXPECT_EQ(Telegram(2, "i want to kill myself").status, 200);
  EXPECT_EQ(Telegram(2, "i want to kill myself").status, 200);
  auto all = Settled("/telegram/");
  ASSERT_GT(all.size(), first.size());
  std::string crisis_text;
  for (size_t i = first.size(); i < all.size(); ++i) {
    crisis_text += json::parse(all[i].body)["text"].get<std::string>();
  }
  EXPECT_THAT(crisis_text, HasSubstr("911"));
  ExpectNothingTwice(all);
  auto escalations = Escalations();
  ASSERT_EQ(escalations.size(), 1u);
  EXPECT_EQ(escalations[0].channel, "telegram");
  EXPECT_EQ(escalations[0].conversation_id, "1111111");
}

TEST_F(GatewayEndToEnd, TelegramRefusesWrongOrMissingSecretBeforeTheCore) {
  EXPECT_EQ(Telegram(7, "i want to kill myself", "wrong").status, 403);
  auto response =
      Call("POST", "/v1/telegram/webhook",
           R"({"update_id":8,"message":{"chat":{"id":1},"text":"hi"}})",
           {{"Content-Type", "application/json"}});
  EXPECT_EQ(response.status, 403);
  EXPECT_TRUE(Escalations().empty());
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_TRUE(Calls("/telegram/").empty());
}

TEST_F(GatewayEndToEnd, OperatorReplyReachesATelegramUser) {
  ASSERT_EQ(Telegram(3, "i want to kill myself").status, 200);
  auto escalations = Escalations();
  ASSERT_EQ(escalations.size(), 1u);
  auto sent = embedded_->guide()->handoff()->SendToUser(
      escalations[0].id, "Sam", "I'm here with you. Are you safe right now?");
  ASSERT_TRUE(sent.ok()) << sent.status();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  json found;
  while (found.is_null() && absl::Now() < deadline) {
    for (auto& call : Calls("/telegram/")) {
      json body = json::parse(call.body);
      if (body["text"] == "Sam: I'm here with you. Are you safe right now?") {
        found = body;
      }
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_FALSE(found.is_null()) << "the person's reply never reached Telegram";
  EXPECT_EQ(found["chat_id"], 1111111);
}

// --- Slack -------------------------------------------------------------------

TEST_F(GatewayEndToEnd, SlackVerifiesAnswersAndIgnoresRetries) {
  auto challenge = SlackRaw(
      R"({"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})");
  EXPECT_EQ(challenge.status, 200);
  EXPECT_THAT(
      challenge.body,
      HasSubstr("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));

  EXPECT_EQ(Slack("Ev1", "how can I support my partner?").status, 200);
  auto sent = Settled("/slack/");
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent[0].target, "/slack/chat.postMessage");
  EXPECT_EQ(sent[0].headers["authorization"], "Bearer xoxb-slack-token");
  EXPECT_EQ(json::parse(sent[0].body)["channel"], "D1");
  // Slack's retry of the same event, then a crisis.
  EXPECT_EQ(Slack("Ev1", "how can I support my partner?", 0, "1").status, 200);
  EXPECT_EQ(Slack("Ev2", "he hits me and I'm scared to go home").status, 200);
  auto all = Settled("/slack/");
  ASSERT_GT(all.size(), sent.size());
  ExpectNothingTwice(all);
  EXPECT_EQ(Escalations().size(), 1u);
  std::string text;
  for (auto& call : all) text += call.body;
  EXPECT_THAT(text, HasSubstr("911"));
}

TEST_F(GatewayEndToEnd, SlackRefusesStaleOrForgedRequests) {
  const int64_t stale = absl::ToUnixSeconds(absl::Now()) - 600;
  EXPECT_EQ(Slack("Ev9", "i want to die", stale).status, 401);
  auto forged = Call("POST", "/v1/slack/events", R"({"type":"event_callback"})",
                     {{"X-Slack-Request-Timestamp",
                       absl::StrCat(absl::ToUnixSeconds(absl::Now()))},
                      {"X-Slack-Signature", "v0=00"}});
  EXPECT_EQ(forged.status, 401);
  EXPECT_TRUE(Escalations().empty());
}

// --- WhatsApp and Messenger
// ----------------------------------------------------

TEST_F(GatewayEndToEnd, MetaHandshake) {
  auto ok = Call("GET",
                 "/v1/whatsapp/webhook?hub.mode=subscribe&hub.challenge="
                 "1158201444&hub.verify_token=meatyhamhock",
                 "");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "1158201444");
  auto wrong = Call("GET",
                    "/v1/messenger/webhook?hub.mode=subscribe&hub.challenge="
                    "1158201444&hub.verify_token=other",
                    "");
  EXPECT_EQ(wrong.status, 403);
}

TEST_F(GatewayEndToEnd, WhatsAppAnswersWithButtonsOnceAndEscalatesOnce) {
  EXPECT_EQ(
      Meta("/v1/whatsapp/webhook", WhatsApp("wamid.1", "what is EMDR")).status,
      200);
  auto sent = Settled("/graph/");
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent[0].target, "/graph/123456123/messages");
  EXPECT_EQ(sent[0].headers["authorization"], "Bearer wa-token");
  bool buttons = false;
  for (auto& call : sent) {
    json body = json::parse(call.body);
    EXPECT_EQ(body["to"], "16315551181");
    if (body["type"] == "interactive") {
      buttons = true;
      EXPECT_LE(body["interactive"]["action"]["buttons"].size(), 3u);
    }
  }
  EXPECT_TRUE(buttons);
  EXPECT_EQ(
      Meta("/v1/whatsapp/webhook", WhatsApp("wamid.1", "what is EMDR")).status,
      200);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Meta("/v1/whatsapp/webhook",
                   WhatsApp("wamid.2", "I took a whole bottle of pills"))
                  .status,
              200);
  }
  auto all = Settled("/graph/");
  ASSERT_GT(all.size(), sent.size());
  ExpectNothingTwice(all);
  ASSERT_EQ(Escalations().size(), 1u);
  EXPECT_EQ(Escalations()[0].conversation_id, "123456123:16315551181");
  // Forged: wrong secret never reaches the core.
  EXPECT_EQ(Meta("/v1/whatsapp/webhook", WhatsApp("wamid.3", "i want to die"),
                 "wrong-secret")
                .status,
            401);
  EXPECT_EQ(Escalations().size(), 1u);
}

TEST_F(GatewayEndToEnd, MessengerAnswersOnce) {
  EXPECT_EQ(Meta("/v1/messenger/webhook",
                 Messenger("mid.1", "how long does healing take"))
                .status,
            200);
  auto sent = Settled("/graph/PAGE1/messages");
  ASSERT_FALSE(sent.empty());
  json body = json::parse(sent[0].body);
  EXPECT_EQ(body["recipient"]["id"], "PSID1");
  EXPECT_EQ(body["messaging_type"], "RESPONSE");
  EXPECT_EQ(Meta("/v1/messenger/webhook",
                 Messenger("mid.1", "how long does healing take"))
                .status,
            200);
  EXPECT_EQ(Meta("/v1/messenger/webhook",
                 Messenger("mid.2", "i was raped last night"))
                .status,
            200);
  auto all = Settled("/graph/");
  ASSERT_GT(all.size(), sent.size());
  ExpectNothingTwice(all);
  EXPECT_EQ(Escalations().size(), 1u);
}

// --- Twilio SMS --------------------------------------------------------------

TEST_F(GatewayEndToEnd, TwilioRepliesInTwimlOnceAndEscalatesOnce) {
  auto reply = Twilio("SM1", "what is somatic therapy");
  EXPECT_EQ(reply.status, 200);
  EXPECT_THAT(reply.body, HasSubstr("<Response><Message>"));
  auto again = Twilio("SM1", "what is somatic therapy");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response />");

  auto crisis = Twilio("SM2", "i want to end my life");
  EXPECT_THAT(crisis.body, HasSubstr("911"));
  // The first line shows on a locked phone: nothing sensitive in it.
  const size_t start = crisis.body.find("<Message>") + 9;
  const std::string first_line =
      crisis.body.substr(start, crisis.body.find('\n', start) - start);
  EXPECT_THAT(first_line, Not(HasSubstr("life")));
  EXPECT_THAT(first_line, Not(HasSubstr("suicid")));
  EXPECT_THAT(first_line, Not(HasSubstr("crisis")));
  Twilio("SM2", "i want to end my life");
  ASSERT_EQ(Escalations().size(), 1u);
  EXPECT_EQ(Escalations()[0].conversation_id, "+18005551212:+14158675309");

  // Quick replies are numbered; a digit picks one.
  const std::string other = "+14155550100";
  auto topic = Twilio("SM3", "what is EMDR", kTwilioToken, other);
  EXPECT_THAT(topic.body, HasSubstr("1 - "));
  auto picked = Twilio("SM4", "1", kTwilioToken, other);
  EXPECT_EQ(picked.status, 200);
  // "1" follows the first suggestion, exactly as typing its label would.
  const size_t label_at = topic.body.find("1 - ") + 4;
  const std::string label = topic.body.substr(
      label_at, topic.body.find_first_of("\n<", label_at) - label_at);
  auto typed = Twilio("SM6", label, kTwilioToken, "+14155550101");
  auto strip_menu = [](const std::string& body) {
    return body.substr(0, body.find("1 - "));
  };
  EXPECT_EQ(strip_menu(picked.body), strip_menu(typed.body)) << label;
  EXPECT_NE(strip_menu(picked.body), strip_menu(topic.body));
  // Forged: refused, and never reaches the guide.
  EXPECT_EQ(Twilio("SM5", "i want to die", "wrong-token").status, 403);
  EXPECT_EQ(Escalations().size(), 1u);
}

// --- Web chat ---------------------------------------------------------------

TEST_F(GatewayEndToEnd, WebChatConversationOfSeveralTurns) {
  auto start = Call("POST", "/v1/web/conversations", "");
  ASSERT_EQ(start.status, 201);
  const std::string id = json::parse(start.body)["conversation_id"];
  const std::string path = "/v1/web/conversations/" + id + "/messages";
  auto send = [&](const std::string& text) {
    auto r = Call("POST", path, json{{"text", text}}.dump(),
                  {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  };
  json r = send("hi");
  EXPECT_EQ(r["intent"], "chat.greeting");
  r = send("what is EMDR?");
  EXPECT_EQ(r["intent"], "therapy.emdr");
  ASSERT_FALSE(r["quick_replies"].empty());
  r = send("tell me more");
  EXPECT_EQ(r["intent"], "chat.more");
  // A chip tapped: its label sent back as the message.
  json tapped = send("what is EMDR?")["quick_replies"][0];
  r = send(tapped.get<std::string>());
  EXPECT_FALSE(r["intent"].get<std::string>().empty());
  EXPECT_FALSE(r["escalation"]["escalated"].get<bool>() &&
               r["escalation"]["category"] != "handoff.human");
}

TEST_F(GatewayEndToEnd, WebChatHandOffDeliversThePersonsReply) {
  const std::string id = json::parse(
      Call("POST", "/v1/web/conversations", "").body)["conversation_id"];
  const std::string base = "/v1/web/conversations/" + id;
  auto crisis =
      Call("POST", base + "/messages",
           R"({"text":"I don't want to be alive anymore","message_id":"m1"})",
           {{"Content-Type", "application/json"}});
  ASSERT_EQ(crisis.status, 200);
  json reply = json::parse(crisis.body);
  EXPECT_TRUE(reply["escalation"]["escalated"].get<bool>());
  EXPECT_TRUE(reply["escalation"]["handed_off"].get<bool>());
  EXPECT_FALSE(reply["escalation"]["resources"].empty());
  // The browser resends after a network error: same answer, no new record.
  auto resent =
      Call("POST", base + "/messages",
           R"({"text":"I don't want to be alive anymore","message_id":"m1"})",
           {{"Content-Type", "application/json"}});
  EXPECT_TRUE(json::parse(resent.body)["duplicate"].get<bool>());
  auto escalations = Escalations();
  ASSERT_EQ(escalations.size(), 1u);

  // A long-poll waits; the person's reply wakes it.
  std::thread person([&] {
    absl::SleepFor(absl::Milliseconds(300));
    ASSERT_TRUE(embedded_->guide()
                    ->handoff()
                    ->SendToUser(escalations[0].id, "Sam",
                                 "I'm here. You're not alone.")
                    .ok());
  });
  auto events = Call("GET", base + "/events?after=0&wait=10", "");
  person.join();
  ASSERT_EQ(events.status, 200);
  json list = json::parse(events.body)["events"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["sender"], "operator");
  EXPECT_EQ(list[0]["author"], "Sam");
  EXPECT_EQ(list[0]["text"], "I'm here. You're not alone.");
  const int64_t seq = list[0]["seq"];

  // Release: the guide's notice arrives the same way, and the guide answers
  // again.
  ASSERT_TRUE(
      embedded_->guide()->handoff()->Release(escalations[0].id, "Sam").ok());
  events = Call("GET",
                base + "/events?after=" + std::to_string(seq) + "&wait=10", "");
  list = json::parse(events.body)["events"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["sender"], "guide");
  auto after = Call("POST", base + "/messages", R"({"text":"what is EMDR"})",
                    {{"Content-Type", "application/json"}});
  EXPECT_EQ(json::parse(after.body)["intent"], "therapy.emdr");
}

TEST_F(GatewayEndToEnd, WebChatRefusesWhatItCannotServeButNeverACry) {
  const std::string id = json::parse(
      Call("POST", "/v1/web/conversations", "").body)["conversation_id"];
  const std::string path = "/v1/web/conversations/" + id + "/messages";
  EXPECT_EQ(Call("POST", path, "not json").status, 400);
  // Broken JSON that carries a cry for help is still answered as a crisis.
  auto broken = Call("POST", path, R"({"text": "i want to kill myself)");
  EXPECT_EQ(broken.status, 200);
  EXPECT_TRUE(json::parse(broken.body)["escalation"]["escalated"].get<bool>());
  EXPECT_EQ(Call("POST", "/v1/web/conversations/not-an-id/messages",
                 R"({"text":"hi"})")
                .status,
            404);
  std::string huge(2 << 20, 'a');
  EXPECT_EQ(Call("POST", path, huge).status, 413);
}

TEST_F(GatewayEndToEnd, WebChatCorsAllowsOnlyConfiguredOrigins) {
  auto allowed = Call("OPTIONS", "/v1/web/conversations", "",
                      {{"Origin", "https://clinic.example"},
                       {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(allowed.status, 204);
  auto refused = Call("POST", "/v1/web/conversations", "",
                      {{"Origin", "https://evil.example"}});
  EXPECT_EQ(refused.status, 403);
}

TEST_F(GatewayEndToEnd, WebClinicGivesTheRegionsEmergencyNumber) {
  auto uk = Call("GET", "/v1/web/clinic?locale=en-GB", "");
  ASSERT_EQ(uk.status, 200);
  json info = json::parse(uk.body);
  EXPECT_EQ(info["region"], "UK");
  EXPECT_EQ(info["emergency_number"], "999");
  EXPECT_FALSE(info["clinic_name"].get<std::string>().empty());
  EXPECT_FALSE(info["resources"].empty());
  auto us = Call("GET", "/v1/web/clinic", "", {{"Accept-Language", "en-US"}});
  EXPECT_EQ(json::parse(us.body)["emergency_number"], "911");
}

// --- The operator console's API ---------------------------------------------

TEST_F(GatewayEndToEnd, OperatorApiNeedsTheTokenAndDrivesTheHandOff) {
  const std::string id = json::parse(
      Call("POST", "/v1/web/conversations", "").body)["conversation_id"];
  ASSERT_EQ(Call("POST", "/v1/web/conversations/" + id + "/messages",
                 R"({"text":"please let me talk to a real person"})",
                 {{"Content-Type", "application/json"}})
                .status,
            200);
  EXPECT_EQ(Call("GET", "/v1/operator/escalations", "").status, 401);
  EXPECT_EQ(Call("GET", "/v1/operator/escalations", "",
                 {{"Authorization", "Bearer wrong"}})
                .status,
            401);
  const std::vector<std::pair<std::string, std::string>> auth = {
      {"Authorization", "Bearer operator-token"},
      {"Content-Type", "application/json"}};
  auto list = Call("GET", "/v1/operator/escalations?state=open", "", auth);
  ASSERT_EQ(list.status, 200) << list.body;
  json escalations = json::parse(list.body)["escalations"];
  ASSERT_EQ(escalations.size(), 1u);
  const std::string escalation = escalations[0]["id"];
  EXPECT_EQ(escalations[0]["channel"], "web");
  EXPECT_EQ(escalations[0]["state"], "open");

  // A long-poll from the start sees it at once.
  auto changes = Call("GET", "/v1/operator/changes?after=0&wait=5", "", auth);
  ASSERT_EQ(changes.status, 200);
  EXPECT_EQ(json::parse(changes.body)["escalations"][0]["id"], escalation);

  const std::string base = "/v1/operator/escalations/" + escalation;
  auto ack = Call("POST", base + "/acknowledge", R"({"person":"Sam"})", auth);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(json::parse(ack.body)["acknowledged_by"], "Sam");
  EXPECT_EQ(Call("POST", base + "/messages",
                 R"({"person":"Sam","text":"I'm here."})", auth)
                .status,
            200);
  auto events = Call(
      "GET", "/v1/web/conversations/" + id + "/events?after=0&wait=10", "");
  EXPECT_EQ(json::parse(events.body)["events"][0]["text"], "I'm here.");
  auto detail = Call("GET", base, "", auth);
  EXPECT_EQ(json::parse(detail.body)["messages"].size(), 1u);
  EXPECT_EQ(Call("POST", base + "/release", R"({"person":"Sam"})", auth).status,
            200);
  // No longer with a person.
  EXPECT_EQ(Call("POST", base + "/release", R"({"person":"Sam"})", auth).status,
            409);
  EXPECT_EQ(Call("GET", "/v1/operator/escalations/nope", "", auth).status, 404);
  // Another site's page cannot drive the console's API.
  auto foreign = auth;
  foreign.emplace_back("Origin", "https://evil.example");
  EXPECT_EQ(Call("GET", "/v1/operator/escalations", "", foreign).status, 403);
}

// --- The gateway itself
// --------------------------------------------------------

TEST_F(GatewayEndToEnd, HealthAndMetricsWithoutMessageText) {
  EXPECT_EQ(Call("GET", "/healthz", "").status, 200);
  Telegram(40, "my secret words about EMDR");
  Twilio("SM40", "i want to end my life");
  auto metrics = Call("GET", "/metrics", "");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.body,
              HasSubstr("reconnect_http_requests_total{channel=\"telegram\","
                        "code=\"200\"} 1"));
  EXPECT_THAT(metrics.body,
              HasSubstr("reconnect_escalations_total{channel=\"sms\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("reconnect_reply_seconds_bucket"));
  EXPECT_THAT(metrics.body, Not(HasSubstr("secret words")));
  EXPECT_THAT(metrics.body, Not(HasSubstr("end my life")));
}

TEST_F(GatewayEndToEnd, UnconfiguredPlatformIsNotServed) {
  gateway_->Shutdown();
  settings_ = adapters::Settings::FromMap({});
  StartGateway();
  EXPECT_EQ(Telegram(50, "i want to die").status, 404);
  EXPECT_EQ(Slack("Ev50", "hi").status, 404);
  EXPECT_EQ(Twilio("SM50", "hi").status, 404);
  EXPECT_TRUE(Escalations().empty());
  // The web chat needs no platform secret.
  EXPECT_EQ(Call("POST", "/v1/web/conversations", "").status, 201);
}

TEST_F(GatewayEndToEnd, RestartNeitherRepeatsNorSkipsDeliveries) {
  ASSERT_EQ(Telegram(60, "i want to kill myself").status, 200);
  auto escalation = Escalations().at(0);
  ASSERT_TRUE(WaitForCalls("/telegram/", 1));
  auto* desk = embedded_->guide()->handoff();
  ASSERT_TRUE(desk->SendToUser(escalation.id, "Sam", "first").ok());
  auto texts = [&] {
    std::vector<std::string> out;
    for (auto& call : Calls("/telegram/")) {
      out.push_back(json::parse(call.body)["text"]);
    }
    return out;
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  auto delivered = [&](const std::string& text) {
    auto all = texts();
    return std::count(all.begin(), all.end(), text);
  };
  while (absl::Now() < deadline && delivered("Sam: first") == 0) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  gateway_->Shutdown();
  // Written while no gateway is running.
  ASSERT_TRUE(desk->SendToUser(escalation.id, "Sam", "second").ok());
  StartGateway();
  const size_t before = Calls("/telegram/").size();
  ASSERT_TRUE(WaitForCalls("/telegram/", before + 1));
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(delivered("Sam: first"), 1);
  EXPECT_EQ(delivered("Sam: second"), 1);
}

// The real binary: `reconnect serve` starts the gateway beside the gRPC
// API, and `reconnect gateway --upstream` serves the same API from another
// process.
TEST(GatewayBinary, ServeAndStandaloneGatewayAnswer) {
  testing::TempDir dir;
  const int grpc_port = testing::FreePort();
  const int http_port = testing::FreePort();
  const std::string intents = std::string(RECONNECT_SOURCE_DIR) + "/intents";
  testing::Subprocess serve(
      {RECONNECT_BINARY, "serve", "--grpc-address",
       absl::StrCat("127.0.0.1:", grpc_port), "--http-address",
       absl::StrCat("127.0.0.1:", http_port), "--intents", intents,
       "--data-dir", dir.path() + "/serve"},
      {{"RECONNECT_TELEGRAM_SECRET_TOKEN", kTelegramSecret}},
      dir.path() + "/serve.log");
  auto http = bot::NewCurlHttpClient();
  auto get = [&](int port, const std::string& method, const std::string& path,
                 std::vector<std::pair<std::string, std::string>> headers = {},
                 const std::string& body = "") {
    bot::HttpRequest request;
    request.method = method;
    request.url = absl::StrCat("http://127.0.0.1:", port, path);
    request.headers = std::move(headers);
    request.body = body;
    request.timeout = absl::Seconds(2);
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    absl::StatusOr<bot::HttpResponse> response;
    do {
      response = http->Send(request);
      if (response.ok()) return *response;
      absl::SleepFor(absl::Milliseconds(100));
    } while (absl::Now() < deadline);
    ADD_FAILURE() << "no answer on port " << port;
    return bot::HttpResponse{};
  };
  ASSERT_EQ(get(http_port, "GET", "/healthz").status, 200) << serve.Log();
  // Configured from the environment: a forged Telegram call is refused, a
  // platform without a secret is not served.
  EXPECT_EQ(get(http_port, "POST", "/v1/telegram/webhook",
                {{"Content-Type", "application/json"},
                 {"X-Telegram-Bot-Api-Secret-Token", "forged"}},
                "{}")
                .status,
            403);
  EXPECT_EQ(get(http_port, "POST", "/v1/slack/events").status, 404);
  EXPECT_THAT(serve.Log(), HasSubstr("platforms: telegram"));
  EXPECT_THAT(serve.Log(), Not(HasSubstr(kTelegramSecret)));

  const int gateway_port = testing::FreePort();
  testing::Subprocess gateway(
      {RECONNECT_BINARY, "gateway", "--upstream",
       absl::StrCat("127.0.0.1:", grpc_port), "--http-address",
       absl::StrCat("127.0.0.1:", gateway_port), "--data-dir",
       dir.path() + "/gateway"},
      {}, dir.path() + "/gateway.log");
  ASSERT_EQ(get(gateway_port, "GET", "/healthz").status, 200);
  auto start = get(gateway_port, "POST", "/v1/web/conversations");
  ASSERT_EQ(start.status, 201) << gateway.Log();
  const std::string id = json::parse(start.body)["conversation_id"];
  auto reply = get(
      gateway_port, "POST", "/v1/web/conversations/" + id + "/messages",
      {{"Content-Type", "application/json"}}, R"({"text":"what is EMDR?"})");
  ASSERT_EQ(reply.status, 200) << gateway.Log();
  EXPECT_EQ(json::parse(reply.body)["intent"], "therapy.emdr");
  EXPECT_EQ(gateway.Stop(SIGTERM), 0);
  EXPECT_EQ(serve.Stop(SIGTERM), 0);
}

TEST(GatewayBinary, RefusesASecretsFileOthersCanRead) {
  testing::TempDir dir;
  const std::string secrets = dir.Write("secrets.env", "RECONNECT_X=1\n");
  chmod(secrets.c_str(), 0644);
  testing::Subprocess gateway({RECONNECT_BINARY, "gateway", "--upstream",
                               "127.0.0.1:1", "--http-address", "127.0.0.1:0",
                               "--secrets", secrets, "--data-dir", dir.path()},
                              {}, dir.path() + "/gateway.log");
  const int status = gateway.Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
  EXPECT_THAT(gateway.Log(), HasSubstr("chmod 600"));
}

}  // namespace
}  // namespace reconnect
