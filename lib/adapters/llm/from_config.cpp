#include "adapters/llm/from_config.hpp"

#include "config/field_names.hpp"

namespace contentgen::configdetail {

HttpOptions http_options(const LlmConfig& config, const LogHandler& log) {
  HttpOptions http;
  http.max_connections_per_host = config.max_connections;
  http.ca_file = config.ca_file;
  http.insecure_skip_verify = config.insecure_skip_verify;
  http.connect_timeout = millis(config.connect_timeout_s);
  http.idle_timeout = millis(config.idle_timeout_s);
  http.attempt_timeout = millis(config.timeout_s);
  http.log = log;
  return http;
}

RateLimitOptions rate_limit_options(const LlmConfig& config) {
  RateLimitOptions limits;
  limits.requests_per_minute = config.requests_per_minute;
  limits.tokens_per_minute = config.tokens_per_minute;
  return limits;
}

}  // namespace contentgen::configdetail
