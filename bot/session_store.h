// SessionStore: where the guide keeps each conversation's state.
//
// The dialogue layer loads a conversation's Session at the start of a turn and
// saves it at the end. Storage sits behind this interface so that several
// replicas can share state in an external store; the in-memory store below is
// the embedded default and the one tests use.
//
// A store may forget a session (idle timeout, eviction, restart); the guide
// then starts the conversation afresh, which is always safe.
#ifndef RECONNECT_BOT_SESSION_STORE_H_
#define RECONNECT_BOT_SESSION_STORE_H_

#include <cstddef>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bot/clock.h"
#include "bot/reply.h"

namespace reconnect::bot {

// The state of one conversation between turns.
struct Session {
  std::string last_topic;  // last content intent answered, for "tell me more".
  bool topic_continued = false;             // its `more` has been sent already.
  std::map<std::string, int> next_variant;  // per intent id: rotation cursor.
  // Quick replies offered in the last reply: label -> intent it leads to.
  std::vector<std::pair<std::string, std::string>> offered;
  // Answers to recent platform messages, oldest first, for de-duplication:
  // a retry repeats both the id and the text.
  struct Answered {
    std::string message_id;
    size_t text_hash = 0;
    Reply reply;
  };
  std::vector<Answered> answered;
  int turns = 0;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  // Returns the session of `conversation_id`, nullopt when there is none (new,
  // expired or evicted), or an error when the store cannot be reached.
  virtual absl::StatusOr<std::optional<Session>> Load(
      const std::string& conversation_id) = 0;
  // Stores `session` as the state of `conversation_id`.
  virtual absl::Status Save(const std::string& conversation_id,
                            const Session& session) = 0;
  // Forgets `conversation_id`. OK when there was nothing to forget.
  virtual absl::Status Erase(const std::string& conversation_id) = 0;
};

// Keeps sessions in this process's memory. A session idle for longer than
// idle_timeout is forgotten; beyond max_sessions the least recently used is
// evicted. Thread-safe.
class InMemorySessionStore : public SessionStore {
 public:
  struct Options {
    absl::Duration idle_timeout = absl::Minutes(30);
    size_t max_sessions = 10000;
  };
  // `clock` must outlive the store.
  InMemorySessionStore(const Options& options, Clock* clock);

  absl::StatusOr<std::optional<Session>> Load(
      const std::string& conversation_id) override;
  absl::Status Save(const std::string& conversation_id,
                    const Session& session) override;
  absl::Status Erase(const std::string& conversation_id) override;

  // Returns the number of live sessions, expired ones included until the
  // next access reclaims them.
  size_t size() const;

 private:
  struct Entry {
    Session session;
    absl::Time last_used;
    std::list<std::string>::iterator lru;  // position in lru_
  };
  void EraseLocked(std::unordered_map<std::string, Entry>::iterator it)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  Clock* const clock_;
  mutable absl::Mutex mu_;
  std::unordered_map<std::string, Entry> sessions_ ABSL_GUARDED_BY(mu_);
  std::list<std::string> lru_ ABSL_GUARDED_BY(mu_);  // most recent first
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_SESSION_STORE_H_
