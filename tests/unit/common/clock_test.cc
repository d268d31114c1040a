#include "services/common/clock.h"

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/proto_convert.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_values.h"
#include "tiendo/v1/common.pb.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;
using ::tiendo::testing::Date;
using ::tiendo::testing::UncheckedDate;
using ::tiendo::testing::Utc;

TEST(LocalZoneTest, IsSevenHoursAheadOfUtc) {
  const absl::TimeZone::CivilInfo info =
      LocalZone().At(Utc("2026-05-27T17:00:00Z"));
  EXPECT_EQ(info.offset, 7 * 60 * 60);
  EXPECT_FALSE(info.is_dst);
}

TEST(LocalDayTest, AroundLocalMidnight) {
  EXPECT_EQ(LocalDay(Utc("2026-05-27T16:59:59Z")), absl::CivilDay(2026, 5, 27));
  EXPECT_EQ(LocalDay(Utc("2026-05-27T17:00:00Z")), absl::CivilDay(2026, 5, 28));
  EXPECT_EQ(LocalDay(Utc("2026-05-28T16:59:59Z")), absl::CivilDay(2026, 5, 28));
  // New year's eve in UTC is already 1 January in Viet Nam.
  EXPECT_EQ(LocalDay(Utc("2026-12-31T18:00:00Z")), absl::CivilDay(2027, 1, 1));
}

TEST(StartOfLocalDayTest, IsLocalMidnight) {
  EXPECT_EQ(StartOfLocalDay(absl::CivilDay(2026, 5, 28)),
            Utc("2026-05-27T17:00:00Z"));
  EXPECT_EQ(StartOfLocalDay(absl::CivilDay(2026, 6, 1)),
            Utc("2026-05-31T17:00:00Z"));
  EXPECT_EQ(LocalDay(StartOfLocalDay(absl::CivilDay(2026, 2, 28))),
            absl::CivilDay(2026, 2, 28));
}

TEST(FormatLocalTest, Rfc3339WithOffset) {
  EXPECT_EQ(FormatLocal(Utc("2026-05-27T17:00:00Z")),
            "2026-05-28T00:00:00+07:00");
}

TEST(FromProtoTest, RejectsImpossibleDate) {
  absl::StatusOr<absl::CivilDay> day =
      FromProto(UncheckedDate(2026, 2, 31), "sections[0].tasks[0].due_date");
  ASSERT_FALSE(day.ok());
  EXPECT_EQ(day.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(day.status().message()),
              HasSubstr("sections[0].tasks[0].due_date"));
  EXPECT_THAT(std::string(day.status().message()), HasSubstr("2026-02-31"));

  EXPECT_FALSE(
      FromProto(UncheckedDate(2026, 2, 29), "d").ok());  // not a leap year
  EXPECT_FALSE(FromProto(UncheckedDate(2026, 13, 1), "d").ok());
  EXPECT_FALSE(FromProto(UncheckedDate(2026, 4, 0), "d").ok());
  EXPECT_FALSE(FromProto(UncheckedDate(0, 0, 0), "d").ok());
}

TEST(FromProtoTest, AcceptsRealDates) {
  EXPECT_THAT(FromProto(Date(2028, 2, 29), "d").value(),
              absl::CivilDay(2028, 2, 29));
  EXPECT_THAT(FromProto(Date(2026, 12, 31), "d").value(),
              absl::CivilDay(2026, 12, 31));
}

TEST(LocalDateTest, RoundTripAndIsSet) {
  const v1::LocalDate date = ToProto(absl::CivilDay(2026, 5, 10));
  EXPECT_EQ(date.year(), 2026);
  EXPECT_EQ(date.month(), 5);
  EXPECT_EQ(date.day(), 10);
  EXPECT_TRUE(IsSet(date));
  EXPECT_FALSE(IsSet(v1::LocalDate()));
}

