#include "adapters/soci/dialect.hpp"

namespace contentgen::soci_adapter {

std::string Dialect::time_in(std::string_view name) const {
  if (postgresql()) return "CAST(:" + std::string(name) + " AS TIMESTAMPTZ)";
  return "CAST(:" + std::string(name) + " AS INTEGER)";
}

std::string Dialect::time_out(std::string_view column) const {
  // EXTRACT returns numeric since PostgreSQL 14: exact, no float rounding.
  if (postgresql()) return "CAST(EXTRACT(EPOCH FROM " + std::string(column) + ") * 1000000 AS BIGINT)";
  return std::string(column);
}

std::string Dialect::time_value(Timestamp t) const {
  if (postgresql()) return format_rfc3339(t);
  return std::to_string(t.time_since_epoch().count());
}

std::string Dialect::json_in(std::string_view name) const {
  if (postgresql()) return "CAST(:" + std::string(name) + " AS JSONB)";
  return ":" + std::string(name);
}

std::string Dialect::json_out(std::string_view column) const {
  if (postgresql()) return "CAST(" + std::string(column) + " AS TEXT)";
  return std::string(column);
}

Timestamp timestamp_from_micros(long long micros) { return Timestamp{std::chrono::microseconds{micros}}; }

}  // namespace contentgen::soci_adapter
