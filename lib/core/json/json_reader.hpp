#pragma once
// Strict reading of JSON objects for the configuration and the JSON forms of plans and updates:
// every key must be known, every value of the right type, and every complaint names the dotted key
// ("llm.timeout_s") so that a user can find it. Internal to lib/config (and capi/).
#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace contentgen::jsonread {

// Parses `text` as one JSON value. Throws Error{invalid_argument, field `what`} with the line and
// column of the first syntax error.
boost::json::value parse(std::string_view text, std::string_view what);

// `path` joined with `key` by a dot ("" + "llm" = "llm").
std::string join(std::string_view path, std::string_view key);

// The closest of `candidates` to `key` when it looks like a typo (edit distance <= 2), else "".
std::string closest_key(std::string_view key, const std::vector<std::string_view>& candidates);

// Reads the members of one object. Each accessor marks its key as known; finish() rejects any key
// not asked for. A JSON null reads as absent.
class ObjectReader {
 public:
  // Throws invalid_argument naming `path` unless `value` is an object.
  ObjectReader(const boost::json::value& value, std::string path);

  const std::string& path() const noexcept { return path_; }
  std::string path_of(std::string_view key) const { return join(path_, key); }
  bool has(std::string_view key);  // present and not null (marks the key known)

  std::optional<std::string> string(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<double> number(std::string_view key, double min, double max);
  std::optional<std::vector<std::string>> string_array(std::string_view key);
  // Object of string values, in document order.
  std::optional<std::vector<std::pair<std::string, std::string>>> string_map(std::string_view key);
  // The raw value (object, array, anything), or nullptr.
  const boost::json::value* raw(std::string_view key);
  // Marks keys known without reading them (e.g. "$schema").
  void ignore(std::string_view key);
  // Throws invalid_argument naming `key` with `message` if it is present (even as null).
  void reject(std::string_view key, const std::string& message) const;

  // Throws invalid_argument naming the first unknown key, suggesting the closest known one.
  void finish() const;

 private:
  const boost::json::value* lookup(std::string_view key);
  [[noreturn]] void wrong_type(std::string_view key, std::string_view expected) const;

  const boost::json::object* object_;
  std::string path_;
  std::vector<std::string> known_;
};

}  // namespace contentgen::jsonread
