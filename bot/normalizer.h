// Normaliser: the first stage every message goes through.
//
// The guide matches rules against a canonical form of what a person typed, so
// that rule authors write one lower-case pattern and it matches however the
// text was entered: on a phone with curly apostrophes, with accents, with
// "soooo" for emphasis, or pasted with invisible characters.
//
// Normalize() applies these rules, in this order:
//   1. Bytes that are not valid UTF-8 become U+FFFD (the replacement
//      character), one per bad byte. Nothing is dropped silently.
//   2. Unicode NFKC (compatibility composition: "ﬁ" -> "fi", full-width
//      "ｈｅｌｐ" -> "help") and full case folding ("Straße" -> "strasse").
//   3. Accents and other combining marks are removed ("café" -> "cafe").
//   4. Curly and look-alike single quotes and apostrophes (’ ‘ ‚ ‛ ′ ` ´ ʼ)
//      become ', and curly and look-alike double quotes (“ ” „ ‟ ″ « ») become
//      ".
//   5. Zero-width, bidirectional and other format characters (Unicode Cf)
//      and control characters (Cc) are removed, except white space.
//   6. Every run of white space (including line breaks and no-break spaces)
//      becomes one ASCII space; leading and trailing space is removed.
//   7. A letter repeated three or more times in a row is squeezed to two
//      ("soooo" -> "soo", "helllp" -> "hellp"). Digits and symbols are kept.
// Emoji, right-to-left scripts and other letters pass through unchanged
// (apart from the rules above). The output is always valid UTF-8.
//
// It never fails and never throws; all functions are thread-safe.
#ifndef RECONNECT_BOT_NORMALIZER_H_
#define RECONNECT_BOT_NORMALIZER_H_

#include <string>
#include <string_view>

namespace reconnect::bot {

// Returns `raw` with every byte that is not part of a valid UTF-8 sequence
// replaced by U+FFFD. Sets *replaced (when not null) to whether any was.
std::string DecodeUtf8Lossy(std::string_view raw, bool* replaced = nullptr);

// Returns the canonical form of `raw` described above.
std::string Normalize(std::string_view raw);

// Returns true when `raw` looks like binary data rather than something a
// person typed: it holds a NUL byte, or more than 30% of its characters are
// invalid bytes or control characters. Such input is still screened for
// crisis by the guide before it is refused.
bool LooksBinary(std::string_view raw);

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_NORMALIZER_H_
