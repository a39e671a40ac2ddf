#include "adapters/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_join.h"

namespace reconnect::adapters {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// --- Decoding ----------------------------------------------------------------

TEST(DecodeUtf8, DecodesEachWellFormedLength) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x92\x99";  // aé€💙
  size_t length = 0;
  EXPECT_EQ(DecodeUtf8(text, 0, &length), 'a');
  EXPECT_EQ(length, 1u);
  EXPECT_EQ(DecodeUtf8(text, 1, &length), 0xE9);
  EXPECT_EQ(length, 2u);
  EXPECT_EQ(DecodeUtf8(text, 3, &length), 0x20AC);
  EXPECT_EQ(length, 3u);
  EXPECT_EQ(DecodeUtf8(text, 6, &length), 0x1F499);
  EXPECT_EQ(length, 4u);
}

TEST(DecodeUtf8, IllFormedSequencesAreOneMalformedByte) {
  for (const std::string text : {
           "\x80",              // a lone continuation byte
           "\xC3",              // cut short
           "\xC0\x80",          // overlong
           "\xE0\x80\x80",      // overlong
           "\xED\xA0\x80",      // a surrogate
           "\xF4\x90\x80\x80",  // past U+10FFFF
           "\xF5\x80\x80\x80",  // no such lead byte
           "\xFF",
       }) {
    size_t length = 0;
    EXPECT_EQ(DecodeUtf8(text, 0, &length), -1) << text;
    EXPECT_EQ(length, 1u) << text;
    EXPECT_EQ(Utf8SequenceLength(text, 0), 1u) << text;
  }
}

TEST(Utf16Length, CountsCharactersOutsideTheBmpTwice) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("\xC3\xA9\xE2\x82\xAC"), 2u);
  EXPECT_EQ(Utf16Length("\xF0\x9F\x92\x99"), 2u);
  EXPECT_EQ(Utf16Length("\xF0\x9F\x92"), 3u);  // three malformed bytes
}

// --- Whitespace and truncation -----------------------------------------------

TEST(StripSpace, StripsAsciiWhitespaceOnly) {
  EXPECT_EQ(StripSpace(" \t\n\v\f\rhi there\r\n "), "hi there");
  EXPECT_EQ(StripSpace(" \n "), "");
  // A no-break space is not ASCII whitespace.
  EXPECT_EQ(StripSpace("\xC2\xA0hi"), "\xC2\xA0hi");
}

TEST(TruncateUtf8, KeepsWholeCharactersWithinTheBytes) {
  EXPECT_EQ(TruncateUtf8("hello", 10), "hello");
  EXPECT_EQ(TruncateUtf8("hello", 3), "hel");
  EXPECT_EQ(TruncateUtf8("a\xC3\xA9", 2), "a");
  EXPECT_EQ(TruncateUtf8("a\xC3\xA9", 3), "a\xC3\xA9");
  EXPECT_EQ(TruncateUtf8("\xF0\x9F\x92\x99", 3), "");
  EXPECT_EQ(TruncateUtf8("\xC3\xFF", 1), "\xC3");  // malformed bytes alone
}

TEST(TruncateCodePoints, KeepsTheFirstCharacters) {
  EXPECT_EQ(TruncateCodePoints("hello", 10), "hello");
  EXPECT_EQ(TruncateCodePoints("h\xC3\xA9llo", 2), "h\xC3\xA9");
  EXPECT_EQ(TruncateCodePoints("\xF0\x9F\x92\x99\xF0\x9F\x92\x99", 1),
            "\xF0\x9F\x92\x99");
  EXPECT_EQ(TruncateCodePoints("\xFF\xFEx", 2), "\xFF\xFE");
  EXPECT_EQ(TruncateCodePoints("abc", 0), "");
}

// --- SplitAtWhitespace, in UTF-16 units as Telegram and Meta count -----------

