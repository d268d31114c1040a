#ifndef TIENDO_SERVICES_COMMON_TOPICS_H_
#define TIENDO_SERVICES_COMMON_TOPICS_H_

#include <array>

#include "absl/strings/string_view.h"

namespace tiendo {

// The Kafka topics, in one place. The embedded broker creates kAllTopics;
// the deploy files and READMEs that name topics are checked against this
// list by the topic_list test (tests/unit/common/topic_list_test.cc), so adding
// a topic here fails that test until they list it too.
inline constexpr char kPlanChangedTopic[] = "tiendo.plan-changed.v1";
inline constexpr char kTaskUpdatedTopic[] = "tiendo.task-updated.v1";
inline constexpr char kDeadlineApproachingTopic[] =
    "tiendo.deadline-approaching.v1";
inline constexpr char kAccountChangedTopic[] = "tiendo.account-changed.v1";
inline constexpr char kDeadLetterTopic[] = "tiendo.dlq.v1";

inline constexpr std::array<absl::string_view, 5> kAllTopics = {
    kPlanChangedTopic, kTaskUpdatedTopic, kDeadlineApproachingTopic,
    kAccountChangedTopic, kDeadLetterTopic};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_TOPICS_H_
