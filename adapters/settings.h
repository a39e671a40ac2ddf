// Settings: where the gateway reads its secrets and platform settings.
//
// Each value is looked up by its environment variable name
// (RECONNECT_TELEGRAM_SECRET_TOKEN, ...). The environment wins; a value not
// set there may come from a secrets file of NAME=value lines, which must not
// be readable by group or others (mode 0600 or stricter): a file that is, is
// refused, so a secret is never silently exposed. Values are never logged.
#ifndef RECONNECT_ADAPTERS_SETTINGS_H_
#define RECONNECT_ADAPTERS_SETTINGS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace reconnect::adapters {

class Settings {
 public:
  // Settings from the environment only.
  Settings() = default;

  // Settings from the environment, then `path`. Fails when the file cannot
  // be read, is readable by group or others, or has a line that is neither
  // blank, a '#' comment nor NAME=value.
  static absl::StatusOr<Settings> WithFile(const std::string& path);

  // For tests: exactly these values, the environment ignored.
  static Settings FromMap(std::map<std::string, std::string> values);

  // Returns the value of `name`, or `fallback` when it is unset or empty.
  std::string Get(const std::string& name,
                  const std::string& fallback = "") const;

 private:
  std::map<std::string, std::string> file_values_;
  bool use_environment_ = true;
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_SETTINGS_H_
