// OpeningHours: when people at the clinic can answer, so the guide can say
// honestly when someone will read a hand-off.
//
// Hours are given per weekday in the clinic's own time zone, as "HH:MM-HH:MM"
// (or "closed"); a day may have several ranges separated by commas.
//
// Example:
//   auto hours = OpeningHours::Parse("America/New_York",
//                                    {{"mon", "09:00-17:00"}});
//   hours->IsOpen(now);        // true on Mondays 9 to 5 in New York
//   hours->NextOpening(now);   // the next Monday 09:00 when closed
#ifndef RECONNECT_BOT_OPENING_HOURS_H_
#define RECONNECT_BOT_OPENING_HOURS_H_

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace reconnect::bot {

class OpeningHours {
 public:
  // A schedule with no opening at all.
  OpeningHours() = default;

  // Parses `days` (keys mon..sun; missing days are closed) in `time_zone`
  // (an IANA name such as "Europe/London"). Returns InvalidArgument naming
  // the bad day, range or zone.
  static absl::StatusOr<OpeningHours> Parse(
      const std::string& time_zone,
      const std::map<std::string, std::string>& days);

  // Returns true when `t` falls in an opening range.
  bool IsOpen(absl::Time t) const;

  // Returns `t` when open; otherwise the start of the next opening range
  // within two weeks, or absl::InfiniteFuture() when there is none.
  absl::Time NextOpening(absl::Time t) const;

  // Returns `t` as people at the clinic would say it: "Monday at 09:00".
  std::string Describe(absl::Time t) const;

 private:
  using Range = std::pair<int, int>;  // minutes since midnight, [start, end)
  absl::TimeZone zone_ = absl::UTCTimeZone();
  std::array<std::vector<Range>, 7> week_;  // 0 = Monday
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_OPENING_HOURS_H_
