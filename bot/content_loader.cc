#include "bot/content_loader.h"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace reconnect::bot {
namespace {

namespace fs = std::filesystem;

constexpr char kCatalogFile[] = "catalog.tsv";
constexpr char kClinicFile[] = "clinic.yaml";
constexpr char kResourcesFile[] = "resources.yaml";
constexpr char kSystemFile[] = "system.yaml";

// Collects problems for one file, each with the line it was found on.
class Problems {
 public:
  Problems(std::string file, std::vector<std::string>* out)
      : file_(std::move(file)), out_(out) {}

  void Add(int line, const std::string& message) {
    out_->push_back(absl::StrCat(file_, ":", line, ": ", message));
  }
  void Add(const YAML::Node& node, const std::string& message) {
    Add(LineOf(node), message);
  }
  const std::string& file() const { return file_; }

  static int LineOf(const YAML::Node& node) {
    return node.Mark().line >= 0 ? node.Mark().line + 1 : 1;
  }

 private:
  std::string file_;
  std::vector<std::string>* out_;
};

// Reports every key of `map` that is not in `allowed`.
void CheckKeys(const YAML::Node& map, const std::set<std::string>& allowed,
               const std::string& what, Problems* problems) {
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (allowed.count(key) == 0) {
      problems->Add(kv.first, absl::StrCat("unknown field '", key, "' in ",
                                           what, " (allowed: ",
                                           absl::StrJoin(allowed, ", "), ")"));
    }
  }
}

// Reads a scalar string field; reports when it is required and missing, or
// not a scalar.
bool ReadString(const YAML::Node& map, const std::string& key, bool required,
                std::string* out, Problems* problems) {
  YAML::Node node = map[key];
  if (!node) {
    if (required) problems->Add(map, absl::StrCat("missing field '", key, "'"));
    return false;
  }
  if (!node.IsScalar()) {
    problems->Add(node, absl::StrCat("'", key, "' must be text"));
    return false;
  }
  *out = node.Scalar();
  if (required && out->empty()) {
    problems->Add(node, absl::StrCat("'", key, "' is empty"));
    return false;
  }
  return true;
}

// A reply variant is one message (text) or a list of one to three messages.
bool ReadVariant(const YAML::Node& node, ReplyVariant* out,
                 Problems* problems) {
  out->clear();
  if (node.IsScalar()) {
    out->push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const auto& m : node) {
      if (!m.IsScalar()) {
        problems->Add(m, "a reply message must be text");
        return false;
      }
      out->push_back(m.Scalar());
    }
  } else {
    problems->Add(node, "a reply must be text or a list of messages");
    return false;
  }
  if (out->empty() || out->size() > 3) {
    problems->Add(node, "a reply has one to three messages");
    return false;
  }
  for (const auto& m : *out) {
    if (absl::StripAsciiWhitespace(m).empty()) {
      problems->Add(node, "a reply message is empty");
      return false;
    }
  }
  return true;
}

void CheckPlaceholders(const YAML::Node& node, const std::string& text,
                       Problems* problems) {
  const auto& known = KnownPlaceholders();
  size_t pos = 0;
  while ((pos = text.find('{', pos)) != std::string::npos) {
    size_t end = text.find('}', pos);
    if (end == std::string::npos) {
      problems->Add(node, "unclosed '{' in reply");
      return;
    }
    std::string name = text.substr(pos + 1, end - pos - 1);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      problems->Add(node,
                    absl::StrCat("unknown placeholder '{", name, "}' (known: {",
                                 absl::StrJoin(known, "}, {"), "})"));
    }
    pos = end + 1;
  }
}

std::vector<ReplyVariant> ReadVariants(const YAML::Node& map,
                                       const std::string& key, bool required,
                                       Problems* problems) {
  std::vector<ReplyVariant> variants;
  YAML::Node node = map[key];
  if (!node) {
    if (required) problems->Add(map, absl::StrCat("missing field '", key, "'"));
    return variants;
  }
  if (!node.IsSequence() || node.size() == 0) {
    problems->Add(node, absl::StrCat("'", key, "' must be a non-empty list"));
    return variants;
  }
  for (const auto& v : node) {
    ReplyVariant variant;
    if (!ReadVariant(v, &variant, problems)) continue;
    for (const auto& m : variant) CheckPlaceholders(v, m, problems);
    variants.push_back(std::move(variant));
  }
  return variants;
}

