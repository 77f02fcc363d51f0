#pragma once
// Shared by the SOCI suites: fresh, isolated databases for each test.
//  - SQLite: a file in a per-process temp directory (removed at exit), or sqlite::memory:.
//  - PostgreSQL: a fresh SCHEMA per repository in the database of CONTENTGEN_TEST_PG_URL, selected
//    through the URL (?options=-csearch_path%3D<schema>, which also exercises URI decoding);
//    every schema is dropped at exit.
// Direct SQL for the tests (inspecting rows, holding locks, killing backends) goes through
// admin_session(): a plain soci::session on the same database.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <memory>
#include <ostream>
#include <string>

#include "contentgen/adapters/soci_repository.hpp"

namespace contentgen::soci_test {

inline constexpr const char* pg_url_variable = "CONTENTGEN_TEST_PG_URL";

// A new empty SQLite file path (the file does not exist yet).
std::string fresh_sqlite_path();

// The PostgreSQL base URL, or "" after recording a skip (or, under CONTENTGEN_REQUIRE_SERVICES=1,
// a failure). Call from a void function / SetUp and return when empty.
std::string pg_base_url();

// A new empty schema; returns the repository URL that selects it. `extra_query` ("k=v&...") is
// appended to the URL's parameters.
std::string fresh_pg_schema_url(const std::string& base_url, const std::string& extra_query = "");

// A soci session on the database `url` points to (any URL open_soci_repository accepts), with the
// same search_path.
std::unique_ptr<soci::session> admin_session(const std::string& url);

// A repository for the contract suite: fresh and empty.
std::shared_ptr<ArticleRepository> open_fresh(const std::string& url, std::size_t pool_size = 4);

// For suites that run on both backends: GetParam() picks one; SetUp prepares `url`, a fresh
// database (SQLite file) or schema (PostgreSQL), and skips -- or fails under
// CONTENTGEN_REQUIRE_SERVICES=1 -- when PostgreSQL is not configured.
enum class Db { sqlite, postgresql };
std::string db_name(const ::testing::TestParamInfo<Db>& info);
inline void PrintTo(Db db, std::ostream* out) { *out << (db == Db::postgresql ? "postgresql" : "sqlite"); }

class SociBackendTest : public ::testing::TestWithParam<Db> {
 protected:
  void SetUp() override;
  bool postgresql() const { return GetParam() == Db::postgresql; }
  // Another fresh database/schema of the same backend.
  std::string fresh_url(const std::string& extra_query = "");
  std::shared_ptr<ArticleRepository> open(std::size_t pool_size = 4) { return open_fresh(url, pool_size); }

  std::string base_url;  // PostgreSQL only
  std::string url;
};

}  // namespace contentgen::soci_test
