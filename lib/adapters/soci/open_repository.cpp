// open_soci_repository: URL -> connection pool -> migrations -> repository.
#include "adapters/soci/migrations.hpp"
#include "adapters/soci/soci_repository.hpp"
#include "contentgen/adapters/soci_repository.hpp"

namespace contentgen {

int soci_schema_version() noexcept { return soci_adapter::latest_schema_version(); }

std::shared_ptr<ArticleRepository> open_soci_repository(const SociRepositoryOptions& options) {
  auto target = soci_adapter::parse_database_url(options.url);
  const auto backend = target.backend;
#if !defined(CONTENTGEN_SOCI_WITH_POSTGRESQL)
  if (backend == soci_adapter::Backend::postgresql) {
    throw Error::invalid_argument("url", "\"postgresql\" is not available: this build of libcontentgen was made with "
                                         "-DCONTENTGEN_WITH_POSTGRESQL=OFF");
  }
#endif
  auto pool = std::make_unique<soci_adapter::SessionPool>(std::move(target), options);
  // One write transaction (the pool's: BEGIN IMMEDIATE on SQLite, reconnect if BEGIN finds the
  // connection dead, a lost COMMIT reported as such).
  pool->write("migrate " + pool->target().redacted,
              [&](soci::session& sql) { soci_adapter::migrate(sql, backend, options.migrate); });
  return std::make_shared<soci_adapter::SociArticleRepository>(std::move(pool));
}

}  // namespace contentgen
