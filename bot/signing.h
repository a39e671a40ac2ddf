// Signing: HMAC-SHA256 and constant-time comparison, for signing webhooks the
// guide sends and verifying those it receives.
#ifndef RECONNECT_BOT_SIGNING_H_
#define RECONNECT_BOT_SIGNING_H_

#include <string>
#include <string_view>

namespace reconnect::bot {

// Returns the HMAC-SHA256 of `data` under `key`, as 64 lower-case hex digits.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// Returns true when `a` and `b` are equal, taking the same time whatever
// their contents (the length may leak; it is never secret here).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_SIGNING_H_
