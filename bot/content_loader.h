// Content loader: reads and checks an intents/ folder.
//
// The folder holds (see intents/README.md for the full schema):
//   catalog.tsv     ids the content must cover (id, kind, escalates)
//   clinic.yaml     the clinic's settings
//   resources.yaml  crisis resources per region
//   system.yaml     the guide's own messages
//   *.yaml          every other file: a list of intents under `intents:`
//
// Loading checks everything it can without running a message: YAML syntax,
// unknown or missing fields, field types, duplicate ids, regular expressions
// (with RE2's own error text), suggestions that lead nowhere, unknown reply
// placeholders, catalog ids with no intent, and escalation flags that disagree
// with the catalog. It reports every problem at once, one per line, as
// `file:line: message`, so a clinic editor fixes them in one round.
//
// Example:
//   LoadReport report = LoadContentFolder("intents");
//   for (const auto& p : report.problems) std::cerr << p << "\n";
#ifndef RECONNECT_BOT_CONTENT_LOADER_H_
#define RECONNECT_BOT_CONTENT_LOADER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bot/content.h"

namespace reconnect::bot {

struct LoadReport {
  Content content;                    // what could be read; partial on problems
  std::vector<std::string> problems;  // "file:line: message", in file order
};

// Reads and checks every file of the folder `dir`. Never fails as a whole:
// problems are listed in the report. When `clinic_file` is not empty, the
// clinic's settings are read from it instead of `dir`/clinic.yaml, so one
// content folder can serve several clinics.
LoadReport LoadContentFolder(const std::string& dir,
                             const std::string& clinic_file = "");

// Returns the content of `dir` when it has no problem. Otherwise returns
// InvalidArgument whose message lists every problem, one per line.
absl::StatusOr<Content> LoadContent(const std::string& dir,
                                    const std::string& clinic_file = "");

// Returns the placeholder names ("clinic_name", ...) that replies may use.
const std::vector<std::string>& KnownPlaceholders();

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_CONTENT_LOADER_H_
