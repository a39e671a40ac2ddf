#include "adapters/http_message.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace reconnect::adapters {
namespace {

// Debian's Abseil has its own string_view type, distinct from std's.
absl::string_view Absl(std::string_view s) { return {s.data(), s.size()}; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, Absl(name))) return value;
  }
  return {};
}

bool Request::HasHeader(std::string_view name) const {
  for (const auto& header : headers) {
    if (absl::EqualsIgnoreCase(header.first, Absl(name))) return true;
  }
  return false;
}

Response TextResponse(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  if (!response.body.empty() && response.body.back() != '\n') {
    response.body += '\n';
  }
  return response;
}

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out +=
          static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Fields ParseForm(std::string_view text) {
  Fields fields;
  if (text.empty()) return fields;
  for (absl::string_view piece : absl::StrSplit(Absl(text), '&')) {
    std::string_view pair(piece.data(), piece.size());
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      fields.emplace_back(PercentDecode(pair, true), "");
    } else {
      fields.emplace_back(PercentDecode(pair.substr(0, eq), true),
                          PercentDecode(pair.substr(eq + 1), true));
    }
  }
  return fields;
}

std::string EncodeForm(const Fields& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out += '&';
    out += PercentEncode(key);
    out += '=';
    out += PercentEncode(value);
  }
  return out;
}

std::string_view FormValue(const Fields& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return {};
}

bool HasContentType(const Request& request, std::string_view type) {
  std::string_view value = request.Header("Content-Type");
  value = value.substr(0, value.find(';'));
  return absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(Absl(value)),
                                Absl(type));
}

absl::StatusOr<LongPoll> ParseLongPoll(std::string_view query,
                                       absl::Duration max_wait) {
  const Fields fields = ParseForm(query);
  LongPoll poll;
  std::string_view text = FormValue(fields, "after");
  if (!text.empty() && !absl::SimpleAtoi(Absl(text), &poll.after)) {
    return absl::InvalidArgumentError("after must be a number.");
  }
  double seconds = 25;
  text = FormValue(fields, "wait");
  if (!text.empty() &&
      (!absl::SimpleAtod(Absl(text), &seconds) || !(seconds >= 0))) {
    return absl::InvalidArgumentError("wait must be a number of seconds.");
  }
  poll.wait = std::min(absl::Seconds(seconds), max_wait);
  return poll;
}

}  // namespace reconnect::adapters
