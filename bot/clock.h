// Clock: where the guide reads the time.
//
// Core logic never reads the wall clock directly; it asks a Clock, so tests
// can move time by hand (idle timeouts, eviction) without sleeping.
// Implementations must be safe for concurrent use.
#ifndef RECONNECT_BOT_CLOCK_H_
#define RECONNECT_BOT_CLOCK_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace reconnect::bot {

class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current time.
  virtual absl::Time Now() const = 0;
  // Returns the process-wide clock backed by the system's real time. Never
  // null; not owned by the caller.
  static Clock* Real();
};

// A clock that only moves when told to. Starts at the Unix epoch.
class ManualClock : public Clock {
 public:
  ManualClock() = default;
  absl::Time Now() const override;
  void Advance(absl::Duration d);
  void Set(absl::Time t);

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_) = absl::UnixEpoch();
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_CLOCK_H_
