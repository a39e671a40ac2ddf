#include "bot/sqlite_escalation_store.h"

#include <openssl/rand.h>
#include <sqlite3.h>

#include <filesystem>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bot/status_macros.h"

namespace reconnect::bot {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS escalations (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  category TEXT NOT NULL,
  rule TEXT NOT NULL,
  region TEXT NOT NULL,
  trigger_text TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  acknowledged_at INTEGER,
  acknowledged_by TEXT NOT NULL DEFAULT '',
  change_seq INTEGER NOT NULL,
  webhook_state TEXT NOT NULL,
  webhook_attempts INTEGER NOT NULL DEFAULT 0,
  webhook_next_attempt INTEGER,
  webhook_last_error TEXT NOT NULL DEFAULT '',
  reminders INTEGER NOT NULL DEFAULT 0,
  last_notified_at INTEGER);
CREATE INDEX IF NOT EXISTS escalations_by_conversation
  ON escalations (conversation_id, state);
CREATE INDEX IF NOT EXISTS escalations_by_change ON escalations (change_seq);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  escalation_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  sender TEXT NOT NULL,
  author TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS messages_by_escalation ON messages (escalation_id);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO counters VALUES ('change_seq', 0);
)sql";

constexpr char kColumns[] =
    "id, conversation_id, channel, category, rule, region, trigger_text, "
    "state, created_at, updated_at, acknowledged_at, acknowledged_by, "
    "change_seq, webhook_state, webhook_attempts, webhook_next_attempt, "
    "webhook_last_error, reminders, last_notified_at";

absl::Status SqlError(sqlite3* db, const std::string& what) {
  return absl::UnavailableError(
      absl::StrCat("escalation store: ", what, ": ", sqlite3_errmsg(db)));
}

// One prepared statement, finalised on destruction.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      stmt_ = nullptr;
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  absl::Status error(const std::string& what) const {
    return SqlError(db_, what);
  }
  Statement& Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& BindTime(int i, absl::Time t) {
    if (t == absl::InfinitePast()) {
      sqlite3_bind_null(stmt_, i);
    } else {
      sqlite3_bind_int64(stmt_, i, absl::ToUnixMicros(t));
    }
    return *this;
  }
  // Returns SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  // Ends a statement read only up to its first row (RETURNING), so that the
  // transaction around it can commit.
  void Reset() { sqlite3_reset(stmt_); }
  std::string Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           sqlite3_column_bytes(stmt_, col))
             : std::string();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  absl::Time Time(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) {
      return absl::InfinitePast();
    }
    return absl::FromUnixMicros(sqlite3_column_int64(stmt_, col));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

absl::Status Exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return absl::UnavailableError(absl::StrCat("escalation store: ", text));
  }
  return absl::OkStatus();
}

std::string NewId() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    // RAND_bytes only fails without entropy; fall back to the address of a
    // stack variable mixed with the time so ids stay unique in practice.
    uint64_t fallback =
        absl::ToUnixNanos(absl::Now()) ^ reinterpret_cast<uintptr_t>(&bytes);
    memcpy(bytes, &fallback, sizeof(bytes));
  }
  return absl::StrCat(
      "esc_", absl::BytesToHexString(absl::string_view(
                  reinterpret_cast<const char*>(bytes), sizeof(bytes))));
}

WebhookState ParseWebhookState(const std::string& s) {
  if (s == "delivered") return WebhookState::kDelivered;
  if (s == "gave_up") return WebhookState::kGaveUp;
  if (s == "not_configured") return WebhookState::kNotConfigured;
  return WebhookState::kPending;
}

HandoffMessage::Sender ParseSender(const std::string& s) {
  if (s == "operator") return HandoffMessage::Sender::kOperator;
  if (s == "guide") return HandoffMessage::Sender::kGuide;
  return HandoffMessage::Sender::kUser;
}

Escalation ReadEscalation(const Statement& row) {
  Escalation e;
  e.id = row.Text(0);
  e.conversation_id = row.Text(1);
  e.channel = row.Text(2);
  e.category = row.Text(3);
  e.rule = row.Text(4);
  e.region = row.Text(5);
  e.trigger_text = row.Text(6);
  e.state = ParseState(row.Text(7)).value_or(EscalationState::kOpen);
  e.created_at = row.Time(8);
  e.updated_at = row.Time(9);
  e.acknowledged_at = row.Time(10);
  e.acknowledged_by = row.Text(11);
  e.change_seq = row.Int(12);
  e.webhook = ParseWebhookState(row.Text(13));
  e.webhook_attempts = static_cast<int>(row.Int(14));
  e.webhook_next_attempt = row.Time(15);
  e.webhook_last_error = row.Text(16);
  e.reminders = static_cast<int>(row.Int(17));
  e.last_notified_at = row.Time(18);
  return e;
}

