// Small helpers for propagating absl::Status, which the abseil version this
// project builds against (20220623) does not ship.
#ifndef RECONNECT_BOT_STATUS_MACROS_H_
#define RECONNECT_BOT_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the calling function when `expr` (an absl::Status) is not OK.
#define RECONNECT_RETURN_IF_ERROR(expr)                    \
  do {                                                     \
    const absl::Status reconnect_status_ = (expr);         \
    if (!reconnect_status_.ok()) return reconnect_status_; \
  } while (0)

#define RECONNECT_CONCAT_INNER_(a, b) a##b
#define RECONNECT_CONCAT_(a, b) RECONNECT_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status from
// the calling function, otherwise moves the value into `lhs`.
#define RECONNECT_ASSIGN_OR_RETURN(lhs, rexpr) \
  RECONNECT_ASSIGN_OR_RETURN_IMPL_(            \
      RECONNECT_CONCAT_(reconnect_statusor_, __LINE__), lhs, rexpr)
#define RECONNECT_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                     \
  if (!statusor.ok()) return statusor.status();                \
  lhs = std::move(statusor).value()

#endif  // RECONNECT_BOT_STATUS_MACROS_H_
