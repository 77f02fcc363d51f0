#include "core/json/json_reader.hpp"

#include <algorithm>
#include <cmath>

#include "contentgen/error.hpp"

namespace contentgen::jsonread {
namespace {

std::string line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

boost::json::value parse(std::string_view text, std::string_view what) {
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  const std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    throw Error::invalid_argument(std::string(what), "not valid JSON (" + line_and_column(text, consumed) + ": " +
                                                         ec.message() + ")");
  }
  return parser.release();
}

std::string join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string joined(path);
  joined += '.';
  joined += key;
  return joined;
}

std::string closest_key(std::string_view key, const std::vector<std::string_view>& candidates) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto candidate : candidates) {
    const std::size_t distance = edit_distance(key, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

ObjectReader::ObjectReader(const boost::json::value& value, std::string path) : path_(std::move(path)) {
  object_ = value.if_object();
  if (object_ == nullptr) throw Error::invalid_argument(path_, "must be a JSON object");
}

const boost::json::value* ObjectReader::lookup(std::string_view key) {
  known_.emplace_back(key);
  const auto* value = object_->if_contains(key);
  return (value == nullptr || value->is_null()) ? nullptr : value;
}

void ObjectReader::wrong_type(std::string_view key, std::string_view expected) const {
  throw Error::invalid_argument(path_of(key), "must be " + std::string(expected));
}

bool ObjectReader::has(std::string_view key) {
  const auto* value = object_->if_contains(key);
  return value != nullptr && !value->is_null();
}

void ObjectReader::ignore(std::string_view key) { known_.emplace_back(key); }

void ObjectReader::reject(std::string_view key, const std::string& message) const {
  if (object_->contains(key)) throw Error::invalid_argument(path_of(key), message);
}

const boost::json::value* ObjectReader::raw(std::string_view key) { return lookup(key); }

std::optional<std::string> ObjectReader::string(std::string_view key) {
  const auto* value = lookup(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) wrong_type(key, "a string");
  return std::string(value->get_string());
}

std::optional<bool> ObjectReader::boolean(std::string_view key) {
  const auto* value = lookup(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_bool()) wrong_type(key, "true or false");
  return value->get_bool();
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const auto* value = lookup(key);
  if (value == nullptr) return std::nullopt;
  const std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  std::int64_t result = 0;
  if (value->is_int64()) {
    result = value->get_int64();
  } else if (value->is_uint64() && value->get_uint64() <= static_cast<std::uint64_t>(max)) {
    result = static_cast<std::int64_t>(value->get_uint64());
  } else {
    wrong_type(key, range);
  }
  if (result < min || result > max) wrong_type(key, range);
  return result;
}

std::optional<double> ObjectReader::number(std::string_view key, double min, double max) {
  const auto* value = lookup(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number()) wrong_type(key, "a number");
  const double result = value->to_number<double>();
  if (!std::isfinite(result) || result < min || result > max) {
    auto format = [](double x) {
      std::string text = std::to_string(x);
      text.erase(text.find_last_not_of('0') + 1);
      if (!text.empty() && text.back() == '.') text.pop_back();
      return text;
    };
    wrong_type(key, "a number from " + format(min) + " to " + format(max));
  }
  return result;
}

std::optional<std::vector<std::string>> ObjectReader::string_array(std::string_view key) {
  const auto* value = lookup(key);
  if (value == nullptr) return std::nullopt;
  const auto* array = value->if_array();
  if (array == nullptr) wrong_type(key, "an array of strings");
  std::vector<std::string> result;
  result.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto& item = (*array)[i];
    if (!item.is_string()) {
      throw Error::invalid_argument(path_of(key) + "[" + std::to_string(i) + "]", "must be a string");
    }
    result.emplace_back(item.get_string());
  }
  return result;
}

std::optional<std::vector<std::pair<std::string, std::string>>> ObjectReader::string_map(std::string_view key) {
  const auto* value = lookup(key);
  if (value == nullptr) return std::nullopt;
  const auto* object = value->if_object();
  if (object == nullptr) wrong_type(key, "an object of strings");
  std::vector<std::pair<std::string, std::string>> result;
  for (const auto& member : *object) {
    if (!member.value().is_string()) {
      throw Error::invalid_argument(join(path_of(key), member.key()), "must be a string");
    }
    result.emplace_back(std::string(member.key()), std::string(member.value().get_string()));
  }
  return result;
}

void ObjectReader::finish() const {
  for (const auto& member : *object_) {
    const std::string_view key = member.key();
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::vector<std::string_view> candidates(known_.begin(), known_.end());
    const std::string suggestion = closest_key(key, candidates);
    throw Error::invalid_argument(path_of(key), suggestion.empty() ? "unknown key"
                                                                   : "unknown key (did you mean \"" + suggestion + "\"?)");
  }
}

}  // namespace contentgen::jsonread