bool CompileCheck(const YAML::Node& node, const std::string& regex,
                  Problems* problems) {
  RE2 re(regex, RE2::Quiet);
  if (!re.ok()) {
    problems->Add(node,
                  absl::StrCat("bad pattern '", regex, "': ", re.error()));
    return false;
  }
  return true;
}

std::vector<Pattern> ReadPatterns(const YAML::Node& map, const std::string& key,
                                  Problems* problems) {
  std::vector<Pattern> patterns;
  YAML::Node node = map[key];
  if (!node || node.IsNull()) return patterns;
  if (!node.IsSequence()) {
    problems->Add(node, absl::StrCat("'", key, "' must be a list"));
    return patterns;
  }
  for (const auto& p : node) {
    Pattern pattern;
    pattern.where = {problems->file(), Problems::LineOf(p)};
    if (p.IsScalar()) {
      pattern.regex = p.Scalar();
    } else if (p.IsMap()) {
      CheckKeys(p, {"pattern", "weight"}, "a pattern", problems);
      if (!ReadString(p, "pattern", true, &pattern.regex, problems)) continue;
      if (p["weight"]) {
        try {
          pattern.weight = p["weight"].as<double>();
        } catch (const YAML::Exception&) {
          problems->Add(p["weight"], "'weight' must be a number");
          continue;
        }
        if (!(pattern.weight > 0 && pattern.weight <= 10)) {
          problems->Add(p["weight"], "'weight' must be above 0 and at most 10");
          continue;
        }
      }
    } else {
      problems->Add(p, "a pattern must be text or {pattern, weight}");
      continue;
    }
    if (pattern.regex.empty()) {
      problems->Add(p, "empty pattern");
      continue;
    }
    if (!CompileCheck(p, pattern.regex, problems)) continue;
    patterns.push_back(std::move(pattern));
  }
  return patterns;
}

void ReadIntent(const YAML::Node& node, Content* content, Problems* problems) {
  if (!node.IsMap()) {
    problems->Add(node, "an intent must be a map of fields");
    return;
  }
  CheckKeys(node,
            {"id", "title", "source", "priority", "escalate", "patterns",
             "exclude", "replies", "more", "suggestions", "examples"},
            "an intent", problems);
  Intent intent;
  intent.where = {problems->file(), Problems::LineOf(node)};
  if (!ReadString(node, "id", true, &intent.id, problems)) return;
  ReadString(node, "title", true, &intent.title, problems);
  ReadString(node, "source", true, &intent.source, problems);
  if (node["priority"]) {
    try {
      intent.priority = node["priority"].as<int>();
    } catch (const YAML::Exception&) {
      problems->Add(node["priority"], "'priority' must be a whole number");
    }
    if (intent.priority < -100 || intent.priority > 100) {
      problems->Add(node["priority"], "'priority' must be from -100 to 100");
    }
  }
  if (node["escalate"]) {
    try {
      intent.escalate = node["escalate"].as<bool>();
    } catch (const YAML::Exception&) {
      problems->Add(node["escalate"], "'escalate' must be true or false");
    }
  }
  intent.patterns = ReadPatterns(node, "patterns", problems);
  intent.excludes = ReadPatterns(node, "exclude", problems);
  if (intent.patterns.empty() && intent.id != kFallbackIntent &&
      !(node["patterns"] && node["patterns"].IsSequence() &&
        node["patterns"].size() > 0)) {
    problems->Add(node,
                  absl::StrCat("intent '", intent.id,
                               "' has no patterns, so nothing reaches it"));
  }
  intent.replies = ReadVariants(node, "replies", true, problems);
  if (node["more"]) {
    if (!ReadVariant(node["more"], &intent.more, problems)) intent.more.clear();
    for (const auto& m : intent.more)
      CheckPlaceholders(node["more"], m, problems);
  }
  if (YAML::Node s = node["suggestions"]) {
    if (!s.IsSequence()) {
      problems->Add(s, "'suggestions' must be a list");
    } else {
      for (const auto& item : s) {
        if (!item.IsMap()) {
          problems->Add(item, "a suggestion is {label, intent}");
          continue;
        }
        CheckKeys(item, {"label", "intent"}, "a suggestion", problems);
        Suggestion suggestion;
        suggestion.where = {problems->file(), Problems::LineOf(item)};
        if (ReadString(item, "label", true, &suggestion.label, problems) &&
            ReadString(item, "intent", true, &suggestion.intent, problems)) {
          intent.suggestions.push_back(std::move(suggestion));
        }
      }
    }
  }
  if (YAML::Node e = node["examples"]) {
    if (!e.IsSequence()) {
      problems->Add(e, "'examples' must be a list");
    } else {
      for (const auto& item : e) {
        if (item.IsScalar()) {
          intent.examples.push_back(item.Scalar());
        } else {
          problems->Add(item, "an example must be text");
        }
      }
    }
  }
  if (content->Find(intent.id) != nullptr) {
    const Intent* first = content->Find(intent.id);
    problems->Add(
        node, absl::StrCat("duplicate id '", intent.id, "' (first defined at ",
                           first->where.file, ":", first->where.line, ")"));
    return;
  }
  content->intents.push_back(std::move(intent));
}

