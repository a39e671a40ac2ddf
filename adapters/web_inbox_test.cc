#include "adapters/web_inbox.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reconnect::adapters {
namespace {

class WebInboxTest : public ::testing::Test {
 protected:
  WebInbox::Deliver Record(std::vector<std::vector<WebEvent>>* calls) {
    return [calls](std::vector<WebEvent> events) {
      calls->push_back(std::move(events));
    };
  }
  WebEvent Event(int64_t seq, const std::string& text) {
    return WebEvent{seq, "operator", "Sam", text};
  }
  bot::ManualClock clock_;
  WebInbox::Options options_;
};

TEST_F(WebInboxTest, AnswersAtOnceWhenEventsAreWaiting) {
  WebInbox inbox(options_, &clock_);
  inbox.Add("c1", Event(5, "hello"));
  std::vector<std::vector<WebEvent>> calls;
  ASSERT_TRUE(
      inbox.Wait("c1", 0, clock_.Now() + absl::Seconds(10), Record(&calls)));
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_EQ(calls[0].size(), 1u);
  EXPECT_EQ(calls[0][0].text, "hello");
  // Nothing after 5: it waits.
  ASSERT_TRUE(
      inbox.Wait("c1", 5, clock_.Now() + absl::Seconds(10), Record(&calls)));
  EXPECT_EQ(calls.size(), 1u);
}

TEST_F(WebInboxTest, AnEventWakesOnlyItsConversationsWaiters) {
  WebInbox inbox(options_, &clock_);
  std::vector<std::vector<WebEvent>> mine, other;
  inbox.Wait("c1", 0, clock_.Now() + absl::Seconds(10), Record(&mine));
  inbox.Wait("c2", 0, clock_.Now() + absl::Seconds(10), Record(&other));
  inbox.Add("c1", Event(1, "for c1"));
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0][0].text, "for c1");
  EXPECT_TRUE(other.empty());
}

TEST_F(WebInboxTest, ReplayedEventsAreKeptOnce) {
  WebInbox inbox(options_, &clock_);
  inbox.Add("c1", Event(1, "a"));
  inbox.Add("c1", Event(1, "a"));
  std::vector<std::vector<WebEvent>> calls;
  inbox.Wait("c1", 0, clock_.Now(), Record(&calls));
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].size(), 1u);
}

TEST_F(WebInboxTest, DeadlinesAnswerEmptyAndOldEventsGo) {
  WebInbox inbox(options_, &clock_);
  std::vector<std::vector<WebEvent>> calls;
  inbox.Wait("c1", 0, clock_.Now() + absl::Seconds(25), Record(&calls));
  clock_.Advance(absl::Seconds(24));
  inbox.Expire();
  EXPECT_TRUE(calls.empty());
  clock_.Advance(absl::Seconds(1));
  inbox.Expire();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(calls[0].empty());

  inbox.Add("c1", Event(1, "old"));
  clock_.Advance(options_.keep + absl::Seconds(1));
  inbox.Expire();
  calls.clear();
  inbox.Wait("c1", 0, clock_.Now(), Record(&calls));
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(calls[0].empty());
}

TEST_F(WebInboxTest, BoundsEventsAndWaiters) {
  options_.max_events_per_conversation = 2;
  options_.max_waiters = 1;
  WebInbox inbox(options_, &clock_);
  for (int i = 1; i <= 3; ++i) inbox.Add("c1", Event(i, "e"));
  std::vector<std::vector<WebEvent>> calls;
  inbox.Wait("c1", 0, clock_.Now(), Record(&calls));
  ASSERT_EQ(calls[0].size(), 2u);
  EXPECT_EQ(calls[0][0].seq, 2);
  EXPECT_TRUE(
      inbox.Wait("c2", 0, clock_.Now() + absl::Seconds(5), Record(&calls)));
  EXPECT_FALSE(
      inbox.Wait("c3", 0, clock_.Now() + absl::Seconds(5), Record(&calls)));
}

TEST_F(WebInboxTest, CloseAnswersEveryWaiterAndRefusesNewOnes) {
  WebInbox inbox(options_, &clock_);
  std::vector<std::vector<WebEvent>> calls;
  inbox.Wait("c1", 0, clock_.Now() + absl::Seconds(5), Record(&calls));
  inbox.Close();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_FALSE(
      inbox.Wait("c1", 0, clock_.Now() + absl::Seconds(5), Record(&calls)));
}

}  // namespace
}  // namespace reconnect::adapters
