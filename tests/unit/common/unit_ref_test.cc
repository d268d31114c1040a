// A unit's level in events and stored records, from before and after the
// level became an enum.
#include "services/common/unit_ref.h"

#include "gtest/gtest.h"
#include "services/common/enum_words.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo {
namespace {

TEST(UnitRefTest, LevelIsWrittenAsEnumAndAsText) {
  v1::UnitRef unit;
  SetLevel(v1::UNIT_LEVEL_COMMUNE, unit);
  EXPECT_EQ(unit.level(), v1::UNIT_LEVEL_COMMUNE);
  EXPECT_EQ(unit.level_text(), "commune");
  EXPECT_EQ(LevelOf(unit), v1::UNIT_LEVEL_COMMUNE);
}

TEST(UnitRefTest, RecordFromBeforeTheEnumKeepsItsLevel) {
  // The bytes of UnitRef{code: "vinh-thuy", level: "commune"} as written
  // when the level was a string in field 3.
  v1::UnitRef before;
  before.set_code("vinh-thuy");
  before.set_level_text("commune");
  v1::UnitRef read;
  ASSERT_TRUE(read.ParseFromString(before.SerializeAsString()));
  EXPECT_EQ(read.level(), v1::UNIT_LEVEL_UNSPECIFIED);
  EXPECT_EQ(LevelOf(read), v1::UNIT_LEVEL_COMMUNE);
}

TEST(UnitRefTest, EnumWinsOverText) {
  v1::UnitRef unit;
  unit.set_level(v1::UNIT_LEVEL_PROVINCE);
  unit.set_level_text("commune");
  EXPECT_EQ(LevelOf(unit), v1::UNIT_LEVEL_PROVINCE);
}

TEST(EnumWordsTest, WordsRoundTripAndUnknownWordsAreRefused) {
  EXPECT_EQ(EnumWord(v1::NOTIFICATION_KIND_AT_RISK), "at_risk");
  EXPECT_EQ(EnumFromWord<v1::NotificationKind>("AT_RISK"),
            v1::NOTIFICATION_KIND_AT_RISK);
  EXPECT_EQ(EnumWord(v1::UNIT_LEVEL_UNSPECIFIED), "");
  EXPECT_FALSE(EnumFromWord<v1::UnitLevel>("unspecified").has_value());
  EXPECT_FALSE(EnumFromWord<v1::UnitLevel>("").has_value());
  EXPECT_FALSE(EnumFromWord<v1::UnitLevel>("district").has_value());
  EXPECT_EQ(EnumWords<v1::UnitLevel>(), "country, province, commune");
}

}  // namespace
}  // namespace tiendo
