// Example check: every example message in the content must resolve to the
// intent it is listed under, through the whole guide (screen, match,
// dialogue), as the first message of a new conversation. A rule change that
// steals or loses an example is caught here, by `reconnect lint` and by the
// tests.
#ifndef RECONNECT_BOT_EXAMPLE_CHECK_H_
#define RECONNECT_BOT_EXAMPLE_CHECK_H_

#include <string>
#include <vector>

#include "bot/guide.h"

namespace reconnect::bot {

// Returns one problem per example that does not resolve cleanly to its own
// intent, as "file:line: example '...' of <id> resolves to <other>". An
// escalating intent's example must escalate with that category; any other
// example must match its intent without a "Did you mean" question. Returns
// an empty list when all examples resolve.
std::vector<std::string> CheckExamples(Guide& guide);

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_EXAMPLE_CHECK_H_
