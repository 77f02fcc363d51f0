// repository section -> ArticleRepository (SOCI: SQLite or PostgreSQL) when the adapter is built.
#include "config/not_built.hpp"
#include "contentgen/config.hpp"

#if defined(CONTENTGEN_CONFIG_HAVE_SOCI)
#include "contentgen/adapters/soci_repository.hpp"
#endif

namespace contentgen {

std::shared_ptr<ArticleRepository> open_repository(const RepositoryConfig& config) {
  if (config.url.empty()) throw Error::invalid_argument("repository.url", "required");
#if defined(CONTENTGEN_CONFIG_HAVE_SOCI)
  SociRepositoryOptions options;
  options.url = config.url;
  options.pool_size = config.pool_size;
  options.migrate = config.migrate;
  options.acquire_timeout = config.acquire_timeout;
  options.lock_timeout = config.lock_timeout;
  options.statement_timeout = config.statement_timeout;
  options.connect_timeout = config.connect_timeout;
  options.sqlite_synchronous = config.sqlite_synchronous;
  try {
    return open_soci_repository(options);
  } catch (Error& e) {
    configdetail::rename_field(e, "", "repository.");
    throw;
  }
#else
  const bool sqlite = config.url.rfind("sqlite:", 0) == 0;
  configdetail::throw_not_built("repository.url", sqlite ? "sqlite" : "postgresql", "SOCI repository");
#endif
}

}  // namespace contentgen
