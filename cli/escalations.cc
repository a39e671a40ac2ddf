// `reconnect escalations`: escalations for people at the clinic, from the
// command line: list, show, acknowledge, reply, release, resolve.
#include <iostream>
#include <nlohmann/json.hpp>

#include "absl/time/clock.h"
#include "bot/sqlite_escalation_store.h"
#include "cli/commands.h"

namespace reconnect::cli {
namespace {

std::string Rfc3339(absl::Time t) {
  if (t == absl::InfinitePast()) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

nlohmann::json ToJson(const bot::Escalation& e) {
  return {{"id", e.id},
          {"conversation_id", e.conversation_id},
          {"channel", e.channel},
          {"category", e.category},
          {"rule", e.rule},
          {"region", e.region},
          {"state", bot::StateName(e.state)},
          {"created_at", Rfc3339(e.created_at)},
          {"updated_at", Rfc3339(e.updated_at)},
          {"acknowledged_by", e.acknowledged_by},
          {"webhook_state", bot::WebhookStateName(e.webhook)},
          {"webhook_attempts", e.webhook_attempts},
          {"webhook_last_error", e.webhook_last_error},
          {"reminders", e.reminders},
          {"trigger_text", e.trigger_text}};
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void PrintLine(const bot::Escalation& e) {
  std::cout << e.id << "  " << Rfc3339(e.created_at) << "  " << e.category
            << "  " << bot::StateName(e.state) << "  " << e.channel << "/"
            << e.conversation_id << "  webhook "
            << bot::WebhookStateName(e.webhook) << "\n";
}

struct Flags {
  std::string data_dir = "var";
  bool json = false;
  std::vector<std::string> states;
  std::string id;
  std::string person;
  std::string text;
  ContentFlags content;
};

int List(const Flags& f) {
  auto store = bot::SqliteEscalationStore::Open(f.data_dir);
  if (!store.ok()) {
    std::cerr << "reconnect: " << store.status().message() << "\n";
    return 2;
  }
  std::vector<bot::EscalationState> states;
  for (const auto& name : f.states) {
    auto state = bot::ParseState(name);
    if (!state) {
      std::cerr << "reconnect: unknown state '" << name << "'\n";
      return 2;
    }
    states.push_back(*state);
  }
  auto list = (*store)->List(states, 1000000);
  if (!list.ok()) {
    std::cerr << "reconnect: " << list.status().message() << "\n";
    return 1;
  }
  for (const auto& e : *list) {
    if (f.json) {
      std::cout << Dump(ToJson(e)) << "\n";
    } else {
      PrintLine(e);
    }
  }
  return 0;
}

int Show(const Flags& f) {
  auto store = bot::SqliteEscalationStore::Open(f.data_dir);
  if (!store.ok()) {
    std::cerr << "reconnect: " << store.status().message() << "\n";
    return 2;
  }
  auto e = (*store)->Get(f.id);
  if (!e.ok()) {
    std::cerr << "reconnect: " << e.status().message() << "\n";
    return 1;
  }
  auto messages = (*store)->Messages(f.id);
  nlohmann::json out = ToJson(*e);
  out["messages"] = nlohmann::json::array();
  if (messages.ok()) {
    for (const auto& m : *messages) {
      out["messages"].push_back({{"seq", m.seq},
                                 {"sender", bot::SenderName(m.sender)},
                                 {"author", m.author},
                                 {"text", m.text},
                                 {"created_at", Rfc3339(m.created_at)}});
    }
  }
  if (f.json) {
    std::cout << Dump(out) << "\n";
    return 0;
  }
  PrintLine(*e);
  std::cout << "  triggered by: " << e->trigger_text << "\n";
  for (const auto& m : out["messages"]) {
    std::cout << "  [" << m["created_at"].get<std::string>() << "] "
              << m["sender"].get<std::string>() << ": "
              << m["text"].get<std::string>() << "\n";
  }
  return 0;
}

// The actions that change state go through the hand-off desk, so the user is
// told on release exactly as through the operator API.
int Act(const Flags& f, const std::string& action) {
  if (f.person.empty()) {
    std::cerr << "reconnect: --person is required: staff see who acted\n";
    return 2;
  }
  auto store = bot::SqliteEscalationStore::Open(f.data_dir);
  if (!store.ok()) {
    std::cerr << "reconnect: " << store.status().message() << "\n";
    return 2;
  }
  bot::GuideOptions options;
  options.escalations = store->get();
  const std::string dir = f.content.intents_dir.empty() ? DefaultIntentsDir()
                                                        : f.content.intents_dir;
  auto guide = bot::Guide::Create(dir, f.content.clinic_file, options);
  if (!guide.ok()) {
    std::cerr << "reconnect: " << guide.status().message() << "\n";
    return 2;
  }
  bot::HandoffDesk* desk = (*guide)->handoff();
  absl::Status status;
  if (action == "ack") {
    status = desk->Acknowledge(f.id, f.person).status();
  } else if (action == "resolve") {
    status = desk->Resolve(f.id, f.person).status();
  } else if (action == "release") {
    status = desk->Release(f.id, f.person).status();
  } else if (action == "reply") {
    status = desk->SendToUser(f.id, f.person, f.text).status();
  }
  if (!status.ok()) {
    std::cerr << "reconnect: " << status.message() << "\n";
    return 1;
  }
  std::cerr << "reconnect: " << action << " " << f.id << ": done\n";
  return 0;
}

}  // namespace

void AddEscalationsCommand(CLI::App* app, int* exit_code) {
  auto* command = app->add_subcommand(
      "escalations",
      "List, show and act on escalations recorded in the data folder.");
  command->require_subcommand(1);
  auto flags = std::make_shared<Flags>();
  auto add_common = [flags](CLI::App* sub) {
    sub->add_option("--data-dir", flags->data_dir,
                    "Folder holding escalations.db")
        ->capture_default_str();
  };
  auto* list = command->add_subcommand(
      "list",
      "List escalations, newest first; --json prints one JSON object "
      "per escalation per line.");
  add_common(list);
  list->add_flag("--json", flags->json, "One JSON object per line");
  list->add_option("--state", flags->states,
                   "Only these states: open, acknowledged, released, "
                   "timed_out, resolved");
  list->callback([flags, exit_code] { *exit_code = List(*flags); });

  auto* show =
      command->add_subcommand("show", "Show one escalation with its messages.");
  add_common(show);
  show->add_option("id", flags->id, "Escalation id")->required();
  show->add_flag("--json", flags->json, "As one JSON object");
  show->callback([flags, exit_code] { *exit_code = Show(*flags); });

  const std::pair<const char*, const char*> actions[] = {
      {"ack", "Acknowledge: a person takes the escalation (stops reminders)."},
      {"reply", "Send a message to the user through their channel."},
      {"release", "Hand the conversation back to the guide; the user is told."},
      {"resolve", "Close the escalation."}};
  for (const auto& [name, help] : actions) {
    auto* sub = command->add_subcommand(name, help);
    add_common(sub);
    sub->add_option("id", flags->id, "Escalation id")->required();
    sub->add_option("--person", flags->person, "Who acts, as staff will see it")
        ->required();
    sub->add_option("--intents", flags->content.intents_dir,
                    "Intents folder (for the messages users are sent)");
    if (std::string(name) == "reply") {
      sub->add_option("--text", flags->text, "The message")->required();
    }
    const std::string action = name;
    sub->callback(
        [flags, exit_code, action] { *exit_code = Act(*flags, action); });
  }
}

}  // namespace reconnect::cli
