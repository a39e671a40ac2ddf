#include "bot/opening_hours.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace reconnect::bot {
namespace {

constexpr const char* kDays[] = {"mon", "tue", "wed", "thu",
                                 "fri", "sat", "sun"};
constexpr const char* kDayNames[] = {"Monday",   "Tuesday", "Wednesday",
                                     "Thursday", "Friday",  "Saturday",
                                     "Sunday"};

bool ParseClock(absl::string_view text, int* minutes) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  int h = 0, m = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &h) ||
      !absl::SimpleAtoi(parts[1], &m) || h < 0 || h > 24 || m < 0 || m > 59 ||
      (h == 24 && m != 0)) {
    return false;
  }
  *minutes = h * 60 + m;
  return true;
}

int Weekday(const absl::CivilDay& day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 0;
    case absl::Weekday::tuesday:
      return 1;
    case absl::Weekday::wednesday:
      return 2;
    case absl::Weekday::thursday:
      return 3;
    case absl::Weekday::friday:
      return 4;
    case absl::Weekday::saturday:
      return 5;
    case absl::Weekday::sunday:
      return 6;
  }
  return 0;
}

}  // namespace

absl::StatusOr<OpeningHours> OpeningHours::Parse(
    const std::string& time_zone,
    const std::map<std::string, std::string>& days) {
  OpeningHours hours;
  if (!absl::LoadTimeZone(time_zone, &hours.zone_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown time zone '", time_zone, "'"));
  }
  for (const auto& [key, value] : days) {
    int day = -1;
    for (int i = 0; i < 7; ++i) {
      if (key == kDays[i]) day = i;
    }
    if (day < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown day '", key, "' (use mon, tue, ... sun)"));
    }
    if (absl::StripAsciiWhitespace(value) == "closed") continue;
    for (absl::string_view range : absl::StrSplit(value, ',')) {
      std::vector<absl::string_view> ends =
          absl::StrSplit(absl::StripAsciiWhitespace(range), '-');
      int start = 0, end = 0;
      if (ends.size() != 2 || !ParseClock(ends[0], &start) ||
          !ParseClock(ends[1], &end) || end <= start) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bad opening hours '", value, "' for ", key,
            " (use HH:MM-HH:MM, several separated by commas, or closed)"));
      }
      hours.week_[day].emplace_back(start, end);
    }
  }
  return hours;
}

bool OpeningHours::IsOpen(absl::Time t) const {
  const absl::CivilSecond local = absl::ToCivilSecond(t, zone_);
  const int minute = local.hour() * 60 + local.minute();
  for (const Range& r : week_[Weekday(absl::CivilDay(local))]) {
    if (minute >= r.first && minute < r.second) return true;
  }
  return false;
}

absl::Time OpeningHours::NextOpening(absl::Time t) const {
  if (IsOpen(t)) return t;
  const absl::CivilSecond local = absl::ToCivilSecond(t, zone_);
  const int minute = local.hour() * 60 + local.minute();
  absl::CivilDay day(local);
  for (int offset = 0; offset <= 14; ++offset, ++day) {
    int best = -1;
    for (const Range& r : week_[Weekday(day)]) {
      if ((offset > 0 || r.first > minute) && (best < 0 || r.first < best)) {
        best = r.first;
      }
    }
    if (best >= 0) {
      return absl::FromCivil(absl::CivilMinute(day) + best, zone_);
    }
  }
  return absl::InfiniteFuture();
}

std::string OpeningHours::Describe(absl::Time t) const {
  if (t == absl::InfiniteFuture()) return "the clinic's next opening time";
  const absl::CivilMinute local = absl::ToCivilMinute(t, zone_);
  return absl::StrCat(kDayNames[Weekday(absl::CivilDay(local))], " at ",
                      absl::FormatCivilTime(local).substr(11, 5));
}

}  // namespace reconnect::bot
