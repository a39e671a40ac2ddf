// `reconnect chat`: a conversation in the terminal, with the guide in this
// process or on a running server.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <functional>
#include <iostream>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "reconnect/v1/guide.grpc.pb.h"
#include "service/guide_service.h"

namespace reconnect::cli {
namespace {

using reconnect::v1::ConverseReply;
using reconnect::v1::ConverseRequest;
using Send = std::function<grpc::Status(const ConverseRequest&, ConverseReply*)>;

void Print(const ConverseReply& reply) {
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
  std::unique_ptr<bot::Guide> guide;
  std::unique_ptr<reconnect::v1::Guide::Stub> stub;
  Send send;
  if (server.empty()) {
    guide = LoadGuide(flags);
    if (guide == nullptr) return 2;
    send = [&guide](const ConverseRequest& request, ConverseReply* reply) {
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
      "chat", "Talk with the guide in the terminal (in this process, or with "
              "--server against a running `reconnect serve`).");
  auto flags = std::make_shared<ContentFlags>();
  auto server = std::make_shared<std::string>();
  auto locale = std::make_shared<std::string>();
  AddContentFlags(command, flags.get());
  command->add_option("--server", *server,
                      "host:port of a running guide (default: in-process)");
  command->add_option("--locale", *locale,
                      "Your language tag, such as en-GB; picks crisis resources");
  command->callback([flags, server, locale, exit_code] {
    *exit_code = RunChat(*flags, *server, *locale);
  });
}

}  // namespace reconnect::cli
