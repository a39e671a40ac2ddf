// SqliteEscalationStore: the embedded, durable EscalationStore.
//
// One SQLite file (escalations.db) in the data folder, in WAL mode with
// synchronous=FULL, so a write that has returned survives a crash or a
// SIGKILL of the process. All access goes through one connection guarded by a
// mutex: escalations are rare, and correctness matters more than throughput.
#ifndef RECONNECT_BOT_SQLITE_ESCALATION_STORE_H_
#define RECONNECT_BOT_SQLITE_ESCALATION_STORE_H_

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "bot/escalation_store.h"

struct sqlite3;

namespace reconnect::bot {

class SqliteEscalationStore : public EscalationStore {
 public:
  // Opens (creating when missing) the store in folder `data_dir`, which is
  // created too. Fails when the folder or file cannot be written.
  static absl::StatusOr<std::unique_ptr<SqliteEscalationStore>> Open(
      const std::string& data_dir);
  ~SqliteEscalationStore() override;

  absl::StatusOr<Escalation> Create(Escalation escalation) override;
  absl::StatusOr<Escalation> Get(const std::string& id) override;
  absl::StatusOr<std::optional<Escalation>> ActiveFor(
      const std::string& conversation_id) override;
  absl::StatusOr<std::vector<Escalation>> ChangedSince(int64_t after_seq,
                                                       int limit) override;
  absl::StatusOr<std::vector<Escalation>> List(
      const std::vector<EscalationState>& states, int limit) override;
  absl::StatusOr<Escalation> SetState(
      const std::string& id, EscalationState state, const std::string& actor,
      absl::Time now,
      absl::Time unchanged_since = absl::InfinitePast()) override;
  absl::StatusOr<int64_t> CurrentChange() override;
  absl::StatusOr<int64_t> LastMessageSeq() override;
  absl::Status UpdateDelivery(const Escalation& escalation) override;
  absl::StatusOr<std::vector<Escalation>> DueForWebhook(
      absl::Time now) override;
  absl::StatusOr<HandoffMessage> AddMessage(HandoffMessage message) override;
  absl::StatusOr<std::vector<HandoffMessage>> Messages(
      const std::string& escalation_id) override;
  absl::StatusOr<std::vector<HandoffMessage>> OutboundSince(
      int64_t after_seq, const std::string& channel, int limit) override;
  absl::StatusOr<int> PurgeBefore(absl::Time cutoff) override;

 private:
  explicit SqliteEscalationStore(sqlite3* db) : db_(db) {}
  absl::StatusOr<int64_t> NextChangeLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CommitLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::vector<Escalation>> QueryLocked(
      const std::string& where, const std::vector<std::string>& args,
      const std::string& order_limit) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_SQLITE_ESCALATION_STORE_H_