HandoffMessage ReadMessage(const Statement& row) {
  HandoffMessage m;
  m.seq = row.Int(0);
  m.escalation_id = row.Text(1);
  m.conversation_id = row.Text(2);
  m.channel = row.Text(3);
  m.sender = ParseSender(row.Text(4));
  m.author = row.Text(5);
  m.text = row.Text(6);
  m.created_at = row.Time(7);
  return m;
}

constexpr char kMessageColumns[] =
    "seq, escalation_id, conversation_id, channel, sender, author, text, "
    "created_at";

}  // namespace

std::string StateName(EscalationState state) {
  switch (state) {
    case EscalationState::kOpen:
      return "open";
    case EscalationState::kAcknowledged:
      return "acknowledged";
    case EscalationState::kReleased:
      return "released";
    case EscalationState::kTimedOut:
      return "timed_out";
    case EscalationState::kResolved:
      return "resolved";
  }
  return "open";
}

std::optional<EscalationState> ParseState(const std::string& name) {
  for (EscalationState s :
       {EscalationState::kOpen, EscalationState::kAcknowledged,
        EscalationState::kReleased, EscalationState::kTimedOut,
        EscalationState::kResolved}) {
    if (StateName(s) == name) return s;
  }
  return std::nullopt;
}

bool CanMove(EscalationState from, EscalationState to) {
  if (from == EscalationState::kResolved) return false;
  if (IsHandedOff(from)) return to != EscalationState::kOpen;
  // Released or timed out: the conversation is back with the guide; a
  // person can still close the record.
  return to == EscalationState::kResolved;
}

bool IsHandedOff(EscalationState state) {
  return state == EscalationState::kOpen ||
         state == EscalationState::kAcknowledged;
}

std::string WebhookStateName(WebhookState state) {
  switch (state) {
    case WebhookState::kPending:
      return "pending";
    case WebhookState::kDelivered:
      return "delivered";
    case WebhookState::kGaveUp:
      return "gave_up";
    case WebhookState::kNotConfigured:
      return "not_configured";
  }
  return "pending";
}

std::string SenderName(HandoffMessage::Sender sender) {
  switch (sender) {
    case HandoffMessage::Sender::kUser:
      return "user";
    case HandoffMessage::Sender::kOperator:
      return "operator";
    case HandoffMessage::Sender::kGuide:
      return "guide";
  }
  return "user";
}

absl::StatusOr<std::unique_ptr<SqliteEscalationStore>>
SqliteEscalationStore::Open(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot create data folder ",
                                               data_dir, ": ", ec.message()));
  }
  // Escalations hold health information: keep the folder private.
  std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  const std::string path =
      (std::filesystem::path(data_dir) / "escalations.db").string();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(
          path.c_str(), &db,
          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
          nullptr) != SQLITE_OK) {
    absl::Status status = SqlError(db, "open " + path);
    sqlite3_close(db);
    return status;
  }
  std::unique_ptr<SqliteEscalationStore> store(new SqliteEscalationStore(db));
  sqlite3_busy_timeout(db, 5000);
  // WAL with synchronous=FULL: a committed escalation is on disk before the
  // reply that depends on it leaves the guide.
  {
    Statement wal(db, "PRAGMA journal_mode=WAL");
    if (!wal.ok() || wal.Step() != SQLITE_ROW || wal.Text(0) != "wal") {
      return absl::UnavailableError("escalation store: cannot switch " + path +
                                    " to WAL mode");
    }
  }
  RECONNECT_RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=FULL;"));
  RECONNECT_RETURN_IF_ERROR(Exec(db, kSchema));
  return store;
}

SqliteEscalationStore::~SqliteEscalationStore() {
  absl::MutexLock lock(&mu_);
  sqlite3_close(db_);
}

absl::StatusOr<int64_t> SqliteEscalationStore::NextChangeLocked() {
  Statement bump(db_,
                 "UPDATE counters SET value = value + 1 WHERE name = "
                 "'change_seq' RETURNING value");
  if (!bump.ok() || bump.Step() != SQLITE_ROW) return bump.error("next change");
  const int64_t value = bump.Int(0);
  bump.Reset();
  return value;
}