void ReadIntentsFile(const YAML::Node& root, Content* content,
                     Problems* problems) {
  if (!root.IsMap()) {
    problems->Add(root, "expected a map with the key 'intents'");
    return;
  }
  CheckKeys(root, {"intents"}, "an intents file", problems);
  YAML::Node list = root["intents"];
  if (!list || !list.IsSequence()) {
    problems->Add(root, "'intents' must be a list");
    return;
  }
  for (const auto& node : list) ReadIntent(node, content, problems);
}

void ReadClinic(const YAML::Node& root, Content* content, Problems* problems) {
  YAML::Node clinic = root["clinic"];
  if (!root.IsMap() || !clinic || !clinic.IsMap()) {
    problems->Add(root, "expected a map under the key 'clinic'");
    return;
  }
  CheckKeys(root, {"clinic"}, "the clinic file", problems);
  CheckKeys(clinic,
            {"name", "booking_url", "phone", "hours", "default_region",
             "time_zone", "open", "response_time"},
            "the clinic settings", problems);
  ClinicSettings& s = content->clinic;
  ReadString(clinic, "name", true, &s.name, problems);
  ReadString(clinic, "booking_url", true, &s.booking_url, problems);
  ReadString(clinic, "phone", true, &s.phone, problems);
  ReadString(clinic, "hours", true, &s.hours, problems);
  ReadString(clinic, "default_region", false, &s.default_region, problems);
  ReadString(clinic, "response_time", true, &s.response_time, problems);
  std::string zone;
  if (!ReadString(clinic, "time_zone", true, &zone, problems)) return;
  std::map<std::string, std::string> days;
  YAML::Node open = clinic["open"];
  if (!open || !open.IsMap()) {
    problems->Add(clinic, "missing map 'open' (mon: 09:00-17:00, ...)");
    return;
  }
  for (const auto& kv : open) {
    if (!kv.second.IsScalar()) {
      problems->Add(kv.second,
                    "opening hours must be text such as 09:00-17:00");
      return;
    }
    days[kv.first.Scalar()] = kv.second.Scalar();
  }
  absl::StatusOr<OpeningHours> hours = OpeningHours::Parse(zone, days);
  if (!hours.ok()) {
    problems->Add(open, std::string(hours.status().message()));
    return;
  }
  s.opening_hours = *hours;
}

