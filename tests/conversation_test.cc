// Conversation tests as data: every file in tests/conversations/ holds
// conversations, each a list of turns with what the guide must answer. Anyone
// can add one without writing C++ (see tests/conversations/README.md).
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bot/guide.h"
#include "bot/sqlite_escalation_store.h"
#include "tests/testutil.h"

namespace reconnect {
namespace {

struct Turn {
  std::string user;
  std::string intent;                 // expected intent; "" = not checked
  std::vector<std::string> contains;  // substrings of the reply (any case)
  int escalate = -1;                  // -1 not checked, 0 no, 1 yes
  int line = 0;
};

struct Conversation {
  std::string name;
  std::string file;
  std::string locale;
  std::vector<Turn> turns;
};

void PrintTo(const Conversation& c, std::ostream* os) {
  *os << c.file << ": " << c.name;
}

std::vector<Conversation> LoadConversations() {
  std::vector<Conversation> all;
  const std::filesystem::path dir =
      std::filesystem::path(RECONNECT_SOURCE_DIR) / "tests" / "conversations";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    YAML::Node root = YAML::LoadFile(path.string());
    for (const auto& c : root["conversations"]) {
      Conversation conversation;
      conversation.file = path.filename().string();
      conversation.name = c["name"].as<std::string>();
      if (c["locale"]) conversation.locale = c["locale"].as<std::string>();
      for (const auto& t : c["turns"]) {
        Turn turn;
        turn.user = t["user"].as<std::string>();
        turn.line = t.Mark().line + 1;
        if (t["intent"]) turn.intent = t["intent"].as<std::string>();
        if (t["escalate"]) turn.escalate = t["escalate"].as<bool>() ? 1 : 0;
        if (YAML::Node contains = t["contains"]) {
          if (contains.IsSequence()) {
            turn.contains = contains.as<std::vector<std::string>>();
          } else {
            turn.contains = {contains.as<std::string>()};
          }
        }
        conversation.turns.push_back(std::move(turn));
      }
      all.push_back(std::move(conversation));
    }
  }
  return all;
}

class ConversationTest : public ::testing::TestWithParam<Conversation> {
 protected:
  // One guide with a real escalation store for the whole suite, so that
  // hand-offs behave as in production (holding replies after a crisis).
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    auto store = bot::SqliteEscalationStore::Open(dir_->path());
    ASSERT_OK(store.status());
    store_ = std::move(store).value().release();
    bot::GuideOptions options;
    options.escalations = store_;
    options.handoff.people_reachable = true;
    auto guide = bot::Guide::Create(
        std::string(RECONNECT_SOURCE_DIR) + "/intents", "", options);
    ASSERT_OK(guide.status());
    guide_ = std::move(guide).value().release();
  }
  static void TearDownTestSuite() {
    delete guide_;
    delete store_;
    delete dir_;
    guide_ = nullptr;
  }
  static testing::TempDir* dir_;
  static bot::SqliteEscalationStore* store_;
  static bot::Guide* guide_;
};

testing::TempDir* ConversationTest::dir_ = nullptr;
bot::SqliteEscalationStore* ConversationTest::store_ = nullptr;
bot::Guide* ConversationTest::guide_ = nullptr;

TEST_P(ConversationTest, GoesAsWritten) {
  ASSERT_NE(guide_, nullptr);
  const Conversation& c = GetParam();
  const std::string id =
      absl::StrCat("conversation-", c.file, "-", c.name.size(), "-",
                   std::hash<std::string>()(c.name));
  for (const Turn& turn : c.turns) {
    SCOPED_TRACE(absl::StrCat(c.file, ":", turn.line, ": \"", turn.user, "\""));
    bot::Message message;
    message.channel = "test";
    message.conversation_id = id;
    message.text = turn.user;
    message.locale = c.locale;
    auto reply = guide_->Converse(message);
    ASSERT_OK(reply.status());
    const std::string text = absl::StrJoin(reply->messages, " ");
    if (!turn.intent.empty()) {
      EXPECT_EQ(reply->intent, turn.intent) << text;
    }
    if (turn.escalate >= 0) {
      EXPECT_EQ(reply->escalated, turn.escalate == 1);
    }
    for (const auto& part : turn.contains) {
      EXPECT_NE(absl::AsciiStrToLower(text).find(absl::AsciiStrToLower(part)),
                std::string::npos)
          << "reply lacks \"" << part << "\": " << text;
    }
  }
}

std::string TestName(const ::testing::TestParamInfo<Conversation>& info) {
  std::string name = absl::StrCat(info.param.file, "_", info.param.name);
  for (char& ch : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return absl::StrCat(info.index, "_", name);
}

INSTANTIATE_TEST_SUITE_P(Data, ConversationTest,
                         ::testing::ValuesIn(LoadConversations()), TestName);

}  // namespace
}  // namespace reconnect
