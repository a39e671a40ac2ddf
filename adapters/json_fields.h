// Reading and writing the JSON that platforms exchange with the channels,
// without ever throwing.
//
// Webhook bodies come from the network and API answers from services we do
// not control, so nothing may be assumed about their shape: every accessor
// here returns null (or false) for a value that is missing or of another
// type, and for an `object` that is not a JSON object at all. Pointers
// returned point into `object` and live as long as it does.
#ifndef RECONNECT_ADAPTERS_JSON_FIELDS_H_
#define RECONNECT_ADAPTERS_JSON_FIELDS_H_

#include <nlohmann/json.hpp>
#include <string>

namespace reconnect::adapters {

// Returns object[key] when `object` is an object holding `key`, else null.
inline const nlohmann::json* Member(const nlohmann::json& object,
                                    const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// Returns object[key] when it exists and is a string, else null.
inline const std::string* StringMember(const nlohmann::json& object,
                                       const char* key) {
  const nlohmann::json* value = Member(object, key);
  return value == nullptr ? nullptr : value->get_ptr<const std::string*>();
}

// Returns object[outer][inner] when both exist and it is a string, else
// null.
inline const std::string* NestedString(const nlohmann::json& object,
                                       const char* outer, const char* inner) {
  const nlohmann::json* value = Member(object, outer);
  return value == nullptr ? nullptr : StringMember(*value, inner);
}

// True when object[key] is the boolean true; a missing flag, or one sent as
// a string or number, is false.
inline bool IsTrue(const nlohmann::json& object, const char* key) {
  const nlohmann::json* value = Member(object, key);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

// True when object[key] is the boolean false, as in an API's "ok": false.
inline bool IsFalse(const nlohmann::json& object, const char* key) {
  const nlohmann::json* value = Member(object, key);
  return value != nullptr && value->is_boolean() && !value->get<bool>();
}

// Serialises `json` compactly. dump() would throw on invalid UTF-8, which
// our text may hold (it comes from people and content files); such bytes
// are replaced with U+FFFD instead.
inline std::string DumpJson(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_JSON_FIELDS_H_
