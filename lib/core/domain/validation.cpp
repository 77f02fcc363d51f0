#include "core/domain/validation.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <vector>

#include "contentgen/error.hpp"
#include "core/text/utf8.hpp"

namespace contentgen::internal {

void check_text(std::string_view text, const std::string& field, TextRule rule) {
  const auto length = utf8_length(text);
  if (!length) throw Error::invalid_argument(field, "is not valid UTF-8");
  if (has_control_characters(text, rule.allow_newlines))
    throw Error::invalid_argument(field, "contains control characters");
  if (rule.min_chars > 0 && text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw Error::invalid_argument(field, "is required");
  if (*length < rule.min_chars || *length > rule.max_chars)
    throw Error::invalid_argument(field, "must be " + std::to_string(rule.min_chars) + "-" +
                                             std::to_string(rule.max_chars) + " characters long");
}

void check_article_id(std::string_view id) {
  if (id.empty() || id.size() > 128) throw Error::invalid_argument("article_id", "must be 1-128 characters long");
}

void check_workspace_id(std::string_view id, const std::string& field) {
  if (id.empty() || id.size() > 128) throw Error::invalid_argument(field, "must be 1-128 characters long");
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) throw Error::invalid_argument(field, "may contain only letters, digits, '.', '_' and '-'");
  }
  if (id == "." || id == "..") throw Error::invalid_argument(field, "cannot be \".\" or \"..\"");
}

void check_temperature(double temperature, const std::string& field) {
  if (!(temperature >= 0.0 && temperature <= 2.0)) throw Error::invalid_argument(field, "must be between 0 and 2");
}

void check_max_tokens(std::int64_t max_tokens, const std::string& field) {
  if (max_tokens < 1 || max_tokens > max_output_tokens)
    throw Error::invalid_argument(field, "must be between 1 and " + std::to_string(max_output_tokens));
}

namespace {

void check_json_string(std::string_view text, const std::string& field) {
  if (has_control_characters(text, /*allow_newlines=*/true))
    throw Error::invalid_argument(field, "contains a control character (NUL and others but tab, LF, CR are refused)");
}

boost::json::value canonical(const boost::json::value& value, const std::string& field) {
  if (value.is_string()) check_json_string(value.as_string(), field);
  if (value.is_array()) {
    boost::json::array out;
    out.reserve(value.as_array().size());
    for (const auto& item : value.as_array()) out.push_back(canonical(item, field));
    return out;
  }
  if (!value.is_object()) return value;
  std::vector<const boost::json::key_value_pair*> members;
  for (const auto& member : value.as_object()) {
    check_json_string(member.key(), field);
    members.push_back(&member);
  }
  std::sort(members.begin(), members.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
  boost::json::object out;
  out.reserve(members.size());
  for (const auto* member : members) out.emplace(member->key(), canonical(member->value(), field));
  return out;
}

}  // namespace

std::string canonical_json(const boost::json::value& value, const std::string& field) {
  return boost::json::serialize(canonical(value, field));
}

std::string json_object_with(std::string_view object_json, std::string_view key, std::int64_t value) {
  boost::json::object object = boost::json::parse(object_json).as_object();
  object[key] = value;
  return canonical_json(object, "metadata_json");
}

std::string canonical_json_object(std::string_view json, const std::string& field) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) throw Error::invalid_argument(field, "must be a JSON object");
  return canonical_json(value, field);
}

}  // namespace contentgen::internal