absl::StatusOr<Escalation> SqliteEscalationStore::Create(Escalation e) {
  absl::MutexLock lock(&mu_);
  RECONNECT_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
  auto rollback = [this](absl::Status s) {
    Exec(db_, "ROLLBACK").IgnoreError();
    return s;
  };
  absl::StatusOr<int64_t> seq = NextChangeLocked();
  if (!seq.ok()) return rollback(seq.status());
  e.id = NewId();
  e.change_seq = *seq;
  e.updated_at = e.created_at;
  Statement insert(db_, absl::StrCat("INSERT INTO escalations (", kColumns,
                                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                                     "?,?,?,?)"));
  if (!insert.ok()) return rollback(insert.error("prepare insert"));
  insert.Bind(1, e.id)
      .Bind(2, e.conversation_id)
      .Bind(3, e.channel)
      .Bind(4, e.category)
      .Bind(5, e.rule)
      .Bind(6, e.region)
      .Bind(7, e.trigger_text)
      .Bind(8, StateName(e.state))
      .BindTime(9, e.created_at)
      .BindTime(10, e.updated_at)
      .BindTime(11, e.acknowledged_at)
      .Bind(12, e.acknowledged_by)
      .Bind(13, e.change_seq)
      .Bind(14, WebhookStateName(e.webhook))
      .Bind(15, static_cast<int64_t>(e.webhook_attempts))
      .BindTime(16, e.webhook_next_attempt)
      .Bind(17, e.webhook_last_error)
      .Bind(18, static_cast<int64_t>(e.reminders))
      .BindTime(19, e.last_notified_at);
  if (insert.Step() != SQLITE_DONE) return rollback(insert.error("insert"));
  RECONNECT_RETURN_IF_ERROR(CommitLocked());
  return e;
}

absl::StatusOr<std::vector<Escalation>> SqliteEscalationStore::QueryLocked(
    const std::string& where, const std::vector<std::string>& args,
    const std::string& order_limit) {
  Statement query(db_, absl::StrCat("SELECT ", kColumns, " FROM escalations ",
                                    where, " ", order_limit));
  if (!query.ok()) return query.error("prepare query");
  for (size_t i = 0; i < args.size(); ++i) {
    query.Bind(static_cast<int>(i + 1), args[i]);
  }
  std::vector<Escalation> out;
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW)
    out.push_back(ReadEscalation(query));
  if (rc != SQLITE_DONE) return query.error("query");
  return out;
}

absl::StatusOr<Escalation> SqliteEscalationStore::Get(const std::string& id) {
  absl::MutexLock lock(&mu_);
  RECONNECT_ASSIGN_OR_RETURN(std::vector<Escalation> rows,
                             QueryLocked("WHERE id = ?", {id}, ""));
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("no escalation ", id));
  }
  return rows.front();
}

