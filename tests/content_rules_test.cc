// The content guide's rules that a machine can check (intents/README.md,
// "The voice"): short messages, plain reading level, no clinical claims,
// variants, sources and suggestions on every intent.
#include <regex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bot/content_loader.h"
#include "tests/testutil.h"

namespace reconnect {
namespace {

constexpr int kMaxWordsPerMessage = 80;
constexpr double kMaxReadingGrade = 8.0;

const bot::Content& RealContent() {
  static const bot::Content* content = [] {
    auto loaded =
        bot::LoadContent(std::string(RECONNECT_SOURCE_DIR) + "/intents");
    return new bot::Content(loaded.ok() ? std::move(*loaded) : bot::Content{});
  }();
  return *content;
}

// Every message an intent can send: all variants and its continuation.
std::vector<std::string> Messages(const bot::Intent& intent) {
  std::vector<std::string> all;
  for (const auto& variant : intent.replies) {
    all.insert(all.end(), variant.begin(), variant.end());
  }
  all.insert(all.end(), intent.more.begin(), intent.more.end());
  return all;
}

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  for (absl::string_view w : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    std::string word;
    for (char c : w) {
      if (absl::ascii_isalpha(static_cast<unsigned char>(c))) {
        word += absl::ascii_tolower(static_cast<unsigned char>(c));
      }
    }
    if (!word.empty()) words.push_back(word);
  }
  return words;
}

// Vowel groups, less a silent final "e": the usual estimate behind
// Flesch-Kincaid, good enough to keep replies in plain words.
int Syllables(const std::string& word) {
  int count = 0;
  bool in_vowel = false;
  for (char c : word) {
    bool vowel = std::string("aeiouy").find(c) != std::string::npos;
    if (vowel && !in_vowel) ++count;
    in_vowel = vowel;
  }
  if (word.size() > 2 && word.back() == 'e' && word[word.size() - 2] != 'l' &&
      count > 1) {
    --count;
  }
  return std::max(count, 1);
}

// Flesch-Kincaid grade level of a text.
double ReadingGrade(const std::string& text) {
  std::vector<std::string> words = Words(text);
  // A sentence ends at . ! ? ; or : before a space, or at a line break
  // (each item of a bulleted list reads as one sentence).
  int sentences = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool end_mark =
        std::string(".!?;:").find(text[i]) != std::string::npos;
    const bool at_break =
        i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n';
    if ((end_mark && at_break) ||
        (text[i] == '\n' && i > 0 &&
         std::string(".!?;:").find(text[i - 1]) == std::string::npos)) {
      ++sentences;
    }
  }
  sentences = std::max(sentences, 1);
  int syllables = 0;
  for (const auto& w : words) syllables += Syllables(w);
  const double n = std::max<size_t>(words.size(), 1);
  return 0.39 * (n / sentences) + 11.8 * (syllables / n) - 15.59;
}

TEST(ContentRules, ReadingGradeHelperRanksTextsSensibly) {
  EXPECT_LT(ReadingGrade("You are not alone. It is okay to go slow."), 3);
  EXPECT_GT(ReadingGrade("Comprehensive psychotherapeutic interventions "
                         "necessitate individualized conceptualization."),
            14);
}

TEST(ContentRules, ContentLoads) {
  ASSERT_FALSE(RealContent().intents.empty());
}

TEST(ContentRules, EveryMessageIsShort) {
  for (const auto& intent : RealContent().intents) {
    for (const auto& m : Messages(intent)) {
      EXPECT_LE(static_cast<int>(Words(m).size()), kMaxWordsPerMessage)
          << intent.id << ": " << m;
    }
  }
}

TEST(ContentRules, EveryIntentReadsAtGradeEightOrBelow) {
  for (const auto& intent : RealContent().intents) {
    const std::string text = absl::StrJoin(Messages(intent), " ");
    EXPECT_LE(ReadingGrade(text), kMaxReadingGrade)
        << intent.id << ": " << text;
  }
}

TEST(ContentRules, NoDiagnosisPrescriptionOrPromise) {
  // Phrases a reply must never say in its own voice. Text inside double
  // quotes is the person's own words being quoted back, and is skipped.
  const std::regex banned(
      "diagnos(e|ing) you|you (have|'ve got|are suffering from) "
      "(ptsd|c-?ptsd|depression|a disorder|an? (anxiety|personality) "
      "disorder)|you are (depressed|bipolar|a narcissist)|\\bprescribe\\b|"
      "\\bprescribing\\b|(i|we) (can )?guarantee|guaranteed to|"
      "will (cure|fix) you|\\bcured?\\b|100% (safe|effective)|"
      "\\bdosage\\b|\\bdose of\\b|\\bmg\\b",
      std::regex::icase);
  const std::regex quoted("\"[^\"]*\"");
  for (const auto& intent : RealContent().intents) {
    for (const auto& m : Messages(intent)) {
      std::string own = std::regex_replace(m, quoted, " ");
      EXPECT_FALSE(std::regex_search(own, banned)) << intent.id << ": " << m;
    }
  }
}

TEST(ContentRules, EveryIntentHasSourceVariantsAndSuggestions) {
  for (const auto& intent : RealContent().intents) {
    EXPECT_FALSE(intent.source.empty()) << intent.id;
    EXPECT_GE(intent.replies.size(), 2u) << intent.id << " needs variants";
    EXPECT_GE(intent.suggestions.size(), 1u) << intent.id;
    EXPECT_LE(intent.suggestions.size(), 3u) << intent.id;
    for (const auto& s : intent.suggestions) {
      EXPECT_NE(RealContent().Find(s.intent), nullptr)
          << intent.id << " suggests " << s.intent;
      EXPECT_LE(s.label.size(), 40u) << intent.id << ": " << s.label;
    }
  }
}

TEST(ContentRules, TopicsCanBeContinued) {
  // Every article, FAQ, therapy, partner and healing answer has a "tell me
  // more" continuation.
  for (const auto& intent : RealContent().intents) {
    const std::string& id = intent.id;
    bool topic = false;
    for (const char* prefix :
         {"faq.", "article.", "topic.", "therapy.", "partner.", "healing."}) {
      topic |= id.rfind(prefix, 0) == 0;
    }
    if (topic) {
      EXPECT_FALSE(intent.more.empty()) << id;
    }
  }
}

TEST(ContentRules, CrisisRepliesGiveHelpAndArePlainAndCalm) {
  for (const auto& intent : RealContent().intents) {
    if (!intent.escalate) continue;
    for (const auto& variant : intent.replies) {
      const std::string text = absl::StrJoin(variant, " ");
      EXPECT_NE(text.find("{emergency_number}"), std::string::npos)
          << intent.id << ": " << text;
      EXPECT_EQ(text.find('!'), std::string::npos)
          << intent.id << " must not sound cheerful: " << text;
    }
  }
}

TEST(ContentRules, FallbackSaysHowToReachAPerson) {
  const bot::Intent* fallback = RealContent().Find("fallback");
  ASSERT_NE(fallback, nullptr);
  bool offers_person = false;
  for (const auto& s : fallback->suggestions) {
    offers_person |= s.intent == "handoff.human";
  }
  for (const auto& variant : fallback->replies) {
    const std::string text = absl::StrJoin(variant, " ");
    offers_person |= text.find("{phone}") != std::string::npos;
  }
  EXPECT_TRUE(offers_person);
}

}  // namespace
}  // namespace reconnect
