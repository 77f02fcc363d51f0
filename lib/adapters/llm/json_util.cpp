#include "adapters/llm/json_util.hpp"

#include <charconv>

namespace contentgen::llm {

namespace json = boost::json;

json::value JsonReader::parse(std::string_view text, std::string_view what, json::storage_ptr storage) const {
  json::parse_options options;
  options.max_depth = 64;
  boost::system::error_code ec;
  json::value value = json::parse(text, ec, std::move(storage), options);
  if (ec) fail(what, "is not valid JSON (" + ec.message() + ")");
  return value;
}

void JsonReader::fail(std::string_view path, std::string_view key, std::string_view problem) const {
  ErrorDetails details;
  details.provider = std::string(provider_);
  std::string where(path);
  if (!key.empty()) where += "." + std::string(key);
  throw Error(ErrorCode::upstream, std::string(provider_) + ": malformed reply: " + where + " " + std::string(problem),
              std::move(details));
}

const json::object& JsonReader::object(const json::value& v, std::string_view path, std::string_view key) const {
  if (!v.is_object()) fail(path, key, "is not an object");
  return v.get_object();
}

const json::array& JsonReader::array(const json::value& v, std::string_view path, std::string_view key) const {
  if (!v.is_array()) fail(path, key, "is not an array");
  return v.get_array();
}

std::string_view JsonReader::string(const json::value& v, std::string_view path, std::string_view key) const {
  if (!v.is_string()) fail(path, key, "is not a string");
  const auto& s = v.get_string();
  return {s.data(), s.size()};
}

std::int64_t JsonReader::count(const json::value& v, std::string_view path, std::string_view key) const {
  constexpr std::int64_t kMax = std::int64_t{1} << 53;
  if (v.is_int64()) {
    const auto n = v.get_int64();
    if (n < 0 || n > kMax) fail(path, key, "is out of range");
    return n;
  }
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(kMax)) fail(path, key, "is out of range");
    return static_cast<std::int64_t>(v.get_uint64());
  }
  fail(path, key, "is not a non-negative integer");
}

const json::value& JsonReader::at(const json::object& o, std::string_view key, std::string_view path) const {
  const auto* v = o.if_contains(key);
  if (v == nullptr) fail(path, key, "is missing");
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
  return string(*v, path, key);
}

std::optional<std::int64_t> JsonReader::opt_count(const json::object& o, std::string_view key,
                                                  std::string_view path) const {
  const auto* v = find(o, key);
  if (v == nullptr) return std::nullopt;
  return count(*v, path, key);
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_items_.empty()) {
    if (has_items_.back()) out_.push_back(',');
    has_items_.back() = true;
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_.push_back('{');
  has_items_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  has_items_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_.push_back('[');
  has_items_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  has_items_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  value(name);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  static constexpr char hex[] = "0123456789abcdef";
  out_.reserve(out_.size() + text.size() + 2);
  out_.push_back('"');
  std::size_t run = 0;  // start of the current run of characters that need no escaping
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(text.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        out_ += "\\u00";
        out_.push_back(hex[c >> 4]);
        out_.push_back(hex[c & 15]);
    }
  }
  out_.append(text.substr(run));
  out_.push_back('"');
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  before_value();
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
  out_.append(buffer, static_cast<std::size_t>(end - buffer));
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  before_value();
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
  out_.append(buffer, static_cast<std::size_t>(end - buffer));
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  out_ += flag ? "true" : "false";
  return *this;
}

}  // namespace contentgen::llm
