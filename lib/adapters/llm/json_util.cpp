#include "adapters/llm/json_util.hpp"

namespace contentgen::llm {

namespace json = boost::json;

json::value JsonReader::parse(std::string_view text, std::string_view what) const {
  json::parse_options options;
  options.max_depth = 64;
  boost::system::error_code ec;
  json::value value = json::parse(text, ec, json::storage_ptr(), options);
  if (ec) fail(what, "is not valid JSON (" + ec.message() + ")");
  return value;
}

void JsonReader::fail(std::string_view path, std::string_view problem) const {
  ErrorDetails details;
  details.provider = std::string(provider_);
  throw Error(ErrorCode::upstream,
              std::string(provider_) + ": malformed reply: " + std::string(path) + " " + std::string(problem),
              std::move(details));
}

const json::object& JsonReader::object(const json::value& v, std::string_view path) const {
  if (!v.is_object()) fail(path, "is not an object");
  return v.get_object();
}

const json::array& JsonReader::array(const json::value& v, std::string_view path) const {
  if (!v.is_array()) fail(path, "is not an array");
  return v.get_array();
}

std::string_view JsonReader::string(const json::value& v, std::string_view path) const {
  if (!v.is_string()) fail(path, "is not a string");
  const auto& s = v.get_string();
  return {s.data(), s.size()};
}

std::int64_t JsonReader::count(const json::value& v, std::string_view path) const {
  constexpr std::int64_t kMax = std::int64_t{1} << 53;
  if (v.is_int64()) {
    const auto n = v.get_int64();
    if (n < 0 || n > kMax) fail(path, "is out of range");
    return n;
  }
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(kMax)) fail(path, "is out of range");
    return static_cast<std::int64_t>(v.get_uint64());
  }
  fail(path, "is not a non-negative integer");
}

const json::value& JsonReader::at(const json::object& o, std::string_view key, std::string_view path) const {
  const auto* v = o.if_contains(key);
  if (v == nullptr) fail(std::string(path) + "." + std::string(key), "is missing");
  return *v;
}

const json::value* JsonReader::find(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

std::optional<std::string_view> JsonReader::opt_string(const json::object& o, std::string_view key,
                                                       std::string_view path) const {
  const auto* v = find(o, key);
  if (v == nullptr) return std::nullopt;
  return string(*v, std::string(path) + "." + std::string(key));
}

std::optional<std::int64_t> JsonReader::opt_count(const json::object& o, std::string_view key,
                                                  std::string_view path) const {
  const auto* v = find(o, key);
  if (v == nullptr) return std::nullopt;
  return count(*v, std::string(path) + "." + std::string(key));
}

void append_json_string(std::string& out, std::string_view text) { out += json::serialize(json::string_view(text.data(), text.size())); }

}  // namespace contentgen::llm
