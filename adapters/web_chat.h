// WebChat: the JSON-over-HTTP chat API for the widget and for any clinic's
// own front end.
//
//   GET  /v1/web/clinic?locale=en-GB
//       -> 200 {"clinic_name": "...", "region": "US",
//               "emergency_number": "911", "resources": [...]}
//       What to show before the first message.
//   POST /v1/web/conversations
//       -> 201 {"conversation_id": "<32 hex digits>"}
//   POST /v1/web/conversations/{id}/messages
//       {"text": "...", "message_id": "<client id, optional>",
//        "locale": "en-GB" (optional)}
//       -> 200 {"messages": [...], "quick_replies": [...], "intent": "...",
//               "clarifying": false, "duplicate": false,
//               "escalation": {"escalated": ..., "category": ...,
//                              "handed_off": ..., "region": ...,
//                              "resources": [{"name", "number", "kind",
//                                             "note"}]}}
//   GET  /v1/web/conversations/{id}/events?after=SEQ&wait=SECONDS
//       -> 200 {"events": [{"seq", "sender", "author", "text"}],
//               "last_seq": SEQ}
//       Messages from a person at the clinic during a hand-off, and the
//       guide's notices. Answers at once when there are events after SEQ,
//       else waits up to SECONDS (default 25, at most 30): a long-poll.
//
// Conversation ids are issued by the server: 128 random bits, so knowing an
// id is what lets a browser read its conversation's events. A message_id
// repeated in a conversation gets the same reply again, marked duplicate,
// and changes nothing (a browser may resend after a network error).
//
// A body that is not the expected JSON is still screened: when it reads as
// a crisis it is answered as one, otherwise refused with 400. Browsers may
// call from the clinic's configured origins (CORS) and from the gateway's
// own origin; other origins get 403. Every answer carries
// Cache-Control: no-store.
#ifndef RECONNECT_ADAPTERS_WEB_CHAT_H_
#define RECONNECT_ADAPTERS_WEB_CHAT_H_

#include <memory>
#include <string>
#include <vector>

#include "adapters/guide_client.h"
#include "adapters/http_server.h"
#include "adapters/metrics.h"
#include "adapters/web_inbox.h"
#include "bot/clock.h"

namespace reconnect::adapters {

struct WebChatOptions {
  // Origins allowed to call from a browser, as "https://clinic.example".
  std::vector<std::string> allowed_origins;
  absl::Duration converse_deadline = absl::Seconds(10);
  absl::Duration max_wait = absl::Seconds(30);
};

class WebChat {
 public:
  // Every pointer must outlive the object.
  WebChat(WebChatOptions options, GuideClient* guide, WebInbox* inbox,
          Metrics* metrics, bot::Clock* clock);

  // Handles a request whose path starts with /v1/web/.
  void Handle(const Request& request, std::shared_ptr<Responder> responder);

 private:
  Response Clinic(const Request& request);
  Response Start();
  Response Send(const Request& request, const std::string& id);
  void Events(const Request& request, const std::string& id,
              std::shared_ptr<Responder> responder);
  // Whether a browser at the request's Origin may call; requests without
  // an Origin (curl, servers) may.
  bool OriginAllowed(const Request& request) const;

  WebChatOptions options_;
  GuideClient* guide_;
  WebInbox* inbox_;
  Metrics* metrics_;
  bot::Clock* clock_;
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_WEB_CHAT_H_
