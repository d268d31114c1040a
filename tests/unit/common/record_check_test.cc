// Which Kafka records a consumer dead-letters instead of applying, and why.
#include "services/common/record_check.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;

std::string Rejection(const std::string& value) {
  v1::EventEnvelope event;
  return RecordRejection(value.data(), value.size(), event);
}

v1::EventEnvelope TaskUpdated() {
  v1::EventEnvelope e;
  e.set_event_id("e-1");
  e.set_type("tiendo.v1.TaskUpdated");
  e.set_schema_version(1);
  e.mutable_task_updated()->set_task_id("vt#I.1");
  return e;
}

TEST(RecordCheckTest, EventOfThisVersionIsApplied) {
  v1::EventEnvelope read;
  const std::string value = TaskUpdated().SerializeAsString();
  EXPECT_EQ(RecordRejection(value.data(), value.size(), read), "");
  EXPECT_EQ(read.task_updated().task_id(), "vt#I.1");

  v1::EventEnvelope unversioned = TaskUpdated();
  unversioned.clear_schema_version();
  EXPECT_EQ(Rejection(unversioned.SerializeAsString()), "");
}

TEST(RecordCheckTest, EmptyAndTombstoneRecordsAreRejected) {
  v1::EventEnvelope event;
  EXPECT_THAT(RecordRejection(nullptr, 0, event), HasSubstr("tombstone"));
  EXPECT_THAT(Rejection(""), HasSubstr("empty record"));
}

TEST(RecordCheckTest, UndecodableBytesAreRejected) {
  EXPECT_EQ(Rejection("\xff\xff\xff"),
            "undecodable: 3 bytes are not a tiendo.v1.EventEnvelope");
}

TEST(RecordCheckTest, UnknownTypeAndNewerSchemaAreRejected) {
  v1::EventEnvelope unknown = TaskUpdated();
  unknown.clear_task_updated();
  unknown.set_type("tiendo.v1.PlanAmended");
  EXPECT_EQ(Rejection(unknown.SerializeAsString()),
            "event e-1: type 'tiendo.v1.PlanAmended' carries no payload this "
            "consumer knows");

  v1::EventEnvelope newer = TaskUpdated();
  newer.set_schema_version(2);
  EXPECT_EQ(Rejection(newer.SerializeAsString()),
            "event e-1: schema_version 2 is newer than the 1 this consumer "
            "reads");
}

}  // namespace
}  // namespace tiendo