void ReadResources(const YAML::Node& root, Content* content,
                   Problems* problems) {
  YAML::Node regions = root["regions"];
  if (!root.IsMap() || !regions || !regions.IsMap()) {
    problems->Add(root, "expected a map of regions under the key 'regions'");
    return;
  }
  CheckKeys(root, {"regions"}, "the resources file", problems);
  for (const auto& kv : regions) {
    RegionResources r;
    r.region = kv.first.Scalar() == "default" ? "" : kv.first.Scalar();
    const YAML::Node& node = kv.second;
    if (!node.IsMap()) {
      problems->Add(node, "a region is a map of fields");
      continue;
    }
    CheckKeys(node, {"emergency_number", "crisis_line", "resources"},
              "a region", problems);
    ReadString(node, "emergency_number", true, &r.emergency_number, problems);
    ReadString(node, "crisis_line", true, &r.crisis_line, problems);
    YAML::Node list = node["resources"];
    if (!list || !list.IsSequence() || list.size() == 0) {
      problems->Add(node, "'resources' must be a non-empty list");
    } else {
      for (const auto& item : list) {
        if (!item.IsMap()) {
          problems->Add(item, "a resource is {name, number, kind, note}");
          continue;
        }
        CheckKeys(item, {"name", "number", "kind", "note"}, "a resource",
                  problems);
        Resource res;
        ReadString(item, "name", true, &res.name, problems);
        ReadString(item, "number", true, &res.number, problems);
        ReadString(item, "kind", true, &res.kind, problems);
        ReadString(item, "note", false, &res.note, problems);
        if (res.kind != "call" && res.kind != "text" && res.kind != "web") {
          problems->Add(item, "'kind' must be call, text or web");
        }
        r.resources.push_back(std::move(res));
      }
    }
    content->regions[r.region] = std::move(r);
  }
  if (content->regions.count("") == 0) {
    problems->Add(root, "no 'default' region: needed when a region is unknown");
  }
}

void ReadSystem(const YAML::Node& root, Content* content, Problems* problems) {
  if (!root.IsMap()) {
    problems->Add(root, "expected a map of the guide's messages");
    return;
  }
  CheckKeys(root,
            {"clarify_prompt", "something_else_label", "talk_to_person_label",
             "empty", "too_long", "error", "handoff"},
            "the system messages", problems);
  SystemMessages& s = content->system;
  ReadString(root, "clarify_prompt", true, &s.clarify_prompt, problems);
  ReadString(root, "something_else_label", true, &s.something_else_label,
             problems);
  ReadString(root, "talk_to_person_label", true, &s.talk_to_person_label,
             problems);
  s.empty = ReadVariants(root, "empty", true, problems);
  s.too_long = ReadVariants(root, "too_long", true, problems);
  std::vector<ReplyVariant> error = ReadVariants(root, "error", true, problems);
  if (!error.empty()) s.error = error.front();
  YAML::Node handoff = root["handoff"];
  if (!handoff || !handoff.IsMap()) {
    problems->Add(root, "missing map 'handoff' (the hand-off messages)");
    return;
  }
  CheckKeys(handoff,
            {"notified_open", "notified_closed", "not_notified", "holding",
             "released", "timed_out"},
            "the hand-off messages", problems);
  const std::pair<const char*, std::string*> single[] = {
      {"notified_open", &s.notified_open},
      {"notified_closed", &s.notified_closed},
      {"not_notified", &s.not_notified},
      {"released", &s.released},
      {"timed_out", &s.timed_out}};
  for (const auto& [key, out] : single) {
    if (ReadString(handoff, key, true, out, problems)) {
      CheckPlaceholders(handoff[key], *out, problems);
    }
  }
  s.holding = ReadVariants(handoff, "holding", true, problems);
}

struct CatalogEntry {
  std::string id;
  bool escalates = false;
  int line = 0;
};

std::vector<CatalogEntry> ReadCatalog(const fs::path& path,
                                      Problems* problems) {
  std::vector<CatalogEntry> entries;
  std::ifstream in(path);
  if (!in) {
    problems->Add(1, "cannot read the catalog");
    return entries;
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 || absl::StripAsciiWhitespace(line).empty()) continue;
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 3) {
      problems->Add(number,
                    "expected id, kind and escalates separated by tabs");
      continue;
    }
    entries.push_back({cols[0], cols[2] == "yes", number});
  }
  return entries;
}

YAML::Node ParseFile(const fs::path& path, Problems* problems, bool* ok) {
  *ok = false;
  try {
    YAML::Node root = YAML::LoadFile(path.string());
    *ok = true;
    return root;
  } catch (const YAML::ParserException& e) {
    problems->Add(e.mark.line + 1, absl::StrCat("YAML syntax: ", e.msg));
  } catch (const YAML::Exception& e) {
    problems->Add(1, absl::StrCat("cannot read: ", e.what()));
  }
  return YAML::Node();
}