absl::StatusOr<std::optional<Escalation>> SqliteEscalationStore::ActiveFor(
    const std::string& conversation_id) {
  absl::MutexLock lock(&mu_);
  RECONNECT_ASSIGN_OR_RETURN(
      std::vector<Escalation> rows,
      QueryLocked("WHERE conversation_id = ? AND state IN ('open', "
                  "'acknowledged')",
                  {conversation_id},
                  "ORDER BY created_at DESC, rowid DESC LIMIT 1"));
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

absl::StatusOr<std::vector<Escalation>> SqliteEscalationStore::ChangedSince(
    int64_t after_seq, int limit) {
  absl::MutexLock lock(&mu_);
  return QueryLocked("WHERE change_seq > ?", {absl::StrCat(after_seq)},
                     absl::StrCat("ORDER BY change_seq ASC LIMIT ", limit));
}

absl::StatusOr<std::vector<Escalation>> SqliteEscalationStore::List(
    const std::vector<EscalationState>& states, int limit) {
  absl::MutexLock lock(&mu_);
  std::string where;
  std::vector<std::string> args;
  if (!states.empty()) {
    std::vector<std::string> marks;
    for (EscalationState s : states) {
      marks.push_back("?");
      args.push_back(StateName(s));
    }
    where = absl::StrCat("WHERE state IN (", absl::StrJoin(marks, ","), ")");
  }
  return QueryLocked(
      where, args,
      absl::StrCat("ORDER BY created_at DESC, rowid DESC LIMIT ", limit));
}

absl::StatusOr<Escalation> SqliteEscalationStore::SetState(
    const std::string& id, EscalationState state, const std::string& actor,
    absl::Time now, absl::Time unchanged_since) {
  absl::MutexLock lock(&mu_);
  // The read, the check and the write are one transaction, so a person and
  // the sweeper (or another process) cannot overwrite each other's change.
  RECONNECT_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
  auto rollback = [this](absl::Status s) {
    Exec(db_, "ROLLBACK").IgnoreError();
    return s;
  };
  absl::StatusOr<std::vector<Escalation>> rows =
      QueryLocked("WHERE id = ?", {id}, "");
  if (!rows.ok()) return rollback(rows.status());
  if (rows->empty()) {
    return rollback(absl::NotFoundError(absl::StrCat("no escalation ", id)));
  }
  Escalation e = rows->front();
  if (!CanMove(e.state, state)) {
    return rollback(absl::FailedPreconditionError(
        absl::StrCat("escalation ", id, " is ", StateName(e.state),
                     "; it cannot become ", StateName(state))));
  }
  if (unchanged_since != absl::InfinitePast() &&
      e.updated_at != unchanged_since) {
    return rollback(absl::AbortedError(
        absl::StrCat("escalation ", id, " changed meanwhile")));
  }
  absl::StatusOr<int64_t> seq = NextChangeLocked();
  if (!seq.ok()) return rollback(seq.status());
  e.state = state;
  e.updated_at = now;
  e.change_seq = *seq;
  if (state == EscalationState::kAcknowledged) {
    e.acknowledged_at = now;
    e.acknowledged_by = actor;
  }
  Statement update(db_,
                   "UPDATE escalations SET state = ?, updated_at = ?, "
                   "change_seq = ?, acknowledged_at = ?, acknowledged_by = ? "
                   "WHERE id = ?");
  update.Bind(1, StateName(e.state))
      .BindTime(2, e.updated_at)
      .Bind(3, e.change_seq)
      .BindTime(4, e.acknowledged_at)
      .Bind(5, e.acknowledged_by)
      .Bind(6, e.id);
  if (!update.ok() || update.Step() != SQLITE_DONE) {
    return rollback(update.error("update state"));
  }
  RECONNECT_RETURN_IF_ERROR(CommitLocked());
  return e;
}

absl::StatusOr<int64_t> SqliteEscalationStore::CurrentChange() {
  absl::MutexLock lock(&mu_);
  Statement read(db_, "SELECT value FROM counters WHERE name = 'change_seq'");
  if (!read.ok() || read.Step() != SQLITE_ROW) return read.error("read change");
  return read.Int(0);
}

absl::StatusOr<int64_t> SqliteEscalationStore::LastMessageSeq() {
  absl::MutexLock lock(&mu_);
  Statement read(db_, "SELECT COALESCE(MAX(seq), 0) FROM messages");
  if (!read.ok() || read.Step() != SQLITE_ROW) return read.error("last seq");
  return read.Int(0);
}

absl::Status SqliteEscalationStore::CommitLocked() {
  absl::Status status = Exec(db_, "COMMIT");
  // SQLite usually rolls back a failed COMMIT itself; if it did not, the
  // connection would stay inside the transaction and refuse every later
  // escalation.
  if (!status.ok() && !sqlite3_get_autocommit(db_)) {
    Exec(db_, "ROLLBACK").IgnoreError();
  }
  return status;
}

absl::Status SqliteEscalationStore::UpdateDelivery(const Escalation& e) {
  absl::MutexLock lock(&mu_);
  RECONNECT_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
  absl::StatusOr<int64_t> seq = NextChangeLocked();
  if (!seq.ok()) {
    Exec(db_, "ROLLBACK").IgnoreError();
    return seq.status();
  }
  Statement update(db_,
                   "UPDATE escalations SET webhook_state = ?, "
                   "webhook_attempts = ?, webhook_next_attempt = ?, "
                   "webhook_last_error = ?, reminders = ?, "
                   "last_notified_at = ?, change_seq = ? WHERE id = ?");
  update.Bind(1, WebhookStateName(e.webhook))
      .Bind(2, static_cast<int64_t>(e.webhook_attempts))
      .BindTime(3, e.webhook_next_attempt)
      .Bind(4, e.webhook_last_error)
      .Bind(5, static_cast<int64_t>(e.reminders))
      .BindTime(6, e.last_notified_at)
      .Bind(7, *seq)
      .Bind(8, e.id);
  if (!update.ok() || update.Step() != SQLITE_DONE) {
    absl::Status status = update.error("update delivery");
    Exec(db_, "ROLLBACK").IgnoreError();
    return status;
  }
  return CommitLocked();
}

absl::StatusOr<std::vector<Escalation>> SqliteEscalationStore::DueForWebhook(
    absl::Time now) {
  absl::MutexLock lock(&mu_);
  return QueryLocked(
      "WHERE webhook_state = 'pending' AND (webhook_next_attempt IS NULL OR "
      "webhook_next_attempt <= ?)",
      {absl::StrCat(absl::ToUnixMicros(now))}, "ORDER BY created_at ASC");
}

absl::StatusOr<HandoffMessage> SqliteEscalationStore::AddMessage(
    HandoffMessage m) {
  absl::MutexLock lock(&mu_);
  RECONNECT_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
  auto rollback = [this](absl::Status s) {
    Exec(db_, "ROLLBACK").IgnoreError();
    return s;
  };
  if (m.sender == HandoffMessage::Sender::kUser) {
    absl::StatusOr<std::vector<Escalation>> rows =
        QueryLocked("WHERE id = ?", {m.escalation_id}, "");
    if (!rows.ok()) return rollback(rows.status());
    if (rows->empty() || !IsHandedOff(rows->front().state)) {
      return rollback(absl::FailedPreconditionError(
          "the conversation is no longer with a person"));
    }
  }
  Statement insert(db_,
                   "INSERT INTO messages (escalation_id, conversation_id, "
                   "channel, sender, author, text, created_at) VALUES "
                   "(?,?,?,?,?,?,?) RETURNING seq");
  if (!insert.ok()) return rollback(insert.error("prepare message"));
  insert.Bind(1, m.escalation_id)
      .Bind(2, m.conversation_id)
      .Bind(3, m.channel)
      .Bind(4, SenderName(m.sender))
      .Bind(5, m.author)
      .Bind(6, m.text)
      .BindTime(7, m.created_at);
  if (insert.Step() != SQLITE_ROW)
    return rollback(insert.error("insert message"));
  m.seq = insert.Int(0);
  insert.Reset();
  // A new message is a change of its escalation, so watchers see it.
  absl::StatusOr<int64_t> seq = NextChangeLocked();
  if (!seq.ok()) return rollback(seq.status());
  Statement touch(db_, "UPDATE escalations SET change_seq = ? WHERE id = ?");
  touch.Bind(1, *seq).Bind(2, m.escalation_id);
  if (!touch.ok() || touch.Step() != SQLITE_DONE) {
    return rollback(touch.error("touch escalation"));
  }
  RECONNECT_RETURN_IF_ERROR(CommitLocked());
  return m;
}

absl::StatusOr<std::vector<HandoffMessage>> SqliteEscalationStore::Messages(
    const std::string& escalation_id) {
  absl::MutexLock lock(&mu_);
  Statement query(db_, absl::StrCat("SELECT ", kMessageColumns,
                                    " FROM messages WHERE escalation_id = ? "
                                    "ORDER BY seq ASC"));
  if (!query.ok()) return query.error("prepare messages");
  query.Bind(1, escalation_id);
  std::vector<HandoffMessage> out;
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW) out.push_back(ReadMessage(query));
  if (rc != SQLITE_DONE) return query.error("messages");
  return out;
}

