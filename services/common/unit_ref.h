#ifndef TIENDO_SERVICES_COMMON_UNIT_REF_H_
#define TIENDO_SERVICES_COMMON_UNIT_REF_H_

#include "services/common/enum_words.h"
#include "tiendo/v1/common.pb.h"

namespace tiendo {

// A unit's level as an event or a stored record names it. Records written
// before the level was an enum carry it only as text (field 3), and stay
// readable for as long as a topic or a store keeps them.
inline v1::UnitLevel LevelOf(const v1::UnitRef& unit) {
  if (unit.level() != v1::UNIT_LEVEL_UNSPECIFIED) return unit.level();
  return EnumFromWord<v1::UnitLevel>(unit.level_text())
      .value_or(v1::UNIT_LEVEL_UNSPECIFIED);
}

// Writes the level both ways, so a reader of the text form still sees it.
inline void SetLevel(v1::UnitLevel level, v1::UnitRef& unit) {
  unit.set_level(level);
  unit.set_level_text(EnumWord(level));
}

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_UNIT_REF_H_