// Cross-file checks, once every file has been read.
void CheckWhole(const Content& content,
                const std::vector<CatalogEntry>& catalog,
                const std::string& catalog_file,
                std::vector<std::string>* out) {
  for (const Intent& intent : content.intents) {
    Problems problems(intent.where.file, out);
    for (const Suggestion& s : intent.suggestions) {
      if (content.Find(s.intent) == nullptr) {
        problems.Add(
            s.where.line,
            absl::StrCat("intent '", intent.id, "' suggests '", s.label,
                         "' leading to unknown intent '", s.intent, "'"));
      }
    }
    const bool crisis_id =
        intent.id.rfind(kCrisisPrefix, 0) == 0 || intent.id == kHandoffIntent;
    if (crisis_id && !intent.escalate) {
      problems.Add(
          intent.where.line,
          absl::StrCat("intent '", intent.id, "' must have 'escalate: true'"));
    }
  }
  Problems problems(catalog_file, out);
  for (const CatalogEntry& entry : catalog) {
    const Intent* intent = content.Find(entry.id);
    if (intent == nullptr) {
      problems.Add(entry.line,
                   absl::StrCat("catalog id '", entry.id, "' has no intent"));
    } else if (intent->escalate != entry.escalates) {
      problems.Add(entry.line, absl::StrCat("intent '", entry.id, "' must ",
                                            entry.escalates ? "" : "not ",
                                            "escalate, as the catalog says"));
    }
  }
}

}  // namespace

const Intent* Content::Find(const std::string& id) const {
  for (const Intent& intent : intents) {
    if (intent.id == id) return &intent;
  }
  return nullptr;
}

const std::vector<std::string>& KnownPlaceholders() {
  static const auto* names = new std::vector<std::string>{
      "clinic_name",      "booking_url", "phone",         "hours",
      "emergency_number", "crisis_line", "response_time", "next_open"};
  return *names;
}

LoadReport LoadContentFolder(const std::string& dir,
                             const std::string& clinic_file) {
  LoadReport report;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    report.problems.push_back(absl::StrCat(dir, ":1: not a folder of intents"));
    return report;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  bool saw_clinic = false, saw_resources = false, saw_system = false;
  for (const fs::path& path : files) {
    Problems problems(path.string(), &report.problems);
    bool ok = false;
    YAML::Node root = ParseFile(path, &problems, &ok);
    if (!ok) continue;
    const std::string name = path.filename().string();
    if (name == kClinicFile) {
      if (clinic_file.empty()) {
        saw_clinic = true;
        ReadClinic(root, &report.content, &problems);
      }
    } else if (name == kResourcesFile) {
      saw_resources = true;
      ReadResources(root, &report.content, &problems);
    } else if (name == kSystemFile) {
      saw_system = true;
      ReadSystem(root, &report.content, &problems);
    } else {
      ReadIntentsFile(root, &report.content, &problems);
    }
  }
  if (!clinic_file.empty()) {
    Problems problems(clinic_file, &report.problems);
    bool ok = false;
    YAML::Node root = ParseFile(clinic_file, &problems, &ok);
    saw_clinic = true;
    if (ok) ReadClinic(root, &report.content, &problems);
  }
  const fs::path base(dir);
  for (auto [seen, name] : {std::pair{saw_clinic, kClinicFile},
                            std::pair{saw_resources, kResourcesFile},
                            std::pair{saw_system, kSystemFile}}) {
    if (!seen) {
      report.problems.push_back(
          absl::StrCat((base / name).string(), ":1: file is missing"));
    }
  }
  const fs::path catalog_path = base / kCatalogFile;
  Problems catalog_problems(catalog_path.string(), &report.problems);
  std::vector<CatalogEntry> catalog =
      ReadCatalog(catalog_path, &catalog_problems);
  CheckWhole(report.content, catalog, catalog_path.string(), &report.problems);
  return report;
}

absl::StatusOr<Content> LoadContent(const std::string& dir,
                                    const std::string& clinic_file) {
  LoadReport report = LoadContentFolder(dir, clinic_file);
  if (!report.problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(report.problems, "\n"));
  }
  return std::move(report.content);
}

}  // namespace reconnect::bot
