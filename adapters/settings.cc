#include "adapters/settings.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace reconnect::adapters {

absl::StatusOr<Settings> Settings::WithFile(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot read the secrets file"));
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        path, ": secrets file is readable by others; run chmod 600 ", path));
  }
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot read the secrets file"));
  }
  Settings settings;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text.front() == '#') continue;
    const size_t eq = text.find('=');
    if (eq == absl::string_view::npos || eq == 0) {
      // The line itself is not quoted: it may be a secret pasted wrongly.
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": expected NAME=value"));
    }
    std::string name(absl::StripAsciiWhitespace(text.substr(0, eq)));
    settings.file_values_[name] =
        std::string(absl::StripAsciiWhitespace(text.substr(eq + 1)));
  }
  return settings;
}

Settings Settings::FromMap(std::map<std::string, std::string> values) {
  Settings settings;
  settings.file_values_ = std::move(values);
  settings.use_environment_ = false;
  return settings;
}

std::string Settings::Get(const std::string& name,
                          const std::string& fallback) const {
  if (use_environment_) {
    if (const char* value = std::getenv(name.c_str()); value && *value) {
      return value;
    }
  }
  auto it = file_values_.find(name);
  if (it != file_values_.end() && !it->second.empty()) return it->second;
  return fallback;
}

}  // namespace reconnect::adapters
