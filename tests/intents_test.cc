// Checks the real intents/ folder: it loads without a problem, and every
// example message in it resolves to its own intent.
#include "bot/content_loader.h"
#include "bot/example_check.h"
#include "bot/guide.h"
#include "tests/testutil.h"

namespace reconnect {
namespace {

using ::testing::IsEmpty;

const std::string kIntents = std::string(RECONNECT_SOURCE_DIR) + "/intents";

TEST(Intents, FolderLoadsWithoutProblems) {
  bot::LoadReport report = bot::LoadContentFolder(kIntents);
  EXPECT_THAT(report.problems, IsEmpty());
}

TEST(Intents, EveryExampleResolvesToItsOwnIntent) {
  auto guide = bot::Guide::Create(kIntents, "", {});
  ASSERT_OK(guide.status());
  size_t examples = 0;
  for (const auto& intent : (*guide)->content().intents) {
    examples += intent.examples.size();
  }
  EXPECT_GT(examples, 0u);
  EXPECT_THAT(bot::CheckExamples(**guide), IsEmpty());
}

TEST(Intents, ExampleCheckCatchesAnExampleThatResolvesElsewhere) {
  auto content = bot::LoadContent(kIntents);
  ASSERT_OK(content.status());
  bot::Intent* emdr = nullptr;
  for (auto& intent : content->intents) {
    if (intent.id == "therapy.emdr") emdr = &intent;
  }
  ASSERT_NE(emdr, nullptr);
  emdr->examples = {"what's the weather like in Paris tomorrow"};
  auto guide = bot::Guide::Create(std::move(*content), {});
  ASSERT_OK(guide.status());
  std::vector<std::string> problems = bot::CheckExamples(**guide);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], ::testing::HasSubstr("of therapy.emdr resolves to"));
}

}  // namespace
}  // namespace reconnect
