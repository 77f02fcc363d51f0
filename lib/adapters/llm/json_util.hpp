#pragma once
// Strict, non-crashing reading of provider JSON with Boost.JSON: every mismatch (invalid JSON or
// UTF-8, nesting deeper than 64, a missing field, a wrong type, a negative or absurd count) throws
// Error{upstream} naming the provider and the JSON path -- never the payload, which may be large.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "contentgen/error.hpp"

namespace contentgen::llm {

class JsonReader {
 public:
  explicit JsonReader(std::string_view provider) : provider_(provider) {}

  // `storage`: e.g. a monotonic_resource on the caller's stack (the value must not outlive it).
  boost::json::value parse(std::string_view text, std::string_view what, boost::json::storage_ptr storage = {}) const;
  // Paths are "path.key" (key may be empty); they are only assembled when something is wrong.
  [[noreturn]] void fail(std::string_view path, std::string_view problem) const { fail(path, {}, problem); }
  [[noreturn]] void fail(std::string_view path, std::string_view key, std::string_view problem) const;

  const boost::json::object& object(const boost::json::value& v, std::string_view path, std::string_view key = {}) const;
  const boost::json::array& array(const boost::json::value& v, std::string_view path, std::string_view key = {}) const;
  std::string_view string(const boost::json::value& v, std::string_view path, std::string_view key = {}) const;
  std::int64_t count(const boost::json::value& v, std::string_view path, std::string_view key = {}) const;  // 0 .. 2^53

  // Field access: required (missing -> error) and optional (missing or null -> nullptr).
  const boost::json::value& at(const boost::json::object& o, std::string_view key, std::string_view path) const;
  static const boost::json::value* find(const boost::json::object& o, std::string_view key);
  // Optional string/count: nullopt when missing or null; wrong type -> error.
  std::optional<std::string_view> opt_string(const boost::json::object& o, std::string_view key, std::string_view path) const;
  std::optional<std::int64_t> opt_count(const boost::json::object& o, std::string_view key, std::string_view path) const;

 private:
  std::string_view provider_;
};

// Writes a JSON document straight into a string: requests are built on every call, and a DOM
// (one allocation per node) plus a serializer costs several times more.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(double number);  // must be finite
  JsonWriter& value(bool flag);
  std::string take() { return std::move(out_); }

 private:
  void before_value();
  std::string out_;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
};

}  // namespace contentgen::llm