TEST(SplitAtWhitespace, ShortTextIsOnePart) {
  EXPECT_EQ(SplitAtWhitespace("  hello there \n", 4096, Utf16Units),
            std::vector<std::string>{"hello there"});
  EXPECT_THAT(SplitAtWhitespace(" \n\t ", 4096, Utf16Units), IsEmpty());
  EXPECT_THAT(SplitAtWhitespace("", 4096, Utf16Units), IsEmpty());
}

TEST(SplitAtWhitespace, SplitsAtTheLastWhitespaceThatFits) {
  EXPECT_EQ(SplitAtWhitespace("aaa bbb ccc", 7, Utf16Units),
            (std::vector<std::string>{"aaa bbb", "ccc"}));
  EXPECT_EQ(SplitAtWhitespace("aaa bbb\nccc", 8, Utf16Units),
            (std::vector<std::string>{"aaa bbb", "ccc"}));
  EXPECT_EQ(SplitAtWhitespace("aaaaaaaaaa bb", 4, Utf16Units),
            (std::vector<std::string>{"aaaa", "aaaa", "aa", "bb"}));
}

TEST(SplitAtWhitespace, NeverSplitsAUtf8Sequence) {
  std::string accented;
  for (int i = 0; i < 5000; ++i) accented += "\xC3\xA9";  // é
  const std::vector<std::string> parts =
      SplitAtWhitespace(accented, 4096, Utf16Units);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].size(), 2u * 4096);
  EXPECT_EQ(parts[1].size(), 2u * 904);
}

TEST(SplitAtWhitespace, CountsCharactersOutsideTheBmpTwice) {
  std::string emoji;
  for (int i = 0; i < 3000; ++i) emoji += "\xF0\x9F\x92\x99";  // blue heart
  const std::vector<std::string> parts =
      SplitAtWhitespace(emoji, 4096, Utf16Units);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].size(), 4u * 2048);
  EXPECT_EQ(parts[1].size(), 4u * 952);
}

TEST(SplitAtWhitespace, MalformedBytesStillMakeProgress) {
  const std::string text = "\xF0\x9F\xFF\x80\x80\xC3";
  const std::vector<std::string> parts = SplitAtWhitespace(text, 1, Utf16Units);
  EXPECT_EQ(absl::StrJoin(parts, ""), text);
  EXPECT_EQ(SplitAtWhitespace("\xF0\x9F\x92\x99", 1, Utf16Units),
            std::vector<std::string>{"\xF0\x9F\x92\x99"});
}

TEST(SplitAtWhitespace, UsesTheGivenUnit) {
  const UnitCounter bytes = [](int32_t code_point) -> size_t {
    return code_point < 0x80 ? 1 : code_point < 0x800 ? 2 : 3;
  };
  EXPECT_THAT(SplitAtWhitespace("\xC3\xA9\xC3\xA9 \xC3\xA9", 4, bytes),
              ElementsAre("\xC3\xA9\xC3\xA9", "\xC3\xA9"));
}

TEST(SplitAtWhitespace, CanPreferALineBreakInTheSecondHalf) {
  // The line break falls after 6 of 10 units: the part ends there.
  EXPECT_THAT(SplitAtWhitespace("aaa bb\ncc dd", 10, Utf16Units,
                                BreakAt::kLineBreakInSecondHalf),
              ElementsAre("aaa bb", "cc dd"));
  EXPECT_THAT(SplitAtWhitespace("aaa bb\ncc dd", 10, Utf16Units),
              ElementsAre("aaa bb\ncc", "dd"));
  // Before the half, it would leave most of the part empty.
  EXPECT_THAT(SplitAtWhitespace("aa\nbb cc dd", 10, Utf16Units,
                                BreakAt::kLineBreakInSecondHalf),
              ElementsAre("aa\nbb cc", "dd"));
  // Text that fits is never cut at a line break.
  EXPECT_THAT(SplitAtWhitespace("aaa bb\ncc", 10, Utf16Units,
                                BreakAt::kLineBreakInSecondHalf),
              ElementsAre("aaa bb\ncc"));
}

}  // namespace
}  // namespace reconnect::adapters
