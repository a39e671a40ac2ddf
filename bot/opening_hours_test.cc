#include "bot/opening_hours.h"

#include "tests/testutil.h"

namespace reconnect::bot {
namespace {

absl::Time At(const char* zone, int y, int m, int d, int hh, int mm) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(zone, &tz));
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), tz);
}

TEST(OpeningHours, OpenInsideRangesInTheClinicsZone) {
  auto hours = OpeningHours::Parse(
      "America/New_York",
      {{"mon", "09:00-12:00, 13:00-17:00"}, {"sat", "closed"}});
  ASSERT_OK(hours.status());
  // 2026-11-23 is a Monday.
  EXPECT_TRUE(hours->IsOpen(At("America/New_York", 2026, 11, 23, 9, 0)));
  EXPECT_FALSE(hours->IsOpen(At("America/New_York", 2026, 11, 23, 12, 30)));
  EXPECT_TRUE(hours->IsOpen(At("America/New_York", 2026, 11, 23, 16, 59)));
  EXPECT_FALSE(hours->IsOpen(At("America/New_York", 2026, 11, 23, 17, 0)));
  // 10:00 in London is 05:00 in New York: closed.
  EXPECT_FALSE(hours->IsOpen(At("Europe/London", 2026, 11, 23, 10, 0)));
}

TEST(OpeningHours, NextOpeningSkipsClosedDays) {
  auto hours = OpeningHours::Parse(
      "UTC", {{"mon", "09:00-17:00"}, {"fri", "09:00-17:00"}});
  ASSERT_OK(hours.status());
  // Friday 2026-11-27 18:00 -> Monday 2026-11-30 09:00.
  absl::Time next = hours->NextOpening(At("UTC", 2026, 11, 27, 18, 0));
  EXPECT_EQ(next, At("UTC", 2026, 11, 30, 9, 0));
  EXPECT_EQ(hours->Describe(next), "Monday at 09:00");
  // Early on an open day -> later the same day.
  EXPECT_EQ(hours->NextOpening(At("UTC", 2026, 11, 30, 7, 30)),
            At("UTC", 2026, 11, 30, 9, 0));
  // Already open -> now.
  absl::Time open = At("UTC", 2026, 11, 30, 10, 0);
  EXPECT_EQ(hours->NextOpening(open), open);
}

TEST(OpeningHours, NeverOpenHasNoNextOpening) {
  OpeningHours never;
  EXPECT_FALSE(never.IsOpen(absl::Now()));
  EXPECT_EQ(never.NextOpening(absl::Now()), absl::InfiniteFuture());
}

TEST(OpeningHours, RejectsBadInput) {
  EXPECT_FALSE(OpeningHours::Parse("Mars/Olympus", {}).ok());
  EXPECT_FALSE(OpeningHours::Parse("UTC", {{"funday", "09:00-17:00"}}).ok());
  EXPECT_FALSE(OpeningHours::Parse("UTC", {{"mon", "17:00-09:00"}}).ok());
  EXPECT_FALSE(OpeningHours::Parse("UTC", {{"mon", "9am-5pm"}}).ok());
}

}  // namespace
}  // namespace reconnect::bot
