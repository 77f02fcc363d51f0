// repository "sqlite:" and "postgresql://" URLs (registered in this folder's CMakeLists.txt).
#include "config/field_names.hpp"
#include "contentgen/adapters/soci_repository.hpp"
#include "contentgen/config.hpp"

namespace contentgen::configdetail {

std::shared_ptr<ArticleRepository> open_soci_repository_from_config(const RepositoryConfig& config, const LogHandler&) {
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
    rename_field(e, "", "repository.");
    throw;
  }
}

}  // namespace contentgen::configdetail
