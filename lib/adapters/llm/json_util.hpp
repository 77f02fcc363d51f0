#pragma once
// Strict, non-crashing reading of provider JSON with Boost.JSON: every mismatch (invalid JSON or
// UTF-8, nesting deeper than 64, a missing field, a wrong type, a negative or absurd count) throws
// Error{upstream} naming the provider and the JSON path -- never the payload, which may be large.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "contentgen/error.hpp"

namespace contentgen::llm {

class JsonReader {
 public:
  explicit JsonReader(std::string_view provider) : provider_(provider) {}

  boost::json::value parse(std::string_view text, std::string_view what) const;
  [[noreturn]] void fail(std::string_view path, std::string_view problem) const;

  const boost::json::object& object(const boost::json::value& v, std::string_view path) const;
  const boost::json::array& array(const boost::json::value& v, std::string_view path) const;
  std::string_view string(const boost::json::value& v, std::string_view path) const;
  std::int64_t count(const boost::json::value& v, std::string_view path) const;  // 0 .. 2^53

  // Field access: required (missing -> error) and optional (missing or null -> nullptr).
  const boost::json::value& at(const boost::json::object& o, std::string_view key, std::string_view path) const;
  static const boost::json::value* find(const boost::json::object& o, std::string_view key);
  // Optional string/count: nullopt when missing or null; wrong type -> error.
  std::optional<std::string_view> opt_string(const boost::json::object& o, std::string_view key, std::string_view path) const;
  std::optional<std::int64_t> opt_count(const boost::json::object& o, std::string_view key, std::string_view path) const;

 private:
  std::string_view provider_;
};

// Appends `text` as a JSON string literal (quotes included) -- for hand-built small documents.
void append_json_string(std::string& out, std::string_view text);

}  // namespace contentgen::llm
