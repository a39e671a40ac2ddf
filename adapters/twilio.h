// TwilioSmsChannel: SMS through Twilio Programmable Messaging as a Channel.
//
// Twilio POSTs each incoming SMS as an application/x-www-form-urlencoded
// form, signed in X-Twilio-Signature over the URL it called and every form
// field (see TwilioSignature). Receive() refuses with 403 a call whose
// signature is missing or wrong, as Twilio's own SDK middleware does, and a
// call from another account when an account SID is configured. The URL is
// rebuilt as public_url + request.target when public_url is set (needed
// behind a proxy that changes scheme, host or port), else from the scheme
// the request arrived on and its Host header.
//
// Replies go back in the webhook's own response as TwiML (ReplyInResponse()),
// so they need no API credentials; Send() is for messages written later by
// a person at the clinic, through the REST API.
//
// What an SMS looks like. A locked phone shows the start of every SMS on
// its screen, where anyone nearby can read it, so every SMS we write begins
// with the neutral preview line ("You have a new message.") and a blank
// line; the words of the reply follow. The bubbles are joined by blank
// lines (the first prefixed "author: " when a person wrote it), and quick
// replies become a numbered list, one "1 - label" line each, since SMS has
// no buttons: people answer with the digit, and the core maps a digit back
// to its label. The text is then cut, as SplitForSms does, into parts that
// each fit one SMS together with the preview line, which heads every part:
// each SMS arrives as a notification of its own.
//
// Thread-safe: the channel holds only its configuration.
#ifndef RECONNECT_ADAPTERS_TWILIO_H_
#define RECONNECT_ADAPTERS_TWILIO_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "adapters/channel.h"
#include "adapters/http_message.h"
#include "adapters/platform_api.h"

namespace reconnect::adapters {

struct TwilioConfig {
  // RECONNECT_TWILIO_AUTH_TOKEN: the key of every signature, and the
  // password of API calls. Empty means every webhook call is refused.
  std::string auth_token;
  // RECONNECT_TWILIO_ACCOUNT_SID. When set, an inbound AccountSid must
  // match it (else 403). Send() needs it.
  std::string account_sid;
  // RECONNECT_PUBLIC_URL, the address Twilio is configured with, as
  // scheme://host[:port][/prefix], e.g. "https://clinic.example". A trailing
  // '/' is ignored.
  std::string public_url;
  // RECONNECT_TWILIO_API_BASE; tests point it at a local fake.
  std::string api_base = "https://api.twilio.com";
  // The first line of every SMS we send. It must never say anything
  // sensitive; empty means none.
  std::string preview_line = "You have a new message.";
};

// Returns Twilio's signature of a request to `url` carrying `params`:
// base64(HMAC-SHA1(auth_token, url + every key + value)), the pairs sorted
// by key and then by value, byte-wise.
std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const Fields& params);

// Returns true when `signature` (X-Twilio-Signature) is Twilio's signature
// of `url` and `params`, compared in constant time. For a form POST, pass
// the form fields as `params`. For a JSON body, pass no params: the URL must
// then carry bodySHA256=<hex SHA-256 of body>, which must match too (a
// bodySHA256 in the URL is always checked, and a non-empty body with no
// params and no bodySHA256 never verifies). Like Twilio's SDK, the URL is
// also tried with the scheme's default port (https 443, http 80) added when
// it has none, or removed when it has that one. An empty token never
// verifies.
bool VerifyTwilioSignature(std::string_view auth_token, std::string_view url,
                           const Fields& params, std::string_view body,
                           std::string_view signature);

// Returns `text` cut into parts that each fit one SMS, at the last line
// break in the second half of a part, else at the last whitespace, else
// between two characters; never inside a UTF-8 sequence. A part holds 160
// GSM-7 septets when every character of `text` is in the GSM 03.38 alphabet
// (those of its extension table, such as '{' or '€', take two), else 70
// UTF-16 units (UCS-2). Parts are stripped of surrounding whitespace and
// never empty; blank text gives none.
std::vector<std::string> SplitForSms(std::string_view text);

class TwilioSmsChannel : public Channel {
 public:
  // `api` must outlive the channel; it is not owned.
  TwilioSmsChannel(TwilioConfig config, const PlatformApi* api);

  std::string_view name() const override { return "sms"; }

  // Returns 405 for a method other than POST; 403 when the signature is
  // missing or wrong, the AccountSid is not the configured one, or the
  // signed URL cannot be rebuilt (no public_url and no Host header);
  // otherwise 200 with an empty TwiML response and the SMS as one message:
  // conversation id To + ":" + From (our number, then theirs), message id
  // MessageSid, text Body. A verified call without a MessageSid, addresses
  // or text carries no message.
  Received Receive(const Request& request, absl::Time now) override;

  bool ReplyInResponse() const override { return true; }

  // Returns 200 text/xml TwiML with one <Message> per SMS of each reply, in
  // order; with nothing to send, exactly
  // <?xml version="1.0" encoding="UTF-8"?><Response />
  Response RenderResponse(const std::vector<Outbound>& replies) const override;

  // Sends `reply` to "OUR_NUMBER:THEIR_NUMBER" (the Receive() id), one API
  // call per SMS. Returns InvalidArgument for a malformed id,
  // FailedPrecondition without an account SID or auth token, and otherwise
  // the first failure, naming only the HTTP status and Twilio's error code;
  // the SMS after a failure are not sent.
  absl::Status Send(const std::string& conversation_id,
                    const Outbound& reply) override;

 private:
  std::vector<std::string> SmsParts(const Outbound& reply) const;

  TwilioConfig config_;
  const PlatformApi* api_;
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_TWILIO_H_
