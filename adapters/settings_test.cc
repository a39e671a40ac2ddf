#include "adapters/settings.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/testutil.h"

namespace reconnect::adapters {
namespace {

std::string WriteFile(const std::string& dir, const std::string& text,
                      mode_t mode) {
  const std::string path = dir + "/secrets.env";
  std::ofstream(path) << text;
  chmod(path.c_str(), mode);
  return path;
}

TEST(Settings, EnvironmentWinsOverTheFile) {
  testing::TempDir dir;
  const std::string path = WriteFile(
      dir.path(),
      "# comment\n\nRECONNECT_TEST_A = from-file\nRECONNECT_TEST_B=b=c\n",
      0600);
  setenv("RECONNECT_TEST_A", "from-env", 1);
  auto settings = Settings::WithFile(path);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->Get("RECONNECT_TEST_A"), "from-env");
  EXPECT_EQ(settings->Get("RECONNECT_TEST_B"), "b=c");
  EXPECT_EQ(settings->Get("RECONNECT_TEST_C", "fallback"), "fallback");
  unsetenv("RECONNECT_TEST_A");
  EXPECT_EQ(settings->Get("RECONNECT_TEST_A"), "from-file");
}

TEST(Settings, RefusesAFileOthersCanRead) {
  testing::TempDir dir;
  const std::string path = WriteFile(dir.path(), "A=secret\n", 0644);
  auto settings = Settings::WithFile(path);
  EXPECT_EQ(settings.status().code(), absl::StatusCode::kPermissionDenied);
  // The message names the fix, never the secret.
  EXPECT_NE(settings.status().message().find("chmod 600"), std::string::npos);
  EXPECT_EQ(settings.status().message().find("secret\n"), std::string::npos);
}

TEST(Settings, RefusesAMalformedLineWithoutEchoingIt) {
  testing::TempDir dir;
  const std::string path =
      WriteFile(dir.path(), "A=1\nxoxb-pasted-token\n", 0600);
  auto settings = Settings::WithFile(path);
  EXPECT_EQ(settings.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(settings.status().message().find(":2:"), std::string::npos);
  EXPECT_EQ(settings.status().message().find("xoxb"), std::string::npos);
}

TEST(Settings, MissingFileIsAnError) {
  EXPECT_FALSE(Settings::WithFile("/nonexistent/secrets.env").ok());
}

TEST(Settings, FromMapIgnoresTheEnvironment) {
  setenv("RECONNECT_TEST_D", "env", 1);
  Settings settings = Settings::FromMap({{"RECONNECT_TEST_E", "map"}});
  EXPECT_EQ(settings.Get("RECONNECT_TEST_D"), "");
  EXPECT_EQ(settings.Get("RECONNECT_TEST_E"), "map");
  unsetenv("RECONNECT_TEST_D");
}

}  // namespace
}  // namespace reconnect::adapters
