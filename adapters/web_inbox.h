// WebInbox: messages waiting for web chat users, and the long-polls waiting
// for them.
//
// The web chat has no push channel to its users: a browser asks for events
// after the last one it saw and waits (a long-poll). The delivery feed adds
// what a person at the clinic writes during a hand-off, and the guide's
// notices, as events; Wait() answers at once when there are newer events,
// else parks the caller until one arrives or its deadline passes.
//
// Held in memory only, bounded per conversation and by age: the durable copy
// is the core's, and a gateway that restarts replays from its saved cursor.
// Thread-safe.
#ifndef RECONNECT_ADAPTERS_WEB_INBOX_H_
#define RECONNECT_ADAPTERS_WEB_INBOX_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bot/clock.h"

namespace reconnect::adapters {

struct WebEvent {
  int64_t seq = 0;     // increasing; the client passes the last one back
  std::string sender;  // "operator" or "guide"
  std::string author;  // the person's chosen name; "" for the guide
  std::string text;
};

class WebInbox {
 public:
  struct Options {
    size_t max_events_per_conversation = 100;
    // Events older than this are dropped, and with them conversations that
    // have nothing left.
    absl::Duration keep = absl::Hours(2);
    size_t max_waiters = 10000;
  };
  using Deliver = std::function<void(std::vector<WebEvent> events)>;

  // `clock` must outlive the inbox.
  WebInbox(Options options, bot::Clock* clock);

  // Adds an event to a conversation and answers its waiters.
  void Add(const std::string& conversation_id, WebEvent event);

  // Calls `deliver` with the conversation's events after `after_seq`: at
  // once when there are any, else when one arrives or at `deadline` with
  // none. Returns false (and never calls `deliver`) when too many callers
  // are already waiting or the inbox is closed.
  bool Wait(const std::string& conversation_id, int64_t after_seq,
            absl::Time deadline, Deliver deliver);

  // Answers the waiters whose deadline has passed and drops old events.
  // Call it a few times a second.
  void Expire();

  // Answers every waiter with no events and refuses new ones.
  void Close();

 private:
  struct Waiter {
    int64_t after_seq;
    absl::Time deadline;
    Deliver deliver;
  };
  struct Conversation {
    std::deque<std::pair<absl::Time, WebEvent>> events;
    std::vector<Waiter> waiters;
  };
  static std::vector<WebEvent> After(const Conversation& c, int64_t seq);

  Options options_;
  bot::Clock* clock_;
  absl::Mutex mu_;
  std::map<std::string, Conversation> conversations_ ABSL_GUARDED_BY(mu_);
  size_t waiting_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_WEB_INBOX_H_