TEST(FormatDayTest, IsoAndVietnamese) {
  EXPECT_EQ(FormatDay(absl::CivilDay(2026, 5, 1)), "2026-05-01");
  EXPECT_EQ(FormatDayVi(absl::CivilDay(2026, 5, 10)), "10/05/2026");
  EXPECT_EQ(FormatDayVi(absl::CivilDay(2027, 3, 31)), "31/03/2027");
  EXPECT_THAT(ParseDay("2026-05-31"), Optional(absl::CivilDay(2026, 5, 31)));
  EXPECT_EQ(ParseDay("31/05/2026"), std::nullopt);
}

TEST(ParseStatusTest, EnglishAndVietnameseWords) {
  EXPECT_THAT(ParseStatus("not_started"),
              Optional(v1::TASK_STATUS_NOT_STARTED));
  EXPECT_THAT(ParseStatus("in_progress"),
              Optional(v1::TASK_STATUS_IN_PROGRESS));
  EXPECT_THAT(ParseStatus("done"), Optional(v1::TASK_STATUS_DONE));
  EXPECT_THAT(ParseStatus("blocked"), Optional(v1::TASK_STATUS_BLOCKED));
  EXPECT_THAT(ParseStatus("chua_trien_khai"),
              Optional(v1::TASK_STATUS_NOT_STARTED));
  EXPECT_THAT(ParseStatus("dang_thuc_hien"),
              Optional(v1::TASK_STATUS_IN_PROGRESS));
  EXPECT_THAT(ParseStatus("hoan_thanh"), Optional(v1::TASK_STATUS_DONE));
  EXPECT_THAT(ParseStatus("vuong_mac"), Optional(v1::TASK_STATUS_BLOCKED));
  EXPECT_THAT(ParseStatus("DONE"), Optional(v1::TASK_STATUS_DONE));
  EXPECT_EQ(ParseStatus("finished"), std::nullopt);
  EXPECT_EQ(ParseStatus(""), std::nullopt);
}

TEST(StatusNameTest, RoundTripsThroughParseStatus) {
  for (v1::TaskStatus s :
       {v1::TASK_STATUS_NOT_STARTED, v1::TASK_STATUS_IN_PROGRESS,
        v1::TASK_STATUS_DONE, v1::TASK_STATUS_BLOCKED}) {
    EXPECT_THAT(ParseStatus(StatusName(s)), Optional(s));
  }
}

std::string StateFile(const std::string& name) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::remove(path.c_str());
  return path;
}

TEST(SimulatedClockTest, SetAndAdvance) {
  const absl::Time start = Utc("2026-05-25T01:00:00Z");
  SimulatedClock clock(start, "");
  EXPECT_EQ(clock.Now(), start);
  clock.Advance(absl::Hours(36));
  EXPECT_EQ(clock.Now(), Utc("2026-05-26T13:00:00Z"));
  clock.Set(Utc("2026-06-01T00:00:00Z"));
  EXPECT_EQ(clock.Now(), Utc("2026-06-01T00:00:00Z"));
}

TEST(SimulatedClockTest, StartsAtStartWithoutRememberedTime) {
  const absl::Time start = Utc("2026-05-25T01:00:00Z");
  SimulatedClock clock(start, StateFile("clock_fresh.state"));
  EXPECT_EQ(clock.Now(), start);
}

TEST(SimulatedClockTest, SecondClockContinuesFromStateFile) {
  const std::string path = StateFile("clock_remembered.state");
  const absl::Time start = Utc("2026-05-25T01:00:00Z");
  {
    SimulatedClock first(start, path);
    first.Set(Utc("2026-05-30T10:00:00Z"));
    first.Advance(absl::Minutes(90) + absl::Nanoseconds(5));
  }
  SimulatedClock second(start, path);
  EXPECT_EQ(second.Now(), Utc("2026-05-30T11:30:00Z") + absl::Nanoseconds(5));

  // And it keeps remembering.
  second.Advance(absl::Hours(24));
  SimulatedClock third(start, path);
  EXPECT_EQ(third.Now(), Utc("2026-05-31T11:30:00Z") + absl::Nanoseconds(5));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tiendo
