#include "adapters/static_files.h"

#include <openssl/sha.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace reconnect::adapters {
namespace {

constexpr uintmax_t kMaxFileBytes = 2 << 20;

bool PlainName(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

std::string ContentType(const std::string& extension) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
  };
  auto it = kTypes.find(extension);
  return it == kTypes.end() ? "" : it->second;
}

std::string Etag(const std::string& body) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(),
         digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string tag = "\"";
  for (int i = 0; i < 8; ++i) {
    tag += kHex[digest[i] >> 4];
    tag += kHex[digest[i] & 15];
  }
  return tag + "\"";
}

}  // namespace

absl::StatusOr<std::unique_ptr<StaticFiles>> StaticFiles::Load(
    const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the web folder ", dir, ": ", ec.message()));
  }
  auto files = std::unique_ptr<StaticFiles>(new StaticFiles());
  for (const fs::directory_entry& entry : it) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec) || !PlainName(name)) continue;
    const std::string type = ContentType(entry.path().extension().string());
    if (type.empty() || entry.file_size(ec) > kMaxFileBytes) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    File file;
    file.body = body.str();
    file.content_type = type;
    file.etag = Etag(file.body);
    file.page = entry.path().extension() == ".html";
    // Revalidated on every use (a 304 when unchanged), so a page and the
    // script it loads never come from two different releases.
    file.cache_control = "no-cache";
    std::string path = "/" + name;
    if (name == "index.html") path = "/";
    if (name == "operator.html") path = "/operator";
    files->files_[path] = file;
    // Both "/operator" and "/operator.html" reach the console.
    if (path != "/" + name) files->files_["/" + name] = std::move(file);
  }
  return files;
}

std::optional<Response> StaticFiles::Serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  auto it = files_.find(request.path);
  if (it == files_.end()) return std::nullopt;
  const File& file = it->second;
  Response response;
  response.content_type = file.content_type;
  response.headers = {{"ETag", file.etag},
                      {"Cache-Control", file.cache_control},
                      {"X-Content-Type-Options", "nosniff"},
                      {"Referrer-Policy", "no-referrer"}};
  if (file.page) {
    response.headers.emplace_back(
        "Content-Security-Policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'");
    response.headers.emplace_back("X-Frame-Options", "DENY");
  }
  if (request.Header("If-None-Match") == file.etag) {
    response.status = 304;
    return response;
  }
  response.body = file.body;
  return response;
}

}  // namespace reconnect::adapters
