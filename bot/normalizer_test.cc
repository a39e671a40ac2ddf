#include "bot/normalizer.h"

#include "tests/testutil.h"

namespace reconnect::bot {
namespace {

struct Case {
  const char* name;
  std::string in;
  std::string out;
};

TEST(Normalizer, AppliesEachDocumentedRule) {
  const Case cases[] = {
      {"case folding", "I Feel NUMB", "i feel numb"},
      {"full case folding", "STRASSE Straße", "strasse strasse"},
      {"NFKC ligature and full width",
       "\xEF\xAC\x81nd \xEF\xBD\x88\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x90",
       "find help"},
      {"accents removed", "caf\xC3\xA9 na\xC3\xAFve", "cafe naive"},
      {"combining marks removed", "e\xCC\x81motion", "emotion"},
      {"curly apostrophe", "I don\xE2\x80\x99t know", "i don't know"},
      {"left single quote", "\xE2\x80\x98okay\xE2\x80\x99", "'okay'"},
      {"modifier apostrophe", "can\xCA\xBCt", "can't"},
      {"curly double quotes", "\xE2\x80\x9Chi\xE2\x80\x9D", "\"hi\""},
      {"zero width space", "ki\xE2\x80\x8Bll", "kill"},
      {"zero width joiner in word", "su\xE2\x80\x8Dicide", "suicide"},
      {"bidi override dropped", "\xE2\x80\xAEhello", "hello"},
      {"control characters dropped", "he\x07llo", "hello"},
      {"whitespace collapsed", "  so \t\n tired  ", "so tired"},
      {"no-break space", "so\xC2\xA0tired", "so tired"},
      {"letters squeezed", "sooooo tiiired", "soo tiired"},
      {"two letters kept", "feel too", "feel too"},
      {"digits not squeezed", "1000", "1000"},
      {"emoji kept", "I'm dead \xF0\x9F\x92\x80", "i'm dead \xF0\x9F\x92\x80"},
      {"RTL text kept", "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D",
       "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"},
      {"empty", "", ""},
      {"only spaces", " \n\t ", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Normalize(c.in), c.out) << c.name;
  }
}

TEST(Normalizer, ReplacesInvalidUtf8AndKeepsTheRest) {
  bool replaced = false;
  std::string fixed = DecodeUtf8Lossy("I want\xFF to die", &replaced);
  EXPECT_TRUE(replaced);
  EXPECT_EQ(fixed, "I want\xEF\xBF\xBD to die");
  EXPECT_EQ(Normalize("I WANT\xC3 to die"), "i want\xEF\xBF\xBD to die");
  DecodeUtf8Lossy("fine", &replaced);
  EXPECT_FALSE(replaced);
}

TEST(Normalizer, TruncatedSequenceAtEndIsReplaced) {
  EXPECT_EQ(Normalize("help \xE2\x80"), "help \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Normalizer, LooksBinaryOnlyForNulOrMostlyGarbage) {
  EXPECT_TRUE(LooksBinary(std::string("ab\0cd", 5)));
  EXPECT_TRUE(LooksBinary("\xFF\xFE\x01\x02\x03garbage"));
  EXPECT_FALSE(LooksBinary("I feel numb \xFF"));
  EXPECT_FALSE(LooksBinary("line one\nline two\ttab"));
  EXPECT_FALSE(LooksBinary(""));
}

TEST(Normalizer, OutputIsAlwaysValidUtf8) {
  std::string junk;
  for (int i = 0; i < 256; ++i) junk.push_back(static_cast<char>(i));
  bool replaced = true;
  DecodeUtf8Lossy(Normalize(junk), &replaced);
  EXPECT_FALSE(replaced);
}

}  // namespace
}  // namespace reconnect::bot
