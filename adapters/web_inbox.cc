#include "adapters/web_inbox.h"

#include <utility>

namespace reconnect::adapters {

WebInbox::WebInbox(Options options, bot::Clock* clock)
    : options_(options), clock_(clock) {}

std::vector<WebEvent> WebInbox::After(const Conversation& c, int64_t seq) {
  std::vector<WebEvent> out;
  for (const auto& [at, event] : c.events) {
    if (event.seq > seq) out.push_back(event);
  }
  return out;
}

void WebInbox::Add(const std::string& conversation_id, WebEvent event) {
  std::vector<std::pair<Deliver, std::vector<WebEvent>>> ready;
  {
    absl::MutexLock lock(&mu_);
    Conversation& c = conversations_[conversation_id];
    // The feed replays after a reconnect: keep each event once.
    for (const auto& kept : c.events) {
      if (kept.second.seq == event.seq) return;
    }
    c.events.emplace_back(clock_->Now(), std::move(event));
    while (c.events.size() > options_.max_events_per_conversation) {
      c.events.pop_front();
    }
    std::vector<Waiter> still;
    for (auto& waiter : c.waiters) {
      auto events = After(c, waiter.after_seq);
      if (events.empty()) {
        still.push_back(std::move(waiter));
      } else {
        ready.emplace_back(std::move(waiter.deliver), std::move(events));
        --waiting_;
      }
    }
    c.waiters = std::move(still);
  }
  // Outside the lock: delivering writes to a connection.
  for (auto& [deliver, events] : ready) deliver(std::move(events));
}

bool WebInbox::Wait(const std::string& conversation_id, int64_t after_seq,
                    absl::Time deadline, Deliver deliver) {
  std::vector<WebEvent> events;
  {
    absl::MutexLock lock(&mu_);
    if (closed_) return false;
    auto it = conversations_.find(conversation_id);
    if (it != conversations_.end()) events = After(it->second, after_seq);
    if (events.empty() && deadline > clock_->Now()) {
      if (waiting_ >= options_.max_waiters) return false;
      conversations_[conversation_id].waiters.push_back(
          Waiter{after_seq, deadline, std::move(deliver)});
      ++waiting_;
      return true;
    }
  }
  deliver(std::move(events));
  return true;
}

void WebInbox::Expire() {
  std::vector<Deliver> expired;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_->Now();
    for (auto it = conversations_.begin(); it != conversations_.end();) {
      Conversation& c = it->second;
      std::vector<Waiter> still;
      for (auto& waiter : c.waiters) {
        if (waiter.deadline <= now) {
          expired.push_back(std::move(waiter.deliver));
          --waiting_;
        } else {
          still.push_back(std::move(waiter));
        }
      }
      c.waiters = std::move(still);
      while (!c.events.empty() &&
             c.events.front().first + options_.keep < now) {
        c.events.pop_front();
      }
      if (c.events.empty() && c.waiters.empty()) {
        it = conversations_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& deliver : expired) deliver({});
}

void WebInbox::Close() {
  std::vector<Deliver> all;
  {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    for (auto& [id, c] : conversations_) {
      for (auto& waiter : c.waiters) all.push_back(std::move(waiter.deliver));
      c.waiters.clear();
    }
    waiting_ = 0;
  }
  for (auto& deliver : all) deliver({});
}

}  // namespace reconnect::adapters
