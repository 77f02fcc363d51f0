#pragma once
// Database URLs -> what SOCI needs to connect (internal).
//
// SOCI 4.0.3 takes neither libpq URIs nor arbitrary keyword strings: its PostgreSQL factory
// re-tokenizes the connect string on whitespace (to strip its own "singlerows" option) and only
// understands "..." around a value. So every URL is parsed into libpq keywords here and serialized
// in a form that survives that tokenizer (see to_soci_connect_string).
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace contentgen::soci_adapter {

enum class Backend { sqlite, postgresql };

struct DatabaseTarget {
  Backend backend = Backend::sqlite;
  // SQLite: the file path, or ":memory:".
  std::string sqlite_path;
  // PostgreSQL: libpq keyword -> value, decoded.
  std::map<std::string, std::string> keywords;
  // The URL for messages and logs, password replaced by "***".
  std::string redacted;
  // Strings that must never appear in a message (the password).
  std::vector<std::string> secrets;

  bool in_memory() const { return backend == Backend::sqlite && sqlite_path == ":memory:"; }
};

// Throws Error{invalid_argument, field "url"} (message carries only the redacted URL).
DatabaseTarget parse_database_url(std::string_view url);

// The connect string to hand to soci::session for `target`.
std::string to_soci_connect_string(const DatabaseTarget& target);

// `message` with every secret replaced by "***".
std::string scrub_secrets(std::string message, const std::vector<std::string>& secrets);

}  // namespace contentgen::soci_adapter
