// Guards the guide's understanding against regressions on our own labelled
// paraphrases (tests/eval/README.md).
#include <fstream>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "bot/guide.h"
#include "tests/testutil.h"

namespace reconnect {
namespace {

struct Row {
  std::string text;
  std::string intent;
};

TEST(Eval, ParaphrasesKeepTheirFigures) {
  std::ifstream in(std::string(RECONNECT_SOURCE_DIR) +
                   "/tests/eval/paraphrases.jsonl");
  ASSERT_TRUE(in);
  std::vector<Row> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    rows.push_back({j["text"], j["intent"]});
  }
  ASSERT_GT(rows.size(), 1000u);
  auto guide = bot::Guide::Create(
      std::string(RECONNECT_SOURCE_DIR) + "/intents", "", {});
  ASSERT_OK(guide.status());
  const bot::Content& content = (*guide)->content();

  int correct = 0, crises = 0, caught = 0, ordinary = 0, false_alarms = 0;
  std::vector<std::string> misses;
  for (size_t i = 0; i < rows.size(); ++i) {
    const bot::Intent* expected = content.Find(rows[i].intent);
    ASSERT_NE(expected, nullptr) << rows[i].intent;
    bot::Message m;
    m.conversation_id = absl::StrCat("eval-", i);
    m.text = rows[i].text;
    auto reply = (*guide)->Converse(m);
    ASSERT_OK(reply.status());
    if (reply->intent == rows[i].intent) ++correct;
    if (expected->escalate) {
      ++crises;
      if (reply->escalated) {
        ++caught;
      } else {
        misses.push_back(rows[i].text);
      }
    } else {
      ++ordinary;
      if (reply->escalated) ++false_alarms;
    }
  }
  const double accuracy = static_cast<double>(correct) / rows.size();
  const double false_rate = static_cast<double>(false_alarms) / ordinary;
  EXPECT_EQ(caught, crises) << "missed crises:\n"
                            << ::testing::PrintToString(misses);
  EXPECT_LE(false_rate, 0.02);
  EXPECT_GE(accuracy, 0.95);
  RecordProperty("accuracy", std::to_string(accuracy));
  std::cout << "paraphrases: accuracy " << accuracy << ", crisis recall "
            << caught << "/" << crises << ", false escalation " << false_rate
            << " (n=" << rows.size() << ")\n";
}

}  // namespace
}  // namespace reconnect
