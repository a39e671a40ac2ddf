#include "bot/renderer.h"

#include "tests/testutil.h"

namespace reconnect::bot {
namespace {

using reconnect::testing::FixtureContent;

TEST(Renderer, FillsClinicAndRegionPlaceholders) {
  Content content = FixtureContent();
  ManualClock clock;
  Renderer renderer(content, &clock);
  EXPECT_EQ(renderer.Fill("Call {clinic_name} on {phone} ({hours}), or "
                          "book at {booking_url}.",
                          "US"),
            "Call Test Clinic on 555 0100 (9 to 5), or book at "
            "https://clinic.test/book.");
  EXPECT_EQ(renderer.Fill("{emergency_number} / {crisis_line}", "UK"),
            "999 / 116 123");
  EXPECT_EQ(renderer.Fill("No placeholders.", "US"), "No placeholders.");
}

TEST(Renderer, RegionComesFromLocaleThenClinicDefault) {
  Content content = FixtureContent();
  ManualClock clock;
  Renderer renderer(content, &clock);
  EXPECT_EQ(renderer.RegionFor("en-GB"), "UK");
  EXPECT_EQ(renderer.RegionFor("en_us"), "US");
  EXPECT_EQ(renderer.RegionFor("en"), "US");  // clinic default
  EXPECT_EQ(renderer.RegionFor(""), "US");
  EXPECT_EQ(renderer.RegionFor("ja-JP"), "");  // a country with no resources
  EXPECT_EQ(renderer.RegionFor("zh-Hant-TW"), "");
}

TEST(Renderer, EuMembersShareTheEuEntryUnlessListed) {
  Content content = FixtureContent();
  content.regions["EU"] = {"EU", "112", "x", {}};
  content.regions["FR"] = {"FR", "112", "3114", {}};
  ManualClock clock;
  Renderer renderer(content, &clock);
  EXPECT_EQ(renderer.RegionFor("de-DE"), "EU");
  EXPECT_EQ(renderer.RegionFor("fr-FR"), "FR");
}

TEST(Renderer, UnknownRegionGetsGeneralResources) {
  Content content = FixtureContent();
  content.clinic.default_region = "";
  ManualClock clock;
  Renderer renderer(content, &clock);
  EXPECT_EQ(renderer.RegionFor("en"), "");
  EXPECT_EQ(renderer.Fill("{emergency_number}", ""),
            "your local emergency number");
  EXPECT_EQ(renderer.ResourcesFor("XX").resources[0].name, "Find a helpline");
}

}  // namespace
}  // namespace reconnect::bot
