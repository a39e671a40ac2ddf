#include "adapters/static_files.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testutil.h"

namespace reconnect::adapters {
namespace {

using ::testing::HasSubstr;

std::string HeaderOf(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("index.html", "<!doctype html><title>Home</title>");
    dir_.Write("operator.html", "<!doctype html><title>Console</title>");
    dir_.Write("widget.js", "console.log(1);");
    dir_.Write(".secret.js", "hidden");
    dir_.Write("notes.md", "not a served kind");
    auto files = StaticFiles::Load(dir_.path());
    ASSERT_TRUE(files.ok()) << files.status();
    files_ = std::move(files).value();
  }
  std::optional<Response> Get(const std::string& path,
                              const std::string& etag = "") {
    Request request;
    request.method = "GET";
    request.path = path;
    if (!etag.empty()) request.headers = {{"If-None-Match", etag}};
    return files_->Serve(request);
  }
  testing::TempDir dir_;
  std::unique_ptr<StaticFiles> files_;
};

TEST_F(StaticFilesTest, ServesPagesAtTheirPathsWithPrivateHeaders) {
  auto home = Get("/");
  ASSERT_TRUE(home.has_value());
  EXPECT_THAT(home->body, HasSubstr("Home"));
  EXPECT_EQ(home->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(*home, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(*home, "Referrer-Policy"), "no-referrer");
  EXPECT_THAT(HeaderOf(*home, "Content-Security-Policy"),
              HasSubstr("default-src 'self'"));
  ASSERT_TRUE(Get("/operator").has_value());
  EXPECT_THAT(Get("/operator")->body, HasSubstr("Console"));
}

TEST_F(StaticFilesTest, ScriptsRevalidateByEtag) {
  auto script = Get("/widget.js");
  ASSERT_TRUE(script.has_value());
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(*script, "Cache-Control"), "no-cache");
  const std::string etag = HeaderOf(*script, "ETag");
  ASSERT_FALSE(etag.empty());
  auto again = Get("/widget.js", etag);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(Get("/widget.js", "\"other\"")->status, 200);
}

TEST_F(StaticFilesTest, ServesNothingElse) {
  EXPECT_FALSE(Get("/.secret.js").has_value());
  EXPECT_FALSE(Get("/notes.md").has_value());
  EXPECT_FALSE(Get("/../etc/passwd").has_value());
  EXPECT_FALSE(Get("/missing.js").has_value());
  Request post;
  post.method = "POST";
  post.path = "/widget.js";
  EXPECT_FALSE(files_->Serve(post).has_value());
}

TEST(StaticFiles, MissingFolderIsAnError) {
  EXPECT_FALSE(StaticFiles::Load("/nonexistent/web").ok());
}

}  // namespace
}  // namespace reconnect::adapters
