// StaticFiles: the pages and scripts the gateway serves from a folder: the
// web chat widget (widget.js) that clinics embed, the demo clinic page at
// "/" (index.html), the operator console at "/operator" (operator.html),
// and whatever else the folder holds by name.
//
// Files are read once at start. Answers carry an ETag and Cache-Control:
// no-cache, so browsers revalidate every use (a 304 when unchanged) and a page
// and its scripts always come from the same release; and headers that keep
// pages private: no referrer
// leaves a page (it could name the clinic), pages cannot be framed, and their
// Content-Security-Policy allows only the gateway's own scripts.
#ifndef RECONNECT_ADAPTERS_STATIC_FILES_H_
#define RECONNECT_ADAPTERS_STATIC_FILES_H_

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "adapters/http_message.h"

namespace reconnect::adapters {

class StaticFiles {
 public:
  // Loads the regular files directly in `dir` whose names are plain (letters,
  // digits, '.', '-', '_', not starting with '.'), each at most 2 MiB.
  // Fails when the folder cannot be read.
  static absl::StatusOr<std::unique_ptr<StaticFiles>> Load(
      const std::string& dir);

  // Returns the answer to a GET or HEAD of `request.path`, or nullopt when
  // no file is served there.
  std::optional<Response> Serve(const Request& request) const;

  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string cache_control;
    std::string etag;
    std::string body;
    bool page = false;
  };
  std::map<std::string, File> files_;  // by URL path
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_STATIC_FILES_H_
