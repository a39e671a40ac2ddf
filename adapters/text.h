// Text helpers shared by the channels: UTF-8 decoding that never throws and
// always moves forward, ASCII whitespace, cutting text to a size without
// breaking a character, and splitting long text into parts that fit a
// platform's limit.
//
// Text reaching a channel is raw bytes that ought to be UTF-8 but may not
// be. Every function here takes any bytes: a byte that starts no
// well-formed UTF-8 sequence (as Unicode's table 3-7 defines them, so no
// overlong forms, surrogates or code points past U+10FFFF) is taken as a
// character of its own, worth one unit, and is never split from or joined
// to its neighbours. Nothing here validates or repairs text; the JSON and
// XML encoders do that when the text leaves.
//
// Platforms count length in different units (Telegram and Meta in UTF-16
// code units, SMS in GSM-7 septets or UCS-2 units), so the splitter takes
// the unit as a function of the code point.
#ifndef RECONNECT_ADAPTERS_TEXT_H_
#define RECONNECT_ADAPTERS_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"

namespace reconnect::adapters {

// Debian's Abseil has a string_view of its own, distinct from std's, so
// std::string_view arguments are converted explicitly for absl calls.
inline absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// Decodes the character at text[i], which must be in range, and sets
// *length to its size in bytes. Returns its code point, or -1 with *length
// 1 when no well-formed UTF-8 sequence starts there.
int32_t DecodeUtf8(std::string_view text, size_t i, size_t* length);

// Returns the size in bytes of the character at text[i] (in range): that of
// its well-formed UTF-8 sequence, or 1.
size_t Utf8SequenceLength(std::string_view text, size_t i);

// How many units one character costs against a platform's limit, given its
// code point, or -1 for a malformed byte.
using UnitCounter = size_t (*)(int32_t code_point);

// Counts in UTF-16 code units: two for a code point beyond the BMP (most
// emoji), one for anything else, a malformed byte included.
size_t Utf16Units(int32_t code_point);

// Returns the cost of the whole of `text` under `units`.
size_t CountUnits(std::string_view text, UnitCounter units);

// Returns the length of `text` in UTF-16 code units.
inline size_t Utf16Length(std::string_view text) {
  return CountUnits(text, Utf16Units);
}

// True for ASCII whitespace: space, \t, \n, \v, \f and \r.
bool IsSpace(char c);

// Returns `text` without leading and trailing ASCII whitespace.
std::string_view StripSpace(std::string_view text);

// Returns the longest start of `text` of at most `max_bytes` bytes that
// ends between two characters.
std::string TruncateUtf8(std::string_view text, size_t max_bytes);

// Returns the first `max_chars` characters (code points, or malformed
// bytes) of `text`.
std::string TruncateCodePoints(std::string_view text, size_t max_chars);

// Where SplitAtWhitespace ends a part that does not fit whole.
enum class BreakAt {
  // At the last whitespace that fits.
  kWhitespace,
  // At the last line break that fits, when the text before it fills at
  // least half of `max_units`, so that a line (a list item) is kept whole
  // without leaving most of a part empty; else as kWhitespace.
  kLineBreakInSecondHalf,
};

// Splits `text` into parts of at most `max_units` units as `units` counts
// them. A part that does not fit whole ends as `break_at` says, or, with no
// whitespace to end at, between two characters. Parts are stripped of
// surrounding whitespace and never empty; whitespace-only text yields none.
// A character costing more than `max_units` is a part of its own, so the
// split always moves forward.
std::vector<std::string> SplitAtWhitespace(
    std::string_view text, size_t max_units, UnitCounter units,
    BreakAt break_at = BreakAt::kWhitespace);

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_TEXT_H_
