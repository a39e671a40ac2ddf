#include "bot/normalizer.h"

#include <utf8proc.h>

#include <cstdlib>
#include <vector>

namespace reconnect::bot {
namespace {

constexpr utf8proc_int32_t kReplacement = 0xFFFD;

// Calls `fn(codepoint, invalid)` for each character of `raw`; a byte that
// does not start a valid UTF-8 sequence comes as kReplacement with `invalid`.
template <typename Fn>
void ForEachCodepoint(std::string_view raw, Fn fn) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(raw.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(raw.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    const bool invalid = n <= 0;
    if (invalid) {
      cp = kReplacement;
      n = 1;
    }
    fn(cp, invalid);
    p += n;
    left -= n;
  }
}

void AppendUtf8(utf8proc_int32_t cp, std::string* out) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  out->append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

bool IsSpace(utf8proc_int32_t cp) {
  if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
      cp == 0x85) {
    return true;
  }
  utf8proc_category_t c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
         c == UTF8PROC_CATEGORY_ZP;
}

utf8proc_int32_t UnifyQuote(utf8proc_int32_t cp) {
  switch (cp) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
    case 0x0060:
    case 0x00B4:
    case 0x02BC:
    case 0x02B9:
    case 0xFF07:
      return '\'';
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x2033:
    case 0x00AB:
    case 0x00BB:
      return '"';
    default:
      return cp;
  }
}

bool IsLetter(utf8proc_int32_t cp) {
  utf8proc_category_t c = utf8proc_category(cp);
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

}  // namespace

std::string DecodeUtf8Lossy(std::string_view raw, bool* replaced) {
  std::string out;
  out.reserve(raw.size());
  bool any = false;
  ForEachCodepoint(raw, [&](utf8proc_int32_t cp, bool invalid) {
    any |= invalid;
    AppendUtf8(cp, &out);
  });
  if (replaced != nullptr) *replaced = any;
  return out;
}

std::string Normalize(std::string_view raw) {
  std::string valid = DecodeUtf8Lossy(raw);

  // Steps 2 and 3 in one utf8proc pass. IGNORE drops default-ignorable code
  // points (zero-width joiners and the like) early so they cannot split a
  // letter run or a word.
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t mapped_len = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(valid.data()),
      static_cast<utf8proc_ssize_t>(valid.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                     UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE));
  std::string_view folded = valid;
  if (mapped_len >= 0) {
    folded = std::string_view(reinterpret_cast<const char*>(mapped),
                              static_cast<size_t>(mapped_len));
  }
  // If utf8proc refuses (it should not on valid UTF-8), the later steps still
  // run on the unfolded text so the message is never lost.

  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  utf8proc_int32_t last = -1;
  int run = 0;
  ForEachCodepoint(folded, [&](utf8proc_int32_t cp, bool) {
    if (IsSpace(cp)) {
      pending_space = !out.empty();
      last = -1;
      run = 0;
      return;
    }
    utf8proc_category_t c = utf8proc_category(cp);
    if (c == UTF8PROC_CATEGORY_CC || c == UTF8PROC_CATEGORY_CF) return;
    cp = UnifyQuote(cp);
    if (cp == last) {
      ++run;
      if (run >= 3 && IsLetter(cp)) return;
    } else {
      last = cp;
      run = 1;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    AppendUtf8(cp, &out);
  });
  std::free(mapped);
  return out;
}

bool LooksBinary(std::string_view raw) {
  if (raw.find('\0') != std::string_view::npos) return true;
  size_t total = 0;
  size_t bad = 0;
  ForEachCodepoint(raw, [&](utf8proc_int32_t cp, bool) {
    ++total;
    if (cp == kReplacement ||
        (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC && !IsSpace(cp))) {
      ++bad;
    }
  });
  return total > 0 && bad * 10 > total * 3;
}

}  // namespace reconnect::bot
