#ifndef TIENDO_SERVICES_COMMON_ENUM_WORDS_H_
#define TIENDO_SERVICES_COMMON_ENUM_WORDS_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>

#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace tiendo {

// The API's closed sets are enums whose values share a prefix
// (UNIT_LEVEL_COMMUNE, NOTIFICATION_KIND_AT_RISK); people, files, templates
// and webhook bodies name them by the rest in lower case ("commune",
// "at_risk"). One rule for every enum keeps the words and the values from
// drifting apart.

namespace enum_words_internal {
// "UNIT_LEVEL_", from the zero value every enum has (UNIT_LEVEL_UNSPECIFIED).
inline std::string Prefix(const google::protobuf::EnumDescriptor& d) {
  std::string zero = d.FindValueByNumber(0)->name();
  return zero.substr(0, zero.size() - std::string("UNSPECIFIED").size());
}
}  // namespace enum_words_internal

// "commune" for UNIT_LEVEL_COMMUNE; "" for the zero value or an unknown
// number.
template <typename E>
std::string EnumWord(E value) {
  const google::protobuf::EnumDescriptor* d =
      google::protobuf::GetEnumDescriptor<E>();
  const google::protobuf::EnumValueDescriptor* v =
      d->FindValueByNumber(static_cast<int>(value));
  if (v == nullptr || v->number() == 0) return "";
  std::string prefix = enum_words_internal::Prefix(*d);
  return absl::AsciiStrToLower(
      absl::string_view(v->name()).substr(prefix.size()));
}

// UNIT_LEVEL_COMMUNE for "commune" (any case); nullopt for a word that
// names no value, and for "unspecified".
template <typename E>
std::optional<E> EnumFromWord(absl::string_view word) {
  const google::protobuf::EnumDescriptor* d =
      google::protobuf::GetEnumDescriptor<E>();
  std::string name = absl::StrCat(enum_words_internal::Prefix(*d),
                                  absl::AsciiStrToUpper(word));
  const google::protobuf::EnumValueDescriptor* v = d->FindValueByName(name);
  if (word.empty() || v == nullptr || v->number() == 0) return std::nullopt;
  return static_cast<E>(v->number());
}

// Every word of the enum, in the order of its values: for messages that
// list what is accepted.
template <typename E>
std::string EnumWords(absl::string_view separator = ", ") {
  const google::protobuf::EnumDescriptor* d =
      google::protobuf::GetEnumDescriptor<E>();
  std::string out;
  for (int i = 0; i < d->value_count(); ++i) {
    if (d->value(i)->number() == 0) continue;
    absl::StrAppend(&out, out.empty() ? "" : separator,
                    EnumWord(static_cast<E>(d->value(i)->number())));
  }
  return out;
}

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_ENUM_WORDS_H_
