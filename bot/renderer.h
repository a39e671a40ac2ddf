// Renderer: the last stage, which turns authored reply text into what is sent.
//
// Replies in intents/ may hold placeholders that are filled here:
//   {clinic_name} {booking_url} {phone} {hours}   from clinic.yaml
//   {emergency_number} {crisis_line}              from resources.yaml, for
//                                                 the conversation's region
//   {response_time} {next_open}                   from the clinic's opening
//                                                 hours, at the clock's time
// The renderer only substitutes; it never writes words of its own. Unknown
// placeholders cannot reach it, because the loader rejects them.
//
// The region comes from the message's locale ("en-GB" -> "UK", "fr-FR" ->
// "EU" unless the clinic lists "FR" itself), else the clinic's default
// region, else unknown (""), whose resources are the general ones.
//
// Thread-safe; holds a reference to the content, which must outlive it.
#ifndef RECONNECT_BOT_RENDERER_H_
#define RECONNECT_BOT_RENDERER_H_

#include <string>
#include <string_view>
#include <vector>

#include "bot/clock.h"
#include "bot/content.h"

namespace reconnect::bot {

class Renderer {
 public:
  // `clock` (for {next_open}) must outlive the renderer.
  Renderer(const Content& content, Clock* clock)
      : content_(content), clock_(clock) {}

  // Returns the region whose resources apply to a person writing with
  // `locale` (a BCP 47 tag, possibly empty): a key of content.regions.
  std::string RegionFor(std::string_view locale) const;

  // Returns the resources of `region`, or the general ones when the region
  // has none.
  const RegionResources& ResourcesFor(const std::string& region) const;

  // Returns `text` with every placeholder filled for `region`.
  std::string Fill(std::string_view text, const std::string& region) const;
  std::vector<std::string> Fill(const std::vector<std::string>& texts,
                                const std::string& region) const;

 private:
  const Content& content_;
  Clock* clock_;
};

}  // namespace reconnect::bot

#endif  // RECONNECT_BOT_RENDERER_H_
