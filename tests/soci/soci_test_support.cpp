#include "soci_test_support.hpp"

#include <gtest/gtest.h>
#if defined(CONTENTGEN_TEST_WITH_POSTGRESQL)
#include <soci/postgresql/soci-postgresql.h>
#endif
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <vector>

#include "adapters/soci/database_url.hpp"
#include "support/services.hpp"

namespace contentgen::soci_test {
namespace {

namespace fs = std::filesystem;

// Everything created by this process, removed by the environment at exit.
struct Leftovers {
  std::mutex mutex;
  fs::path sqlite_dir;
  std::string pg_base_url;
  std::vector<std::string> schemas;
};

Leftovers& leftovers() {
  static Leftovers instance;
  return instance;
}

std::atomic<int> counter{0};

class CleanupEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    auto& l = leftovers();
    std::lock_guard lock(l.mutex);
    if (!l.sqlite_dir.empty()) {
      std::error_code ignored;
      fs::remove_all(l.sqlite_dir, ignored);
    }
    if (!l.schemas.empty()) {
      try {
        auto sql = admin_session(l.pg_base_url);
        *sql << "SET client_min_messages TO WARNING";
        for (const auto& schema : l.schemas) *sql << "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
      } catch (const std::exception& e) {
        std::fprintf(stderr, "soci tests: could not drop test schemas: %s\n", e.what());
      }
    }
  }
};

[[maybe_unused]] const auto* const cleanup = ::testing::AddGlobalTestEnvironment(new CleanupEnvironment);

}  // namespace

std::string fresh_sqlite_path() {
  auto& l = leftovers();
  std::lock_guard lock(l.mutex);
  if (l.sqlite_dir.empty()) {
    l.sqlite_dir = fs::temp_directory_path() / ("contentgen-soci-test-" + std::to_string(::getpid()));
    fs::create_directories(l.sqlite_dir);
  }
  return (l.sqlite_dir / ("db-" + std::to_string(++counter) + ".sqlite")).string();
}

std::string pg_base_url() {
  return ::contentgen::testsupport::service_or_skip(pg_url_variable);
}

std::string fresh_pg_schema_url(const std::string& base_url, const std::string& extra_query) {
  // Schema names are generated here (letters, digits, '_'), never taken from input.
  const std::string schema = "cg_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  {
    auto sql = admin_session(base_url);
    *sql << "CREATE SCHEMA " + schema;
  }
  {
    auto& l = leftovers();
    std::lock_guard lock(l.mutex);
    l.pg_base_url = base_url;
    l.schemas.push_back(schema);
  }
  std::string url = base_url + (base_url.find('?') == std::string::npos ? "?" : "&");
  url += "options=-csearch_path%3D" + schema;
  if (!extra_query.empty()) url += "&" + extra_query;
  return url;
}

std::unique_ptr<soci::session> admin_session(const std::string& url) {
  const auto target = soci_adapter::parse_database_url(url);
  const std::string connect = soci_adapter::to_soci_connect_string(target);
#if defined(CONTENTGEN_TEST_WITH_POSTGRESQL)
  if (target.backend == soci_adapter::Backend::postgresql)
    return std::make_unique<soci::session>(soci::postgresql, connect);
#endif
  return std::make_unique<soci::session>(soci::sqlite3, connect);
}

std::shared_ptr<ArticleRepository> open_fresh(const std::string& url, std::size_t pool_size) {
  SociRepositoryOptions options;
  options.url = url;
  options.pool_size = pool_size;
  return open_soci_repository(options);
}

std::string db_name(const ::testing::TestParamInfo<Db>& info) {
  return info.param == Db::postgresql ? "postgresql" : "sqlite";
}

void SociBackendTest::SetUp() {
  if (postgresql()) {
#if !defined(CONTENTGEN_TEST_WITH_POSTGRESQL)
    GTEST_SKIP() << "built with CONTENTGEN_WITH_POSTGRESQL=OFF";
#endif
    base_url = pg_base_url();
    if (base_url.empty()) {
      if (HasFailure()) FAIL() << pg_url_variable << " is required";
      GTEST_SKIP() << pg_url_variable << " not set";
    }
  }
  url = fresh_url();
}

std::string SociBackendTest::fresh_url(const std::string& extra_query) {
  if (postgresql()) return fresh_pg_schema_url(base_url, extra_query);
  return "sqlite:" + fresh_sqlite_path();
}

}  // namespace contentgen::soci_test
