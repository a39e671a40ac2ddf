#include "bot/content_loader.h"

#include "tests/testutil.h"

namespace reconnect::bot {
namespace {

using reconnect::testing::TempDir;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string ReplaceFirst(std::string text, const std::string& from,
                         const std::string& to) {
  return text.replace(text.find(from), from.size(), to);
}

// A minimal folder that loads cleanly; tests overwrite one file at a time.
class ContentLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("catalog.tsv",
               "id\tkind\tescalates\n"
               "topic.trust\tarticle\tno\n"
               "crisis.suicide\tcrisis\tyes\n"
               "fallback\tfallback\tno\n");
    dir_.Write("clinic.yaml",
               "clinic:\n  name: C\n  booking_url: u\n  phone: p\n"
               "  hours: h\n  default_region: US\n  time_zone: UTC\n"
               "  open: {mon: 09:00-17:00}\n  response_time: soon\n");
    dir_.Write(
        "resources.yaml",
        "regions:\n"
        "  default:\n    emergency_number: '112'\n    crisis_line: x\n"
        "    resources:\n      - {name: E, number: '112', kind: call}\n");
    dir_.Write(
        "system.yaml",
        "clarify_prompt: Which?\nsomething_else_label: Else\n"
        "talk_to_person_label: Person\nempty: [Empty]\n"
        "too_long: [Long]\nerror: [[Oops, 'Call {emergency_number}']]\n"
        "handoff:\n  notified_open: a\n  notified_closed: b {next_open}\n"
        "  not_notified: c\n  holding: [d]\n  released: e\n"
        "  timed_out: f\n");
    dir_.Write("crisis.yaml",
               "intents:\n"
               "  - id: crisis.suicide\n    title: S\n    source: Safety\n"
               "    escalate: true\n    patterns: ['\\bkill myself\\b']\n"
               "    replies: ['Call {crisis_line}']\n");
    WriteTopics(kTopics);
  }

  void WriteTopics(const std::string& text) { dir_.Write("topics.yaml", text); }

  static constexpr char kTopics[] =
      "intents:\n"
      "  - id: topic.trust\n"
      "    title: Trust\n"
      "    source: Intro\n"
      "    patterns:\n"
      "      - '\\btrust\\b'\n"
      "      - {pattern: 'betray', weight: 1.5}\n"
      "    replies:\n"
      "      - One.\n"
      "      - [Two a., Two b.]\n"
      "    more: [More.]\n"
      "    suggestions: [{label: Help, intent: fallback}]\n"
      "    examples: [i cant trust]\n"
      "  - id: fallback\n"
      "    title: Other\n"
      "    source: Guide\n"
      "    patterns: []\n"
      "    replies: ['I can help with {clinic_name}']\n";

  std::string Path(const std::string& name) const {
    return dir_.path() + "/" + name;
  }

  TempDir dir_;
};

TEST_F(ContentLoaderTest, LoadsACleanFolder) {
  LoadReport report = LoadContentFolder(dir_.path());
  ASSERT_THAT(report.problems, IsEmpty());
  const Intent* trust = report.content.Find("topic.trust");
  ASSERT_NE(trust, nullptr);
  EXPECT_EQ(trust->patterns.size(), 2u);
  EXPECT_DOUBLE_EQ(trust->patterns[1].weight, 1.5);
  ASSERT_EQ(trust->replies.size(), 2u);
  EXPECT_EQ(trust->replies[1].size(), 2u);
  EXPECT_EQ(trust->suggestions[0].intent, "fallback");
  EXPECT_EQ(trust->where.line, 2);
  EXPECT_TRUE(report.content.Find("crisis.suicide")->escalate);
  EXPECT_EQ(report.content.clinic.default_region, "US");
  EXPECT_EQ(report.content.system.error.size(), 2u);
  EXPECT_EQ(report.content.regions.count(""), 1u);
}

TEST_F(ContentLoaderTest, BadRegexIsReportedWithRe2ErrorAndLine) {
  WriteTopics(ReplaceFirst(kTopics, "'betray'", "'betray('"));
  LoadReport report = LoadContentFolder(dir_.path());
  EXPECT_THAT(report.problems,
              Contains(HasSubstr(Path("topics.yaml") +
                                 ":7: bad pattern 'betray(': missing )")));
}

