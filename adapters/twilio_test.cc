#include "adapters/twilio.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "adapters/fake_http_client.h"

namespace reconnect::adapters {
namespace {

using ::reconnect::testing::FakeHttpClient;
using ::reconnect::testing::HeaderOf;
using ::reconnect::testing::ImmediateApi;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kHeader[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
constexpr char kPreview[] = "You have a new message.\n\n";

// twilio-python's request validator tests (V2-V8 in adapters.md).
constexpr char kToken[] = "12345";
constexpr char kUri[] = "https://mycompany.com/myapp.php?foo=1&bar=2";

Fields SdkParams() {
  return {{"CallSid", "CA1234567890ABCDE"},
          {"Digits", "1234"},
          {"From", "+14158675309"},
          {"To", "+18005551212"},
          {"Caller", "+14158675309"}};
}

// The text of each <Message> of a TwiML body (which must hold no escapes).
std::vector<std::string> MessagesOf(const std::string& twiml) {
  std::vector<std::string> messages;
  size_t at = 0;
  while ((at = twiml.find("<Message>", at)) != std::string::npos) {
    at += 9;
    const size_t end = twiml.find("</Message>", at);
    messages.push_back(twiml.substr(at, end - at));
    at = end;
  }
  return messages;
}

// --- Signatures ---

TEST(TwilioSignatureTest, MatchesTheDocsExample) {
  // V2.
  EXPECT_EQ(TwilioSignature("12345", kUri,
                            {{"CallSid", "CA1234567890ABCDE"},
                             {"Caller", "+12349013030"},
                             {"Digits", "1234"},
                             {"From", "+12349013030"},
                             {"To", "+18005551212"}}),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

TEST(TwilioSignatureTest, MatchesTheSdkVectors) {
  // V3-V7; the params are deliberately unsorted.
  EXPECT_EQ(TwilioSignature(kToken, kUri, SdkParams()),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  EXPECT_EQ(
      TwilioSignature(kToken, "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                      SdkParams()),
      "kvajT1Ptam85bY51eRf/AJRuM3w=");
  EXPECT_EQ(
      TwilioSignature(kToken, "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
                      SdkParams()),
      "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=");
  EXPECT_EQ(
      TwilioSignature(kToken, "http://mycompany.com:80/myapp.php?foo=1&bar=2",
                      SdkParams()),
      "0ZXoZLH/DfblKGATFgpif+LLRf4=");
  EXPECT_EQ(TwilioSignature(kToken, kUri,
                            {{"Sid", "CA123"},
                             {"SidAccount", "AC123"},
                             {"Digits", "5678"},
                             {"Digits", "1234"}}),
            "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
}

TEST(VerifyTwilioSignatureTest, AcceptsTheSdkVectors) {
  EXPECT_TRUE(VerifyTwilioSignature(kToken, kUri, SdkParams(), "",
                                    "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  EXPECT_TRUE(VerifyTwilioSignature(kToken, kUri,
                                    {{"Sid", "CA123"},
                                     {"SidAccount", "AC123"},
                                     {"Digits", "5678"},
                                     {"Digits", "1234"}},
                                    "", "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
}

TEST(VerifyTwilioSignatureTest, TriesTheDefaultPortAddedAndRemoved) {
  const std::string https_443 =
      "https://mycompany.com:443/myapp.php?foo=1&bar=2";
  const std::string http = "http://mycompany.com/myapp.php?foo=1&bar=2";
  const std::string http_80 = "http://mycompany.com:80/myapp.php?foo=1&bar=2";
  const std::string http_1234 =
      "http://mycompany.com:1234/myapp.php?foo=1&bar=2";
  // V4: signed with :443, received without it, and the other way round.
  EXPECT_TRUE(VerifyTwilioSignature(kToken, kUri, SdkParams(), "",
                                    "kvajT1Ptam85bY51eRf/AJRuM3w="));
  EXPECT_TRUE(VerifyTwilioSignature(kToken, https_443, SdkParams(), "",
                                    "kvajT1Ptam85bY51eRf/AJRuM3w="));
  EXPECT_TRUE(VerifyTwilioSignature(kToken, https_443, SdkParams(), "",
                                    "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  // V5: a non-default port is only ever taken as given.
  EXPECT_TRUE(VerifyTwilioSignature(kToken, http_1234, SdkParams(), "",
                                    "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="));
  EXPECT_FALSE(VerifyTwilioSignature(kToken, http, SdkParams(), "",
                                     "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="));
  // V6: http's default port is 80, not 443.
  EXPECT_TRUE(VerifyTwilioSignature(kToken, http, SdkParams(), "",
                                    "0ZXoZLH/DfblKGATFgpif+LLRf4="));
  EXPECT_TRUE(VerifyTwilioSignature(kToken, http_80, SdkParams(), "",
                                    "0ZXoZLH/DfblKGATFgpif+LLRf4="));
  EXPECT_FALSE(VerifyTwilioSignature(kToken, http, SdkParams(), "",
                                     "kvajT1Ptam85bY51eRf/AJRuM3w="));
}

TEST(VerifyTwilioSignatureTest, ChecksAJsonBodyThroughBodySha256) {
  // V8.
  const std::string body = R"({"property": "value", "boolean": true})";
  const std::string url =
      std::string(kUri) +
      "&bodySHA256="
      "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
  EXPECT_EQ(TwilioSignature(kToken, url, {}), "a9nBmqA0ju/hNViExpshrM61xv4=");
  EXPECT_TRUE(VerifyTwilioSignature(kToken, url, {}, body,
                                    "a9nBmqA0ju/hNViExpshrM61xv4="));
  EXPECT_FALSE(VerifyTwilioSignature(
      kToken, url, {}, R"({"property": "value", "boolean": false})",
      "a9nBmqA0ju/hNViExpshrM61xv4="));
  // A body that nothing signs never verifies.
  EXPECT_FALSE(VerifyTwilioSignature(kToken, kUri, {}, body,
                                     TwilioSignature(kToken, kUri, {})));
}

TEST(VerifyTwilioSignatureTest, RefusesTamperingAndWrongKeys) {
  const std::string good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
  Fields tampered = SdkParams();
  tampered[1].second = "1235";
  EXPECT_FALSE(VerifyTwilioSignature(kToken, kUri, tampered, "", good));
  Fields added = SdkParams();
  added.emplace_back("Extra", "");
  EXPECT_FALSE(VerifyTwilioSignature(kToken, kUri, added, "", good));
  EXPECT_FALSE(VerifyTwilioSignature("12346", kUri, SdkParams(), "", good));
  EXPECT_FALSE(VerifyTwilioSignature(
      kToken, "https://mycompany.com/myapp.php?foo=1&bar=3", SdkParams(), "",
      good));
  EXPECT_FALSE(VerifyTwilioSignature(kToken, kUri, SdkParams(), "", ""));
  EXPECT_FALSE(VerifyTwilioSignature(kToken, kUri, SdkParams(), "",
                                     "rsoydt4t1cutdk1pdd93/vvr8b8="));
  EXPECT_FALSE(VerifyTwilioSignature("", kUri, SdkParams(), "",
                                     TwilioSignature("", kUri, SdkParams())));
}

// --- Receive ---

constexpr char kAuthToken[] = "s3cret-token";

Fields SmsParams() {
  return {{"ToCountry", "US"},         {"SmsMessageSid", "SM0001"},
          {"NumMedia", "0"},           {"MessageSid", "SM0001"},
          {"AccountSid", "AC123"},     {"From", "+14158675309"},
          {"To", "+18005551212"},      {"Body", "I need help"},
          {"ApiVersion", "2010-04-01"}};
}

Request SmsPost(const std::string& signed_url, const Fields& params) {
  Request request;
  request.method = "POST";
  request.target = request.path = "/webhooks/sms";
  request.headers = {
      {"Host", "clinic.example"},
      {"Content-Type", "application/x-www-form-urlencoded"},
      {"X-Twilio-Signature", TwilioSignature(kAuthToken, signed_url, params)}};
  request.body = EncodeForm(params);
  request.tls = true;
  return request;
}

class TwilioTest : public ::testing::Test {
 protected:
  TwilioTest() : api_(ImmediateApi(&http_)) {
    http_.otherwise = bot::HttpResponse{201, "{}"};  // Twilio's "created"
    config_.auth_token = kAuthToken;
    config_.account_sid = "AC123";
    config_.public_url = "https://clinic.example/";
    config_.api_base = "https://api.twilio.test";
  }

  TwilioSmsChannel MakeChannel() const {
    return TwilioSmsChannel(config_, &api_);
  }

  FakeHttpClient http_;
  PlatformApi api_;
  TwilioConfig config_;
};

TEST_F(TwilioTest, ReceivesASignedSms) {
  Received received = MakeChannel().Receive(
      SmsPost("https://clinic.example/webhooks/sms", SmsParams()),
      absl::UnixEpoch());
  EXPECT_EQ(received.response.status, 200);
  EXPECT_EQ(received.response.content_type, "text/xml");
  EXPECT_EQ(received.response.body, std::string(kHeader) + "<Response />");
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].conversation_id, "+18005551212:+14158675309");
  EXPECT_EQ(received.messages[0].message_id, "SM0001");
  EXPECT_EQ(received.messages[0].text, "I need help");
  EXPECT_TRUE(MakeChannel().ReplyInResponse());
  EXPECT_EQ(MakeChannel().name(), "sms");
}

TEST_F(TwilioTest, DecodesPlusAsSpaceBeforeChecking) {
  Request request = SmsPost("https://clinic.example/webhooks/sms", SmsParams());
  std::string& body = request.body;
  body.replace(body.find("I%20need%20help"), 15, "I+need+help");
  Received received = MakeChannel().Receive(request, absl::UnixEpoch());
  ASSERT_EQ(received.messages.size(), 1u);
  EXPECT_EQ(received.messages[0].text, "I need help");
}

TEST_F(TwilioTest, SignsThePublicUrlWithTheQuery) {
  Request request =
      SmsPost("https://clinic.example/webhooks/sms?clinic=north", SmsParams());
  request.target = "/webhooks/sms?clinic=north";
  request.query = "clinic=north";
  // The Host header is what a proxy made of it; the public URL wins.
  request.headers[0].second = "127.0.0.1:8080";
  EXPECT_EQ(MakeChannel().Receive(request, absl::UnixEpoch()).messages.size(),
            1u);
}

TEST_F(TwilioTest, WithoutPublicUrlSignsTheHostAndScheme) {
  config_.public_url = "";
  Request request =
      SmsPost("https://clinic.example:8443/webhooks/sms", SmsParams());
  request.headers[0].second = "clinic.example:8443";
  EXPECT_EQ(MakeChannel().Receive(request, absl::UnixEpoch()).messages.size(),
            1u);

  request.tls = false;  // so the URL rebuilt is http://, not what was signed
  Received refused = MakeChannel().Receive(request, absl::UnixEpoch());
  EXPECT_EQ(refused.response.status, 403);
  EXPECT_TRUE(refused.messages.empty());

  // Twilio signed the default port the Host header leaves out.
  Request with_port =
      SmsPost("https://clinic.example:443/webhooks/sms", SmsParams());
  EXPECT_EQ(MakeChannel().Receive(with_port, absl::UnixEpoch()).messages.size(),
            1u);

  Request no_host = with_port;
  no_host.headers.erase(no_host.headers.begin());
  EXPECT_EQ(MakeChannel().Receive(no_host, absl::UnixEpoch()).response.status,
            403);
}

TEST_F(TwilioTest, RefusesAMissingOrWrongSignatureWith403) {
  const std::string url = "https://clinic.example/webhooks/sms";
  Request missing = SmsPost(url, SmsParams());
  missing.headers.pop_back();
  Request tampered = SmsPost(url, SmsParams());
  tampered.body += "&Extra=1";
  Request changed = SmsPost(url, SmsParams());
  changed.body.replace(changed.body.find("I%20need"), 8, "I%20feel");
  Request wrong_token = SmsPost(url, SmsParams());
  wrong_token.headers.back().second =
      TwilioSignature("other-token", url, SmsParams());
  for (const Request& request : {missing, tampered, changed, wrong_token}) {
    Received received = MakeChannel().Receive(request, absl::UnixEpoch());
    EXPECT_EQ(received.response.status, 403);
    EXPECT_TRUE(received.messages.empty());
  }
  config_.auth_token = "";
  EXPECT_EQ(MakeChannel()
                .Receive(SmsPost(url, SmsParams()), absl::UnixEpoch())
                .response.status,
            403);
}

TEST_F(TwilioTest, RefusesAnotherAccount) {
  Fields params = SmsParams();
  params[4].second = "AC999";
  Received received = MakeChannel().Receive(
      SmsPost("https://clinic.example/webhooks/sms", params),
      absl::UnixEpoch());
  EXPECT_EQ(received.response.status, 403);
  EXPECT_TRUE(received.messages.empty());

  config_.account_sid = "";  // then any account the token signs for is taken
  EXPECT_EQ(MakeChannel()
                .Receive(SmsPost("https://clinic.example/webhooks/sms", params),
                         absl::UnixEpoch())
                .messages.size(),
            1u);
}

TEST_F(TwilioTest, OnlyPostIsAllowed) {
  Request request = SmsPost("https://clinic.example/webhooks/sms", SmsParams());
  request.method = "GET";
  EXPECT_EQ(MakeChannel().Receive(request, absl::UnixEpoch()).response.status,
            405);
}

TEST_F(TwilioTest, ASignedCallWithoutAnSmsCarriesNoMessage) {
  Fields no_sid = SmsParams();
  no_sid.erase(no_sid.begin() + 3);
  no_sid.erase(no_sid.begin() + 1);
  Fields no_body = SmsParams();
  no_body[7].second = " ";
  Fields long_from = SmsParams();
  long_from[5].second = std::string(130, '1');
  for (const Fields& params : {no_sid, no_body, long_from}) {
    Received received = MakeChannel().Receive(
        SmsPost("https://clinic.example/webhooks/sms", params),
        absl::UnixEpoch());
    EXPECT_EQ(received.response.status, 200);
    EXPECT_TRUE(received.messages.empty());
  }
}

// --- TwiML ---

TEST_F(TwilioTest, RendersNothingAsAnEmptyResponse) {
  // V9, empty.
  const std::string empty = std::string(kHeader) + "<Response />";
  EXPECT_EQ(MakeChannel().RenderResponse({}).body, empty);
  EXPECT_EQ(MakeChannel().RenderResponse({Outbound{}}).body, empty);
  EXPECT_EQ(MakeChannel().RenderResponse({}).content_type, "text/xml");
  EXPECT_EQ(MakeChannel().RenderResponse({}).status, 200);
}

TEST_F(TwilioTest, RendersAMessageExactly) {
  // V9, with no preview line configured.
  config_.preview_line = "";
  Outbound reply;
  reply.messages = {"Hello"};
  EXPECT_EQ(MakeChannel().RenderResponse({reply}).body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>"
            "Hello</Message></Response>");
}

TEST_F(TwilioTest, EscapesXml) {
  config_.preview_line = "";
  Outbound reply;
  reply.messages = {"Tom & \"Jerry\" <3 'x' >\x01 \xFF"};
  EXPECT_EQ(MakeChannel().RenderResponse({reply}).body,
            std::string(kHeader) +
                "<Response><Message>Tom &amp; &quot;Jerry&quot; &lt;3 "
                "&apos;x&apos; &gt; \xEF\xBF\xBD</Message></Response>");
}

TEST_F(TwilioTest, StartsEverySmsWithThePreviewLine) {
  Outbound reply;
  reply.messages = {"Hello"};
  EXPECT_EQ(MakeChannel().RenderResponse({reply}).body,
            std::string(kHeader) +
                "<Response><Message>You have a new message.\n\nHello"
                "</Message></Response>");
}

TEST_F(TwilioTest, ACrisisReplyNeverShowsItsWordsOnALockedScreen) {
  Outbound reply;
  reply.crisis = true;
  reply.messages = {
      "If you might act on thoughts of suicide, call or text 988 now, or "
      "call 911. You deserve support right now.",
      "I am here with you. Would you like to talk to someone at the clinic?"};
  reply.quick_replies = {"Talk to someone", "Call 988"};
  const std::vector<std::string> sms =
      MessagesOf(MakeChannel().RenderResponse({reply}).body);
  ASSERT_GE(sms.size(), 2u);
  std::string words;
  for (const std::string& part : sms) {
    EXPECT_THAT(part, StartsWith(kPreview));
    EXPECT_EQ(part.substr(0, part.find('\n')), "You have a new message.");
    EXPECT_LE(part.size(), 160u);
    words += part.substr(sizeof(kPreview) - 1) + " ";
  }
  EXPECT_THAT(words, HasSubstr("thoughts of suicide"));
  EXPECT_THAT(words, HasSubstr("1 - Talk to someone"));
}

TEST_F(TwilioTest, NumbersQuickRepliesOnePerLine) {
  config_.preview_line = "";
  Outbound reply;
  reply.messages = {"Pick one:"};
  reply.quick_replies = {"Talk to someone", " ", "Breathing"};
  EXPECT_THAT(MessagesOf(MakeChannel().RenderResponse({reply}).body),
              ElementsAre("Pick one:\n\n1 - Talk to someone\n2 - Breathing"));
}

TEST_F(TwilioTest, JoinsBubblesWithBlankLinesAndNamesTheAuthor) {
  config_.preview_line = "";
  Outbound first;
  first.messages = {"Sam here, from the clinic.", "How are you?"};
  first.author = "Sam";
  Outbound second;
  second.messages = {"Second reply"};
  EXPECT_THAT(MessagesOf(MakeChannel().RenderResponse({first, second}).body),
              ElementsAre("Sam: Sam here, from the clinic.\n\nHow are you?",
                          "Second reply"));
}

// --- SplitForSms ---

std::string Words(int count, const std::string& word) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    if (i > 0) text += " ";
    text += word;
  }
  return text;
}

TEST(SplitForSmsTest, FitsGsmTextInto160Characters) {
  EXPECT_THAT(SplitForSms(std::string(160, 'a')),
              ElementsAre(std::string(160, 'a')));
  // 30 words of 9 letters: 16 words are 159 characters.
  EXPECT_THAT(SplitForSms(Words(30, "abcdefghi")),
              ElementsAre(Words(16, "abcdefghi"), Words(14, "abcdefghi")));
  EXPECT_THAT(SplitForSms(std::string(200, 'a')),
              ElementsAre(std::string(160, 'a'), std::string(40, 'a')));
  // GSM has its own accented letters, at one septet each.
  EXPECT_EQ(SplitForSms(Words(32, "\xC3\xA9t\xC3\xA9\xC3\xA0")).size(), 1u);
}

TEST(SplitForSmsTest, FitsOtherTextInto70Characters) {
  // "żółw" is not GSM: 14 words are 69 characters.
  const std::string word = "\xC5\xBC\xC3\xB3\xC5\x82w";
  EXPECT_THAT(SplitForSms(Words(20, word)),
              ElementsAre(Words(14, word), Words(6, word)));
  // One curly apostrophe makes the whole text UCS-2.
  EXPECT_THAT(SplitForSms(std::string(100, 'a')),
              ElementsAre(std::string(100, 'a')));
  EXPECT_THAT(SplitForSms(std::string(100, 'a') + " \xE2\x80\x99"),
              ElementsAre(std::string(70, 'a'),
                          std::string(30, 'a') + " \xE2\x80\x99"));
  EXPECT_EQ(SplitForSms("`" + std::string(99, 'a')).size(), 2u);
}

TEST(SplitForSmsTest, CountsExtensionCharactersAsTwoSeptets) {
  EXPECT_EQ(SplitForSms(std::string(80, '{')).size(), 1u);
  EXPECT_THAT(SplitForSms(std::string(81, '{')),
              ElementsAre(std::string(80, '{'), "{"));
}

TEST(SplitForSmsTest, NeverSplitsAUtf8Sequence) {
  const std::string emoji = "\xF0\x9F\x98\x80";  // two UTF-16 units
  std::string thirty_five;
  for (int i = 0; i < 35; ++i) thirty_five += emoji;
  EXPECT_THAT(SplitForSms(thirty_five), ElementsAre(thirty_five));
  EXPECT_THAT(SplitForSms(thirty_five + emoji),
              ElementsAre(thirty_five, emoji));
  std::string ogonek;
  for (int i = 0; i < 71; ++i) ogonek += "\xC4\x85";
  EXPECT_THAT(SplitForSms(ogonek),
              ElementsAre(ogonek.substr(0, 140), "\xC4\x85"));
}

TEST(SplitForSmsTest, PrefersALineBreakInTheSecondHalf) {
  const std::string first = Words(9, "abcdefghi");    // 89 characters
  const std::string second = Words(10, "abcdefghi");  // 99 characters
  EXPECT_THAT(SplitForSms(first + "\n" + second), ElementsAre(first, second));
  // An early line break would waste most of an SMS.
  const std::vector<std::string> parts =
      SplitForSms("Hi\n" + Words(20, "abcdefghi"));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "Hi\n" + Words(15, "abcdefghi"));
}

TEST(SplitForSmsTest, BlankTextHasNoParts) {
  EXPECT_TRUE(SplitForSms("").empty());
  EXPECT_TRUE(SplitForSms(" \n\t ").empty());
}

TEST(SplitForSmsTest, KeepsEveryByteOfArbitraryInputInOrder) {
  std::mt19937 random(7);
  const std::vector<std::string> pieces = {
      "a",    "word",     " ",        "\n",
      "{",    "\xC3\xA9", "\xC5\xBC", "\xF0\x9F\x98\x80",
      "\xFF", "\xE2\x80", "`"};
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const int count = static_cast<int>(random() % 200);
    for (int i = 0; i < count; ++i) text += pieces[random() % pieces.size()];
    std::string kept;
    for (const std::string& part : SplitForSms(text)) {
      ASSERT_FALSE(part.empty());
      kept += part;
    }
    std::string expected = text;
    auto is_space = [](char c) { return c == ' ' || c == '\n'; };
    expected.erase(std::remove_if(expected.begin(), expected.end(), is_space),
                   expected.end());
    kept.erase(std::remove_if(kept.begin(), kept.end(), is_space), kept.end());
    ASSERT_EQ(kept, expected) << text;
  }
}

// --- Send ---

TEST_F(TwilioTest, SendsThroughTheRestApiWithBasicAuth) {
  Outbound reply;
  reply.messages = {"Hi"};
  ASSERT_TRUE(MakeChannel().Send("+18005551212:+14158675309", reply).ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  const bot::HttpRequest& request = http_.requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url,
            "https://api.twilio.test/2010-04-01/Accounts/AC123/Messages.json");
  // base64("AC123:s3cret-token")
  EXPECT_EQ(HeaderOf(request, "Authorization"),
            "Basic QUMxMjM6czNjcmV0LXRva2Vu");
  EXPECT_EQ(HeaderOf(request, "Content-Type"),
            "application/x-www-form-urlencoded");
  EXPECT_EQ(ParseForm(request.body),
            (Fields{{"To", "+14158675309"},
                    {"From", "+18005551212"},
                    {"Body", "You have a new message.\n\nHi"}}));
}

TEST_F(TwilioTest, SendsOneCallPerSms) {
  Outbound reply;
  reply.messages = {Words(30, "abcdefghi")};
  ASSERT_TRUE(MakeChannel().Send("+18005551212:+14158675309", reply).ok());
  ASSERT_EQ(http_.requests.size(), 3u);
  for (const bot::HttpRequest& request : http_.requests) {
    const std::string body(FormValue(ParseForm(request.body), "Body"));
    EXPECT_THAT(body, StartsWith(kPreview));
    EXPECT_LE(body.size(), 160u);
  }
}

TEST_F(TwilioTest, SendSplitsWhatsAppStyleAddresses) {
  Outbound reply;
  reply.messages = {"Hi"};
  ASSERT_TRUE(MakeChannel()
                  .Send("whatsapp:+18005551212:whatsapp:+14158675309", reply)
                  .ok());
  ASSERT_EQ(http_.requests.size(), 1u);
  const Fields form = ParseForm(http_.requests[0].body);
  EXPECT_EQ(FormValue(form, "To"), "whatsapp:+14158675309");
  EXPECT_EQ(FormValue(form, "From"), "whatsapp:+18005551212");
}

TEST_F(TwilioTest, SendReportsARefusalWithoutTheToken) {
  http_.answers = {bot::HttpResponse{
      400, R"({"code": 21211, "message": "Invalid 'To' Phone Number"})"}};
  Outbound reply;
  reply.messages = {Words(30, "abcdefghi")};
  absl::Status status = MakeChannel().Send("+18005551212:+14158675309", reply);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("HTTP 400"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("21211"));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kAuthToken)));
  EXPECT_EQ(http_.requests.size(), 1u);  // the rest is not sent
}

TEST_F(TwilioTest, SendNeedsAnAccountAndAValidAddress) {
  Outbound reply;
  reply.messages = {"Hi"};
  for (const char* id : {"", "+18005551212", ":+1", "+1:", "+1 2:+3"}) {
    EXPECT_EQ(MakeChannel().Send(id, reply).code(),
              absl::StatusCode::kInvalidArgument)
        << id;
  }
  config_.account_sid = "";
  EXPECT_EQ(MakeChannel().Send("+18005551212:+14158675309", reply).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(http_.requests.empty());
}

}  // namespace
}  // namespace reconnect::adapters
