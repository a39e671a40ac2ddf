// Content: everything the guide knows and says, as loaded from intents/.
//
// These are plain values with no behaviour beyond look-up. They are produced
// by LoadContent() (content_loader.h), which has already checked them, and are
// immutable once the guide is running.
#ifndef RECONNECT_BOT_CONTENT_H_
#define RECONNECT_BOT_CONTENT_H_

#include <map>
#include <string>
#include <vector>

#include "bot/opening_hours.h"

namespace reconnect::bot {

// The ids the engine itself gives meaning to. Every other id is content.
inline constexpr char kFallbackIntent[] = "fallback";
inline constexpr char kMoreIntent[] = "chat.more";
inline constexpr char kHandoffIntent[] = "handoff.human";
inline constexpr char kCrisisPrefix[] = "crisis.";

// Where a piece of content was written, for messages to the people editing it.
struct SourceLocation {
  std::string file;
  int line = 0;
};

// One regular expression (RE2 syntax) matched against normalised text.
struct Pattern {
  std::string regex;
  double weight = 1.0;
  SourceLocation where;
};

// A quick reply offered after an answer: tapping `label` leads to `intent`.
struct Suggestion {
  std::string label;
  std::string intent;
  SourceLocation where;
};

// One way of answering: one to three chat messages, sent together.
using ReplyVariant = std::vector<std::string>;

struct Intent {
  std::string id;
  std::string title;   // short label used when the guide asks "Did you mean".
  std::string source;  // the article section the reply draws on.
  int priority = 0;    // -100..100; adds priority/100 to the score.
  bool escalate = false;  // part of the crisis screen.
  std::vector<Pattern> patterns;
  std::vector<Pattern> excludes;
  std::vector<ReplyVariant> replies;  // rotated per conversation.
  ReplyVariant more;                  // sent for "tell me more" after this.
  std::vector<Suggestion> suggestions;
  std::vector<std::string> examples;  // must resolve to this intent.
  SourceLocation where;
};

struct ClinicSettings {
  std::string name;
  std::string booking_url;
  std::string phone;
  std::string hours;
  // Region whose crisis resources are shown when a message's locale names
  // none ("US", "UK", "EU", "CA", "AU"); empty means unknown.
  std::string default_region;
  // When a person can answer a hand-off, and how soon they usually do
  // ("within an hour"); fill {next_open} and {response_time}.
  OpeningHours opening_hours;
  std::string response_time;
};

struct Resource {
  std::string name;    // "988 Suicide & Crisis Lifeline"
  std::string number;  // "988"
  std::string kind;    // "call", "text" or "web"
  std::string note;    // "call or text", may be empty
};

// Crisis resources for one region. The region "" holds the general ones
// shown when the region is unknown.
struct RegionResources {
  std::string region;
  std::string emergency_number;  // fills {emergency_number}
  std::string crisis_line;       // fills {crisis_line}
  std::vector<Resource> resources;
};

// The guide's own messages, which are not answers to a topic.
struct SystemMessages {
  std::string clarify_prompt;          // "Did you mean ...?"
  std::string something_else_label;    // clarify choice: none of these
  std::string talk_to_person_label;    // clarify choice: a person
  std::vector<ReplyVariant> empty;     // the message had no text
  std::vector<ReplyVariant> too_long;  // over the size limit, no crisis
  ReplyVariant error;                  // fail-safe when anything went wrong

  // Hand-off: one sentence added to a crisis reply saying who knows and when
  // they can answer, and what the guide says while a person has the
  // conversation.
  std::string notified_open;    // the clinic is open: someone will answer
  std::string notified_closed;  // recorded, but nobody reads it before opening
  std::string not_notified;     // nobody could be told; use the lines
  std::vector<ReplyVariant> holding;  // while handed off
  std::string released;               // a person handed the conversation back
  std::string timed_out;  // nobody answered in time; back to the guide
};

struct Content {
  std::vector<Intent> intents;
  ClinicSettings clinic;
  std::map<std::string, RegionResources> regions;
  SystemMessages system;

  // Returns the intent with `id`, or null.
  const Intent* Find(const std::string& id) const;
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_CONTENT_H_
