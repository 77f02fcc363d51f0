#pragma once
// The few places where SQLite and PostgreSQL SQL differ (internal). Every fragment is a constant
// of this file: no user data is ever spliced into SQL, only bound as a parameter.
//
// Timestamps: PostgreSQL stores TIMESTAMPTZ (readable in SQL reports), SQLite INTEGER microseconds
// since the Unix epoch. Both are bound as text (time_value) and read back as BIGINT microseconds
// (time_out), exact to the microsecond either way.
#include <string>
#include <string_view>

#include "adapters/soci/database_url.hpp"
#include "contentgen/time.hpp"

namespace contentgen::soci_adapter {

class Dialect {
 public:
  explicit Dialect(Backend backend) : backend_(backend) {}

  bool postgresql() const { return backend_ == Backend::postgresql; }

  // SQL turning the bound parameter `:name` (bound with time_value) into a stored timestamp.
  std::string time_in(std::string_view name) const;
  // SQL reading `column` as BIGINT microseconds since the Unix epoch.
  std::string time_out(std::string_view column) const;
  // The text to bind for `t`.
  std::string time_value(Timestamp t) const;

  // SQL turning bound JSON text `:name` into the stored form, and reading it back as text.
  std::string json_in(std::string_view name) const;
  std::string json_out(std::string_view column) const;

  // The statement opening a write transaction. SQLite takes the write lock at BEGIN (IMMEDIATE), so
  // two writers queue on the busy timeout instead of deadlocking on a lock upgrade.
  std::string_view begin_write() const { return postgresql() ? "BEGIN" : "BEGIN IMMEDIATE"; }
  // Row locks (PostgreSQL); SQLite's write transaction already excludes every other writer.
  std::string_view for_update() const { return postgresql() ? " FOR UPDATE" : ""; }
  std::string_view for_update_skip_locked() const { return postgresql() ? " FOR UPDATE SKIP LOCKED" : ""; }

 private:
  Backend backend_;
};

Timestamp timestamp_from_micros(long long micros);

}  // namespace contentgen::soci_adapter
