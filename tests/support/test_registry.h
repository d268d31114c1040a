#ifndef TIENDO_TESTS_SUPPORT_TEST_REGISTRY_H_
#define TIENDO_TESTS_SUPPORT_TEST_REGISTRY_H_

#include <utility>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "services/plan/text/agency_registry.h"

namespace tiendo::testing {

// The registry of units and agencies the plan service ships, loaded once
// per test binary; empty, with a test failure, when it does not load.
inline const plantext::AgencyRegistry& ShippedRegistry() {
  static const plantext::AgencyRegistry* const registry = [] {
    absl::StatusOr<plantext::AgencyRegistry> loaded =
        plantext::AgencyRegistry::FromJson(plantext::DefaultRegistryJson());
    if (!loaded.ok()) {
      ADD_FAILURE() << "the shipped registry does not load: "
                    << loaded.status();
      return new plantext::AgencyRegistry();
    }
    return new plantext::AgencyRegistry(*std::move(loaded));
  }();
  return *registry;
}

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_SUPPORT_TEST_REGISTRY_H_
