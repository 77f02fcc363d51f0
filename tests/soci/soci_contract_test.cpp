// The repository contract suite against the SOCI repository: SQLite in memory, SQLite in a file
// (WAL, pool of 4), and PostgreSQL (a fresh schema per test, pool of 4).
#include "contract/article_repository_contract.hpp"
#include "soci_test_support.hpp"

namespace {

using contentgen::contract::ArticleRepositoryContract;
using contentgen::contract::RepositoryFactory;
namespace st = contentgen::soci_test;

void skip_test(const char* why) { GTEST_SKIP() << why; }

std::shared_ptr<contentgen::ArticleRepository> make_postgresql() {
#if !defined(CONTENTGEN_TEST_WITH_POSTGRESQL)
  skip_test("built with CONTENTGEN_WITH_POSTGRESQL=OFF");
  return nullptr;
#endif
  const std::string base = st::pg_base_url();  // fails the test under CONTENTGEN_REQUIRE_SERVICES=1
  if (base.empty()) {
    if (!::testing::Test::HasFailure()) skip_test("CONTENTGEN_TEST_PG_URL not set");
    return nullptr;
  }
  return st::open_fresh(st::fresh_pg_schema_url(base));
}

INSTANTIATE_TEST_SUITE_P(
    Soci, ArticleRepositoryContract,
    ::testing::Values(RepositoryFactory{"sqlite_memory", [] { return st::open_fresh("sqlite::memory:"); }},
                      RepositoryFactory{"sqlite_file", [] { return st::open_fresh("sqlite:" + st::fresh_sqlite_path()); }},
                      RepositoryFactory{"postgresql", make_postgresql}),
    contentgen::contract::factory_name);

}  // namespace
