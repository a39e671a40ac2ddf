#include "adapters/text.h"

namespace reconnect::adapters {
namespace {

// Whether text[i] exists and is a continuation byte within [low, high]: the
// narrower ranges after some lead bytes are what rule out overlong forms,
// surrogates and code points past U+10FFFF.
bool IsContinuation(std::string_view text, size_t i, unsigned char low = 0x80,
                    unsigned char high = 0xBF) {
  if (i >= text.size()) return false;
  const auto c = static_cast<unsigned char>(text[i]);
  return c >= low && c <= high;
}

}  // namespace

int32_t DecodeUtf8(std::string_view text, size_t i, size_t* length) {
  const auto c = static_cast<unsigned char>(text[i]);
  *length = 1;
  if (c < 0x80) return c;
  auto cont = [&](size_t k) {
    return static_cast<int32_t>(static_cast<unsigned char>(text[i + k]) & 0x3F);
  };
  if (c >= 0xC2 && c <= 0xDF && IsContinuation(text, i + 1)) {
    *length = 2;
    return ((c & 0x1F) << 6) | cont(1);
  }
  if (c >= 0xE0 && c <= 0xEF &&
      IsContinuation(text, i + 1, c == 0xE0 ? 0xA0 : 0x80,
                     c == 0xED ? 0x9F : 0xBF) &&
      IsContinuation(text, i + 2)) {
    *length = 3;
    return ((c & 0x0F) << 12) | (cont(1) << 6) | cont(2);
  }
  if (c >= 0xF0 && c <= 0xF4 &&
      IsContinuation(text, i + 1, c == 0xF0 ? 0x90 : 0x80,
                     c == 0xF4 ? 0x8F : 0xBF) &&
      IsContinuation(text, i + 2) && IsContinuation(text, i + 3)) {
    *length = 4;
    return ((c & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
  }
  return -1;
}

size_t Utf8SequenceLength(std::string_view text, size_t i) {
  size_t length = 0;
  DecodeUtf8(text, i, &length);
  return length;
}

size_t Utf16Units(int32_t code_point) { return code_point > 0xFFFF ? 2 : 1; }

size_t CountUnits(std::string_view text, UnitCounter units) {
  size_t total = 0;
  for (size_t i = 0; i < text.size();) {
    size_t length = 0;
    total += units(DecodeUtf8(text, i, &length));
    i += length;
  }
  return total;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
         c == '\v';
}

std::string_view StripSpace(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string TruncateUtf8(std::string_view text, size_t max_bytes) {
  size_t end = 0;
  while (end < text.size()) {
    const size_t next = end + Utf8SequenceLength(text, end);
    if (next > max_bytes) break;
    end = next;
  }
  return std::string(text.substr(0, end));
}

std::string TruncateCodePoints(std::string_view text, size_t max_chars) {
  size_t end = 0;
  for (size_t chars = 0; end < text.size() && chars < max_chars; ++chars) {
    end += Utf8SequenceLength(text, end);
  }
  return std::string(text.substr(0, end));
}

std::vector<std::string> SplitAtWhitespace(std::string_view text,
                                           size_t max_units, UnitCounter units,
                                           BreakAt break_at) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    while (start < text.size() && IsSpace(text[start])) ++start;
    if (start >= text.size()) break;
    // Take characters while they fit, remembering where the part could
    // end. The character that does not fit counts too: when it is
    // whitespace, the part ends right there.
    size_t used = 0;
    size_t i = start;
    size_t last_space = std::string_view::npos;
    size_t last_newline = std::string_view::npos;
    size_t used_at_newline = 0;
    bool fits = true;
    while (i < text.size()) {
      if (IsSpace(text[i])) {
        last_space = i;
        if (text[i] == '\n') {
          last_newline = i;
          used_at_newline = used;
        }
      }
      size_t length = 0;
      const size_t cost = units(DecodeUtf8(text, i, &length));
      if (used + cost > max_units) {
        fits = false;
        break;
      }
      used += cost;
      i += length;
    }
    size_t end = i;
    if (!fits) {
      if (break_at == BreakAt::kLineBreakInSecondHalf &&
          last_newline != std::string_view::npos &&
          2 * used_at_newline >= max_units) {
        end = last_newline;
      } else if (last_space != std::string_view::npos) {
        end = last_space;
      }
    }
    if (end == start) end = start + Utf8SequenceLength(text, start);
    const std::string_view part = StripSpace(text.substr(start, end - start));
    if (!part.empty()) parts.emplace_back(part);
    start = end;
  }
  return parts;
}

}  // namespace reconnect::adapters
