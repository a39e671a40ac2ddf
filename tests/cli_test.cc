// The `reconnect` binary as clinics and the score script use it.
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/testutil.h"

namespace reconnect {
namespace {

using reconnect::testing::TempDir;
using ::testing::HasSubstr;

struct CommandResult {
  int exit_code = -1;
  std::string out;
};

// Runs `args` with the binary, feeding `input` on stdin from a file.
CommandResult RunBinary(const std::string& args, const std::string& input) {
  TempDir dir;
  std::string in = dir.Write("stdin", input);
  std::string command =
      std::string(RECONNECT_BINARY) + " " + args + " < " + in + " 2>/dev/null";
  CommandResult run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    run.out.append(buffer, n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::vector<nlohmann::json> JsonLines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(Cli, ClassifyPrintsOneJsonObjectPerLineWhateverItHolds) {
  std::string input =
      "what is emdr\n"
      "\n"
      "i want to end it all\n"
      "bad \xff\xfe utf-8\n" +
      std::string("\x01\x02\x03\x04\x05\x06", 6) + "\n" +
      std::string(9000, 'z') +
      "\n"
      "windows line\r\n";
  CommandResult run = RunBinary("classify", input);
  ASSERT_EQ(run.exit_code, 0);
  std::vector<nlohmann::json> lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 7u);
  for (const auto& line : lines) {
    EXPECT_TRUE(line["intent"].is_string());
    EXPECT_TRUE(line["escalate"].is_boolean());
  }
  EXPECT_EQ(lines[0]["intent"], "therapy.emdr");
  EXPECT_TRUE(lines[0]["rules"].is_array());
  EXPECT_EQ(lines[1]["intent"], "system.empty");
  EXPECT_EQ(lines[2]["escalate"], true);
  EXPECT_EQ(lines[4]["intent"], "fallback");
  EXPECT_TRUE(lines[4].contains("error"));
  EXPECT_EQ(lines[5]["intent"], "system.too_long");
}

TEST(Cli, LintPassesOnTheShippedIntents) {
  EXPECT_EQ(
      RunBinary(std::string("lint ") + RECONNECT_SOURCE_DIR + "/intents", "")
          .exit_code,
      0);
}

TEST(Cli, LintFailsWithFileAndLineOnBrokenContent) {
  TempDir dir;
  dir.Write("topics.yaml", "intents:\n  - id: x\n    patterns: ['(']\n");
  CommandResult run = RunBinary("lint " + dir.path(), "");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr(dir.path() + "/topics.yaml:3: bad pattern"));
  EXPECT_THAT(run.out, HasSubstr("catalog.tsv:1: cannot read the catalog"));
}

TEST(Cli, ChatHoldsAConversationInProcess) {
  CommandResult run = RunBinary("chat", "hi\nwhat is emdr\n1\n/quit\n");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.out, HasSubstr("guide> "));
  EXPECT_THAT(run.out, HasSubstr("[1] "));
  EXPECT_THAT(run.out, HasSubstr("you> what is emdr"));
}

TEST(Cli, EverySubcommandHasHelp) {
  for (const char* command : {"serve", "chat", "classify", "lint"}) {
    CommandResult run = RunBinary(std::string(command) + " --help", "");
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_THAT(run.out, HasSubstr("Usage")) << command;
  }
}

}  // namespace
}  // namespace reconnect
