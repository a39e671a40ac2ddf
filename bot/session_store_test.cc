#include "bot/session_store.h"

#include "tests/testutil.h"

namespace reconnect::bot {
namespace {

Session WithTopic(const std::string& topic) {
  Session s;
  s.last_topic = topic;
  return s;
}

TEST(InMemorySessionStore, SavesAndLoads) {
  ManualClock clock;
  InMemorySessionStore store({}, &clock);
  ASSERT_OK(store.Save("a", WithTopic("therapy.emdr")));
  auto loaded = store.Load("a");
  ASSERT_OK(loaded.status());
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->last_topic, "therapy.emdr");
  EXPECT_FALSE(store.Load("b")->has_value());
}

TEST(InMemorySessionStore, ForgetsIdleSessions) {
  ManualClock clock;
  InMemorySessionStore::Options options;
  options.idle_timeout = absl::Minutes(30);
  InMemorySessionStore store(options, &clock);
  ASSERT_OK(store.Save("a", WithTopic("x")));
  clock.Advance(absl::Minutes(29));
  EXPECT_TRUE(store.Load("a")->has_value());
  ASSERT_OK(store.Save("a", WithTopic("x")));  // activity resets the timer
  clock.Advance(absl::Minutes(29));
  EXPECT_TRUE(store.Load("a")->has_value());
  clock.Advance(absl::Minutes(2));
  EXPECT_FALSE(store.Load("a")->has_value());
  EXPECT_EQ(store.size(), 0u);
}

TEST(InMemorySessionStore, EvictsLeastRecentlyUsedWhenFull) {
  ManualClock clock;
  InMemorySessionStore::Options options;
  options.max_sessions = 2;
  InMemorySessionStore store(options, &clock);
  ASSERT_OK(store.Save("a", WithTopic("1")));
  clock.Advance(absl::Seconds(1));
  ASSERT_OK(store.Save("b", WithTopic("2")));
  clock.Advance(absl::Seconds(1));
  ASSERT_OK(store.Save("a", WithTopic("3")));  // a is now the most recent
  ASSERT_OK(store.Save("c", WithTopic("4")));  // evicts b
  EXPECT_EQ(store.size(), 2u);
  EXPECT_TRUE(store.Load("a")->has_value());
  EXPECT_FALSE(store.Load("b")->has_value());
  EXPECT_TRUE(store.Load("c")->has_value());
}

TEST(InMemorySessionStore, ExpiredSessionsAreReclaimedBeforeEvictingLiveOnes) {
  ManualClock clock;
  InMemorySessionStore::Options options;
  options.max_sessions = 3;
  options.idle_timeout = absl::Minutes(10);
  InMemorySessionStore store(options, &clock);
  ASSERT_OK(store.Save("old", WithTopic("1")));
  clock.Advance(absl::Minutes(11));
  ASSERT_OK(store.Save("b", WithTopic("2")));
  ASSERT_OK(store.Save("c", WithTopic("3")));
  EXPECT_EQ(store.size(), 2u);  // "old" reclaimed on the way
}

TEST(InMemorySessionStore, EraseForgets) {
  ManualClock clock;
  InMemorySessionStore store({}, &clock);
  ASSERT_OK(store.Save("a", WithTopic("1")));
  ASSERT_OK(store.Erase("a"));
  ASSERT_OK(store.Erase("never"));
  EXPECT_FALSE(store.Load("a")->has_value());
}

}  // namespace
}  // namespace reconnect::bot
