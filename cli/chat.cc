// `reconnect chat`: a conversation in the terminal, with the guide in this
// process or on a running server.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "reconnect/v1/guide.grpc.pb.h"
#include "service/guide_service.h"

namespace reconnect::cli {
namespace {

using reconnect::v1::ConverseReply;
using reconnect::v1::ConverseRequest;
using Send =
    std::function<grpc::Status(const ConverseRequest&, ConverseReply*)>;

std::mutex output_mutex;  // replies and a person's messages share the screen

void PrintDelivery(const reconnect::v1::Delivery& d) {
  std::lock_guard<std::mutex> lock(output_mutex);
  if (d.sender() == "operator") {
    std::cout << "person" << (d.author().empty() ? "" : " (" + d.author() + ")")
              << "> " << d.text() << "\n"
              << std::flush;
  } else {
    std::cout << "guide> " << d.text() << "\n" << std::flush;
  }
}

// Shows what a person at the clinic writes during a hand-off, as it arrives.
class DeliveryPrinter {
 public:
  // In this process: polls the store.
  DeliveryPrinter(bot::HandoffDesk* desk, std::string conversation)
      : thread_([this, desk, conversation] {
          int64_t cursor = LatestSeq(desk);
          while (!stop_) {
            const uint64_t seen = desk->changes().version();
            auto batch = desk->store()->OutboundSince(cursor, "cli", 100);
            if (batch.ok()) {
              for (const auto& m : *batch) {
                cursor = m.seq;
                if (m.conversation_id != conversation) continue;
                reconnect::v1::Delivery d;
                d.set_text(m.text);
                d.set_sender(bot::SenderName(m.sender));
                d.set_author(m.author);
                PrintDelivery(d);
              }
            }
            desk->changes().WaitForChange(seen, absl::Milliseconds(200));
          }
        }) {}
  // Against a server: reads its Deliveries stream.
  DeliveryPrinter(reconnect::v1::Guide::Stub* stub, std::string conversation)
      : thread_([this, stub, conversation] {
          reconnect::v1::DeliveriesRequest request;
          request.set_channel("cli");
          // A new conversation id: older messages all belong to others.
          auto reader = stub->Deliveries(&context_, request);
          reconnect::v1::Delivery d;
          while (reader->Read(&d)) {
            if (d.conversation_id() == conversation) PrintDelivery(d);
          }
        }) {}
  ~DeliveryPrinter() {
    stop_ = true;
    context_.TryCancel();
    thread_.join();
  }

 private:
  static int64_t LatestSeq(bot::HandoffDesk* desk) {
    int64_t latest = 0;
    while (true) {
      auto batch = desk->store()->OutboundSince(latest, "", 1000);
      if (!batch.ok() || batch->empty()) return latest;
      latest = batch->back().seq;
    }
  }

  std::atomic<bool> stop_{false};
  grpc::ClientContext context_;
  std::thread thread_;
};

void Print(const ConverseReply& reply) {
  std::lock_guard<std::mutex> lock(output_mutex);
  for (const auto& m : reply.messages()) std::cout << "guide> " << m << "\n";
  const auto& e = reply.escalation();
  if (e.escalated()) {
    std::cout << "       -- Help now"
              << (e.region().empty() ? "" : absl::StrCat(" (", e.region(), ")"))
              << " --\n";
    for (const auto& r : e.resources()) {
      std::cout << "       " << r.name() << ": " << r.number()
                << (r.note().empty() ? "" : absl::StrCat(" (", r.note(), ")"))
                << "\n";
    }
  }
  for (int i = 0; i < reply.quick_replies_size(); ++i) {
    std::cout << "  [" << (i + 1) << "] " << reply.quick_replies(i).label()
              << "\n";
  }
}

int RunChat(const ContentFlags& flags, const std::string& server,
            const std::string& locale) {
  std::unique_ptr<service::Embedded> embedded;
  std::unique_ptr<reconnect::v1::Guide::Stub> stub;
  Send send;
  if (server.empty()) {
    embedded = StartEmbedded(flags);
    if (embedded == nullptr) return 2;
    send = [guide = embedded->guide()](const ConverseRequest& request,
                                       ConverseReply* reply) {
      auto answer = guide->Converse(service::FromProto(request));
      if (!answer.ok()) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            std::string(answer.status().message()));
      }
      service::ToProto(*answer, reply);
      return grpc::Status::OK;
    };
  } else {
    stub = reconnect::v1::Guide::NewStub(
        grpc::CreateChannel(server, grpc::InsecureChannelCredentials()));
    send = [&stub](const ConverseRequest& request, ConverseReply* reply) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(10));
      return stub->Converse(&context, request, reply);
    };
  }
  const bool interactive = isatty(STDIN_FILENO);
  std::cout << "Reconnect guide. Not a therapist and not for emergencies.\n"
            << "Type a message, a number to pick a suggestion, or /quit.\n";
  std::random_device random;
  const std::string conversation = absl::StrCat("chat-", random());
  std::unique_ptr<DeliveryPrinter> printer;
  if (embedded != nullptr) {
    printer = std::make_unique<DeliveryPrinter>(embedded->guide()->handoff(),
                                                conversation);
  } else {
    printer = std::make_unique<DeliveryPrinter>(stub.get(), conversation);
  }
  ConverseReply last;
  std::string line;
  int turn = 0;
  while (true) {
    if (interactive) std::cout << "you> " << std::flush;
    if (!std::getline(std::cin, line)) break;
    if (line == "/quit" || line == "/exit") break;
    int pick = 0;
    if (absl::SimpleAtoi(line, &pick) && pick >= 1 &&
        pick <= last.quick_replies_size()) {
      line = last.quick_replies(pick - 1).label();
      std::cout << "you> " << line << "\n";
    } else if (!interactive) {
      std::cout << "you> " << line << "\n";
    }
    ConverseRequest request;
    request.set_channel("cli");
    request.set_conversation_id(conversation);
    request.set_platform_message_id(absl::StrCat(++turn));
    request.set_text_bytes(line);
    request.set_locale(locale);
    ConverseReply reply;
    grpc::Status status = send(request, &reply);
    if (!status.ok()) {
      std::lock_guard<std::mutex> lock(output_mutex);
      std::cout << "(" << status.error_message() << ")\n";
      continue;
    }
    Print(reply);
    last = reply;
  }
  return 0;
}

}  // namespace

void AddChatCommand(CLI::App* app, int* exit_code) {
  auto* command = app->add_subcommand(
      "chat",
      "Talk with the guide in the terminal (in this process, or with "
      "--server against a running `reconnect serve`).");
  auto flags = std::make_shared<ContentFlags>();
  auto server = std::make_shared<std::string>();
  auto locale = std::make_shared<std::string>();
  AddContentFlags(command, flags.get());
  AddRuntimeFlags(command, flags.get());
  command->add_option("--server", *server,
                      "host:port of a running guide (default: in-process)");
  command->add_option(
      "--locale", *locale,
      "Your language tag, such as en-GB; picks crisis resources");
  command->callback([flags, server, locale, exit_code] {
    *exit_code = RunChat(*flags, *server, *locale);
  });
}

}  // namespace reconnect::cli
