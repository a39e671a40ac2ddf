#include "adapters/http_message.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reconnect::adapters {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(Request, HeadersAreCaseInsensitive) {
  Request request;
  request.headers = {{"X-Slack-Signature", "v0=abc"}, {"x-empty", ""}};
  EXPECT_EQ(request.Header("x-slack-signature"), "v0=abc");
  EXPECT_TRUE(request.HasHeader("X-EMPTY"));
  EXPECT_EQ(request.Header("x-empty"), "");
  EXPECT_FALSE(request.HasHeader("x-missing"));
}

TEST(Form, ParsesRepeatedKeysInOrderAndDecodes) {
  EXPECT_THAT(ParseForm("Digits=5678&Sid=CA%2B1&Digits=1234&Body=hi+there&e"),
              ElementsAre(Pair("Digits", "5678"), Pair("Sid", "CA+1"),
                          Pair("Digits", "1234"), Pair("Body", "hi there"),
                          Pair("e", "")));
  EXPECT_TRUE(ParseForm("").empty());
}

TEST(Form, KeepsMalformedEscapesLiterally) {
  EXPECT_EQ(PercentDecode("100%", true), "100%");
  EXPECT_EQ(PercentDecode("%zz%4", true), "%zz%4");
  EXPECT_EQ(PercentDecode("a+b%20c", false), "a+b c");
}

TEST(Form, EncodesWhatItParses) {
  Fields fields = {{"To", "+1 555"}, {"Body", "ça & co=1"}};
  EXPECT_EQ(EncodeForm(fields), "To=%2B1%20555&Body=%C3%A7a%20%26%20co%3D1");
  EXPECT_EQ(ParseForm(EncodeForm(fields)), fields);
  EXPECT_EQ(FormValue(fields, "Body"), "ça & co=1");
  EXPECT_EQ(FormValue(fields, "missing"), "");
}

TEST(ContentType, IgnoresParametersAndCase) {
  Request request;
  request.headers = {{"content-type", "Application/JSON; charset=utf-8"}};
  EXPECT_TRUE(HasContentType(request, "application/json"));
  EXPECT_FALSE(HasContentType(request, "text/plain"));
}

TEST(TextResponse, EndsWithANewline) {
  Response response = TextResponse(403, "forbidden");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.body, "forbidden\n");
}

TEST(LongPoll, DefaultsCapsAndRefuses) {
  auto poll = ParseLongPoll("", absl::Seconds(30));
  ASSERT_TRUE(poll.ok());
  EXPECT_EQ(poll->after, 0);
  EXPECT_EQ(poll->wait, absl::Seconds(25));
  poll = ParseLongPoll("after=42&wait=90", absl::Seconds(30));
  EXPECT_EQ(poll->after, 42);
  EXPECT_EQ(poll->wait, absl::Seconds(30));
  EXPECT_EQ(ParseLongPoll("wait=0.5", absl::Seconds(30))->wait,
            absl::Milliseconds(500));
  EXPECT_FALSE(ParseLongPoll("after=x", absl::Seconds(30)).ok());
  EXPECT_FALSE(ParseLongPoll("wait=-1", absl::Seconds(30)).ok());
  EXPECT_FALSE(ParseLongPoll("wait=nan", absl::Seconds(30)).ok());
}

}  // namespace
}  // namespace reconnect::adapters