TEST_F(ContentLoaderTest, UnknownFieldDuplicateIdAndMissingReplyAllReported) {
  WriteTopics(std::string(kTopics) +
              "  - id: topic.trust\n"  // line 19: duplicate
              "    title: Again\n"
              "    source: Intro\n"
              "    patterns: [x]\n"
              "    replies: [y]\n"
              "  - id: topic.new\n"  // line 24: no replies, typo field
              "    title: New\n"
              "    source: Intro\n"
              "    patterns: [z]\n"
              "    replys: [oops]\n");
  LoadReport report = LoadContentFolder(dir_.path());
  const std::string file = Path("topics.yaml");
  EXPECT_THAT(report.problems,
              Contains(HasSubstr(file +
                                 ":19: duplicate id 'topic.trust' "
                                 "(first defined at " +
                                 file + ":2)")));
  EXPECT_THAT(report.problems,
              Contains(HasSubstr(file + ":28: unknown field 'replys'")));
  EXPECT_THAT(report.problems,
              Contains(HasSubstr(file + ":24: missing field 'replies'")));
}

TEST_F(ContentLoaderTest, MissingCatalogIdIsReportedAtItsCatalogLine) {
  dir_.Write("crisis.yaml", "intents: []\n");
  LoadReport report = LoadContentFolder(dir_.path());
  EXPECT_THAT(report.problems,
              Contains(Path("catalog.tsv") +
                       ":3: catalog id 'crisis.suicide' has no intent"));
}

TEST_F(ContentLoaderTest, CrisisIntentMustEscalate) {
  dir_.Write("crisis.yaml",
             "intents:\n"
             "  - id: crisis.suicide\n    title: S\n    source: Safety\n"
             "    patterns: ['x']\n    replies: ['y']\n");
  LoadReport report = LoadContentFolder(dir_.path());
  EXPECT_THAT(
      report.problems,
      Contains(HasSubstr("'crisis.suicide' must have 'escalate: true'")));
}

TEST_F(ContentLoaderTest, SuggestionToUnknownIntentAndUnknownPlaceholder) {
  WriteTopics(
      ReplaceFirst(ReplaceFirst(kTopics, "intent: fallback", "intent: nowhere"),
                   "{clinic_name}", "{clinic_nme}"));
  LoadReport report = LoadContentFolder(dir_.path());
  EXPECT_THAT(report.problems,
              Contains(HasSubstr(":12: intent 'topic.trust' suggests 'Help' "
                                 "leading to unknown intent 'nowhere'")));
  EXPECT_THAT(report.problems,
              Contains(HasSubstr(":18: unknown placeholder '{clinic_nme}'")));
}

TEST_F(ContentLoaderTest, YamlSyntaxErrorHasItsLine) {
  WriteTopics("intents:\n  - id: [unclosed\n");
  LoadReport report = LoadContentFolder(dir_.path());
  EXPECT_THAT(report.problems,
              Contains(HasSubstr(Path("topics.yaml") + ":3: YAML syntax")));
}

TEST_F(ContentLoaderTest, LoadContentFailsWithEveryProblemListed) {
  WriteTopics("intents:\n  - id: topic.trust\n    bogus: 1\n");
  absl::StatusOr<Content> content = LoadContent(dir_.path());
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(content.status().message()),
              HasSubstr("unknown field 'bogus'"));
  EXPECT_THAT(std::string(content.status().message()),
              HasSubstr("missing field 'replies'"));
}

TEST_F(ContentLoaderTest, MissingSettingsFileIsReported) {
  std::filesystem::remove(Path("system.yaml"));
  LoadReport report = LoadContentFolder(dir_.path());
  EXPECT_THAT(report.problems,
              Contains(Path("system.yaml") + ":1: file is missing"));
}

TEST_F(ContentLoaderTest, ClinicFileCanComeFromElsewhere) {
  TempDir other;
  std::string file = other.Write(
      "clinic.yaml",
      "clinic:\n  name: Other\n  booking_url: u\n  phone: p\n  hours: h\n"
      "  time_zone: Europe/London\n  open: {tue: '08:00-12:00,13:00-18:00'}\n"
      "  response_time: today\n");
  LoadReport report = LoadContentFolder(dir_.path(), file);
  ASSERT_THAT(report.problems, IsEmpty());
  EXPECT_EQ(report.content.clinic.name, "Other");
}

}  // namespace
}  // namespace reconnect::bot
