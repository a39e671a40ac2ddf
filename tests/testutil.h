// Helpers shared by the tests: status matchers (this abseil has none) and a
// small content fixture built in code, so engine tests do not depend on the
// real intents/ folder.
#ifndef RECONNECT_TESTS_TESTUTIL_H_
#define RECONNECT_TESTS_TESTUTIL_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bot/content.h"

namespace reconnect::testing {

MATCHER(IsOk, "is OK") { return arg.ok(); }

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::reconnect::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::reconnect::testing::IsOk())

inline bot::Intent MakeIntent(const std::string& id,
                              std::vector<std::string> patterns,
                              std::vector<bot::ReplyVariant> replies = {},
                              bool escalate = false) {
  bot::Intent intent;
  intent.id = id;
  intent.title = id;
  intent.source = "test";
  intent.escalate = escalate;
  for (auto& p : patterns) intent.patterns.push_back({p, 1.0, {"test", 1}});
  intent.replies = replies.empty()
                       ? std::vector<bot::ReplyVariant>{{"reply of " + id}}
                       : std::move(replies);
  intent.where = {"test.yaml", 1};
  return intent;
}

// A small, complete content set: one crisis intent, a handoff, a few topics,
// chat.more and fallback, US and default resources.
inline bot::Content FixtureContent() {
  bot::Content c;
  c.clinic.name = "Test Clinic";
  c.clinic.booking_url = "https://clinic.test/book";
  c.clinic.phone = "555 0100";
  c.clinic.hours = "9 to 5";
  c.clinic.default_region = "US";
  c.regions[""] = {
      "",
      "your local emergency number",
      "a local line",
      {{"Find a helpline", "https://findahelpline.com", "web", ""}}};
  c.regions["US"] = {"US", "911", "988", {{"Emergency", "911", "call", ""}}};
  c.regions["UK"] = {
      "UK", "999", "116 123", {{"Emergency", "999", "call", ""}}};
  c.system.clarify_prompt = "Which one?";
  c.system.something_else_label = "Something else";
  c.system.talk_to_person_label = "Talk to a person";
  c.system.empty = {{"Empty message."}};
  c.system.too_long = {{"Too long, please split it."}};
  c.system.error = {"Something went wrong. Call {emergency_number}."};
  c.system.notified_open = "Told the team; reply {response_time}.";
  c.system.notified_closed = "Told the team; closed until {next_open}.";
  c.system.not_notified = "Could not tell the team.";
  c.system.holding = {{"Holding: a person will reply."}};
  c.system.released = "Back to the guide.";
  c.system.timed_out = "Nobody answered; back to the guide.";
  c.clinic.response_time = "within an hour";
  c.clinic.opening_hours =
      *bot::OpeningHours::Parse("UTC", {{"mon", "09:00-17:00"},
                                        {"tue", "09:00-17:00"},
                                        {"wed", "09:00-17:00"},
                                        {"thu", "09:00-17:00"},
                                        {"fri", "09:00-17:00"}});

  bot::Intent suicide = MakeIntent(
      "crisis.suicide", {"\\bkill myself\\b", "\\bsuicidal\\b", "\\bkms\\b"},
      {{"Crisis reply. Call {crisis_line} or {emergency_number}."}}, true);
  suicide.priority = 50;
  suicide.excludes.push_back({"\\bnot suicidal\\b", 1.0, {"test", 2}});
  c.intents.push_back(suicide);
  bot::Intent handoff = MakeIntent("handoff.human", {"\\breal person\\b"},
                                   {{"Handing you to a person."}}, true);
  c.intents.push_back(handoff);

  bot::Intent emdr = MakeIntent("therapy.emdr", {"\\bemdr\\b"},
                                {{"EMDR one."}, {"EMDR two."}});
  emdr.more = {"More about EMDR."};
  emdr.suggestions = {{"How long?", "faq.how_long", {}},
                      {"Talk to a person", "handoff.human", {}}};
  c.intents.push_back(emdr);
  bot::Intent how_long =
      MakeIntent("faq.how_long", {"\\bhow long\\b"}, {{"It varies."}});
  how_long.more = {"Months, often."};
  c.intents.push_back(how_long);
  c.intents.push_back(MakeIntent("topic.trust", {"\\btrust\\b"}));
  c.intents.push_back(MakeIntent("topic.vulnerability", {"\\bopen up\\b"}));
  c.intents.push_back(MakeIntent("clinic.book", {"\\bbook\\b"},
                                 {{"Book at {booking_url} or call {phone}."}}));
  c.intents.push_back(
      MakeIntent("chat.more", {"\\btell me more\\b"},
                 {{"What would you like to know more about?"}}));
  bot::Intent fallback = MakeIntent("fallback", {}, {{"I can help with ..."}});
  c.intents.push_back(fallback);
  return c;
}

// A folder under the test's temporary directory, removed at destruction.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("reconnect-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter_++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream((path_ / name).string()) << text;
    return (path_ / name).string();
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

}  // namespace reconnect::testing

#endif  // RECONNECT_TESTS_TESTUTIL_H_
