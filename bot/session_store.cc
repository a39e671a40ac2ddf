#include "bot/session_store.h"

namespace reconnect::bot {

InMemorySessionStore::InMemorySessionStore(const Options& options, Clock* clock)
    : options_(options), clock_(clock) {}

absl::StatusOr<std::optional<Session>> InMemorySessionStore::Load(
    const std::string& conversation_id) {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(conversation_id);
  if (it == sessions_.end()) return std::nullopt;
  if (clock_->Now() - it->second.last_used > options_.idle_timeout) {
    EraseLocked(it);
    return std::nullopt;
  }
  return it->second.session;
}

absl::Status InMemorySessionStore::Save(const std::string& conversation_id,
                                        const Session& session) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  auto it = sessions_.find(conversation_id);
  if (it != sessions_.end()) {
    lru_.erase(it->second.lru);
  } else {
    // Reclaim expired sessions from the cold end first, then evict the least
    // recently used if still full.
    while (!lru_.empty()) {
      auto oldest = sessions_.find(lru_.back());
      bool expired = now - oldest->second.last_used > options_.idle_timeout;
      if (!expired && sessions_.size() < options_.max_sessions) break;
      EraseLocked(oldest);
    }
    it = sessions_.emplace(conversation_id, Entry{}).first;
  }
  lru_.push_front(conversation_id);
  it->second.session = session;
  it->second.last_used = now;
  it->second.lru = lru_.begin();
  return absl::OkStatus();
}

absl::Status InMemorySessionStore::Erase(const std::string& conversation_id) {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(conversation_id);
  if (it != sessions_.end()) EraseLocked(it);
  return absl::OkStatus();
}

size_t InMemorySessionStore::size() const {
  absl::MutexLock lock(&mu_);
  return sessions_.size();
}

void InMemorySessionStore::EraseLocked(
    std::unordered_map<std::string, Entry>::iterator it) {
  lru_.erase(it->second.lru);
  sessions_.erase(it);
}

}  // namespace reconnect::bot
