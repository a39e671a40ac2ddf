#include "bot/renderer.h"

#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace reconnect::bot {
namespace {

bool IsEuMember(const std::string& country) {
  static const auto* members = new std::set<std::string>{
      "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI",
      "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
      "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"};
  return members->count(country) > 0;
}

// Returns the region subtag of a BCP 47 tag ("en-GB" -> "GB"), upper-cased,
// or "" when it has none.
std::string CountryOf(std::string_view locale) {
  // This abseil's string_view is its own type, not std::string_view.
  std::vector<absl::string_view> parts = absl::StrSplit(
      absl::string_view(locale.data(), locale.size()), absl::ByAnyChar("-_"));
  // The first subtag is the language; the region is a later two-letter one.
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].size() == 2 && absl::ascii_isalpha(parts[i][0]) &&
        absl::ascii_isalpha(parts[i][1])) {
      return absl::AsciiStrToUpper(std::string(parts[i]));
    }
  }
  return "";
}

}  // namespace

std::string Renderer::RegionFor(std::string_view locale) const {
  const auto has = [this](const std::string& r) {
    return content_.regions.count(r) > 0;
  };
  std::string country = CountryOf(locale);
  if (!country.empty()) {
    if (has(country)) return country;
    if (country == "GB" && has("UK")) return "UK";
    if (IsEuMember(country) && has("EU")) return "EU";
    // A known country the clinic has no resources for: the person is not in
    // the clinic's default region either, so use the general resources.
    return "";
  }
  if (has(content_.clinic.default_region))
    return content_.clinic.default_region;
  return "";
}

const RegionResources& Renderer::ResourcesFor(const std::string& region) const {
  auto it = content_.regions.find(region);
  if (it == content_.regions.end()) it = content_.regions.find("");
  if (it == content_.regions.end()) {
    static const RegionResources* none = new RegionResources;
    return *none;
  }
  return it->second;
}

std::string Renderer::Fill(std::string_view text,
                           const std::string& region) const {
  const RegionResources& r = ResourcesFor(region);
  const OpeningHours& hours = content_.clinic.opening_hours;
  const std::string next_open =
      text.find("{next_open}") == std::string_view::npos
          ? ""
          : hours.Describe(hours.NextOpening(clock_->Now()));
  return absl::StrReplaceAll(
      absl::string_view(text.data(), text.size()),
      {{"{clinic_name}", content_.clinic.name},
       {"{booking_url}", content_.clinic.booking_url},
       {"{phone}", content_.clinic.phone},
       {"{hours}", content_.clinic.hours},
       {"{emergency_number}", r.emergency_number},
       {"{crisis_line}", r.crisis_line},
       {"{response_time}", content_.clinic.response_time},
       {"{next_open}", next_open}});
}

std::vector<std::string> Renderer::Fill(const std::vector<std::string>& texts,
                                        const std::string& region) const {
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(Fill(t, region));
  return out;
}

}  // namespace reconnect::bot
