#include "script.hpp"

#include <stdexcept>

#include <boost/json.hpp>

namespace mockllm {
namespace json = boost::json;

namespace {

std::string str(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_string()) throw std::runtime_error(std::string("script: ") + key + " must be a string");
  return std::string(v->get_string());
}

std::optional<std::int64_t> integer(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  throw std::runtime_error(std::string("script: ") + key + " must be an integer");
}

std::string base64_decode(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  int bits = 0, buffer = 0;
  for (char c : text) {
    if (c == '=') break;
    const int v = value(c);
    if (v < 0) throw std::runtime_error("script: body_base64 is not base64");
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

ScriptEntry parse_entry(const json::value& value) {
  if (!value.is_object()) throw std::runtime_error("script: an entry must be an object");
  const auto& o = value.get_object();
  ScriptEntry e;
  e.match = str(o, "match");
  e.times = static_cast<int>(integer(o, "times").value_or(1));
  e.status = static_cast<int>(integer(o, "status").value_or(0));
  if (const auto* headers = o.if_contains("headers")) {
    if (!headers->is_object()) throw std::runtime_error("script: headers must be an object");
    for (const auto& [name, v] : headers->get_object()) {
      if (!v.is_string()) throw std::runtime_error("script: header values must be strings");
      e.headers.emplace_back(std::string(name), std::string(v.get_string()));
    }
  }
  if (o.contains("body")) e.body = str(o, "body");
  if (o.contains("body_base64")) e.body = base64_decode(str(o, "body_base64"));  // any bytes, e.g. invalid UTF-8
  e.content_type = str(o, "content_type");
  if (const auto* error = o.if_contains("error"); error != nullptr && error->is_object()) {
    e.error_type = str(error->get_object(), "type");
    e.error_code = str(error->get_object(), "code");
    e.error_message = str(error->get_object(), "message");
  }
  e.fault = str(o, "fault");
  if (!e.fault.empty() && e.fault != "hang" && e.fault != "close" && e.fault != "cut" && e.fault != "malformed_json")
    throw std::runtime_error("script: unknown fault " + e.fault);
  e.cut_after_bytes = integer(o, "cut_after_bytes").value_or(0);
  e.latency_ms = integer(o, "latency_ms");
  e.chunk_delay_ms = integer(o, "chunk_delay_ms");
  if (o.contains("text")) e.text = str(o, "text");
  e.finish_reason = str(o, "finish_reason");
  if (const auto* omit = o.if_contains("omit_usage")) e.omit_usage = omit->is_bool() && omit->get_bool();
  e.cached_tokens = integer(o, "cached_tokens").value_or(0);
  e.cache_creation_tokens = integer(o, "cache_creation_tokens").value_or(0);
  e.reasoning_tokens = integer(o, "reasoning_tokens").value_or(0);
  if (auto after = integer(o, "stream_error_after")) e.stream_error_after = static_cast<int>(*after);
  return e;
}

}  // namespace

std::vector<ScriptEntry> parse_script(const std::string& json_text) {
  boost::system::error_code ec;
  const auto value = json::parse(json_text, ec);
  if (ec) throw std::runtime_error("script: invalid JSON: " + ec.message());
  std::vector<ScriptEntry> out;
  if (value.is_array()) {
    for (const auto& item : value.get_array()) out.push_back(parse_entry(item));
  } else {
    out.push_back(parse_entry(value));
  }
  return out;
}

void Script::push(std::vector<ScriptEntry> entries) {
  std::lock_guard lock(mutex_);
  for (auto& e : entries) entries_.push_back(std::move(e));
}

void Script::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

std::size_t Script::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::optional<ScriptEntry> Script::take(const std::string& target) {
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (!it->match.empty() && target.find(it->match) == std::string::npos) continue;
    ScriptEntry entry = *it;
    if (--it->times <= 0) entries_.erase(it);
    return entry;
  }
  return std::nullopt;
}

}  // namespace mockllm