absl::StatusOr<std::vector<HandoffMessage>>
SqliteEscalationStore::OutboundSince(int64_t after_seq,
                                     const std::string& channel, int limit) {
  absl::MutexLock lock(&mu_);
  Statement query(
      db_, absl::StrCat("SELECT ", kMessageColumns,
                        " FROM messages WHERE seq > ? AND sender != 'user' AND "
                        "(? = '' OR channel = ?) ORDER BY seq ASC LIMIT ",
                        limit));
  if (!query.ok()) return query.error("prepare outbound");
  query.Bind(1, after_seq).Bind(2, channel).Bind(3, channel);
  std::vector<HandoffMessage> out;
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW) out.push_back(ReadMessage(query));
  if (rc != SQLITE_DONE) return query.error("outbound");
  return out;
}

absl::StatusOr<int> SqliteEscalationStore::PurgeBefore(absl::Time cutoff) {
  absl::MutexLock lock(&mu_);
  RECONNECT_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
  const int64_t micros = absl::ToUnixMicros(cutoff);
  Statement messages(db_,
                     "DELETE FROM messages WHERE escalation_id IN (SELECT id "
                     "FROM escalations WHERE updated_at < ? AND state NOT IN "
                     "('open', 'acknowledged'))");
  messages.Bind(1, micros);
  Statement escalations(db_,
                        "DELETE FROM escalations WHERE updated_at < ? AND "
                        "state NOT IN ('open', 'acknowledged')");
  escalations.Bind(1, micros);
  if (!messages.ok() || messages.Step() != SQLITE_DONE || !escalations.ok() ||
      escalations.Step() != SQLITE_DONE) {
    absl::Status status = SqlError(db_, "purge");
    Exec(db_, "ROLLBACK").IgnoreError();
    return status;
  }
  const int deleted = sqlite3_changes(db_);
  RECONNECT_RETURN_IF_ERROR(CommitLocked());
  return deleted;
}

}  // namespace reconnect::bot
