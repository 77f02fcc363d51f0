#pragma once
// The REST API (docs/rest.md) without any HTTP transport: routing, bearer-key auth scoped to one
// workspace, limits, the endpoints, and the mapping of contentgen errors to HTTP statuses. The
// transport calls check_head() once the request head has arrived and handle() once the body has.
//
// Threads: both are called on the transport's I/O threads and never block them. Database and
// store work runs on `run_blocking` (a worker pool); generation runs on the generator's
// asynchronous path. Thread-safe.
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "contentgen/cancellation.hpp"
#include "contentgen/error.hpp"
#include "contentgen/generator.hpp"
#include "server/http_types.hpp"
#include "server/metrics.hpp"
#include "server/routes.hpp"
#include "server/server_config.hpp"

namespace contentgen::server {

// The static OpenAPI document (server/openapi.json, compiled in).
std::string_view openapi_document();

// {"error": {"code", "message", "field"?}} with the status the taxonomy maps to (docs/rest.md#errors).
HttpResponse error_response(const Error& error);
HttpResponse error_response(int status, std::string_view code, std::string_view message, std::string_view field = {});
int status_for(const Error& error);

class RestApi {
 public:
  struct Dependencies {
    std::shared_ptr<ContentGenerator> generator;
    std::function<void(std::function<void()>)> run_blocking;  // worker pool
    std::shared_ptr<Metrics> metrics;
    ServerConfig config;
    std::size_t max_image_bytes = 10 * 1024 * 1024;
    CancellationToken shutdown;  // cancelled when the shutdown grace period is over
  };
  explicit RestApi(Dependencies dependencies);

  // Decides from the head alone (route, auth, content type, announced size). A response means
  // "answer this and do not read the body"; nullopt means "read at most `body_limit` bytes".
  std::optional<HttpResponse> check_head(const HttpRequest& head, std::size_t& body_limit) const;
  // The response for a body that exceeded the limit while being read (counted and logged).
  HttpResponse body_too_large(const HttpRequest& head) const;
  // A request the transport refuses itself (malformed, too many connections or bodies in flight):
  // the error body, X-Request-Id, counted and logged like any answer; the connection closes.
  HttpResponse transport_error(const HttpRequest& head, int status, std::string_view code,
                               std::string_view message) const;
  // Handles a complete request; `respond` runs exactly once, on some thread.
  void handle(HttpRequest request, Respond respond) const;

  // The workspace of the request's bearer key; nullopt when absent or unknown. Constant-time
  // over the configured keys.
  std::optional<std::string> workspace_for(const HttpRequest& request) const;

 private:
  struct Call;  // one request being handled (rest_handlers.cpp)
  std::size_t body_limit_for(Endpoint endpoint) const;
  HttpResponse too_large(Endpoint endpoint) const;
  Respond instrument(const HttpRequest& request, std::string_view route, Respond respond) const;
  void dispatch(const std::shared_ptr<Call>& call) const;

  void health(const std::shared_ptr<Call>& call) const;
  void generate(const std::shared_ptr<Call>& call) const;
  void list_articles(const std::shared_ptr<Call>& call) const;
  void get_article(const std::shared_ptr<Call>& call) const;
  void spend(const std::shared_ptr<Call>& call) const;
  void update_article(const std::shared_ptr<Call>& call) const;
  void delete_article(const std::shared_ptr<Call>& call) const;
  void upload_image(const std::shared_ptr<Call>& call) const;
  void delete_image(const std::shared_ptr<Call>& call) const;
  // Runs `work` on the worker pool; an exception it throws becomes the error response.
  void blocking(const std::shared_ptr<Call>& call, std::function<HttpResponse()> work) const;

  // /healthz needs no key and each check pings the database, the image store and the broker on
  // the worker pool (for seconds when one of them is down): requests that arrive while a check
  // runs wait for its answer instead of each taking a worker.
  struct HealthCheck {
    std::mutex mutex;
    bool running = false;
    std::vector<Respond> waiting;
  };

  Dependencies d_;
  std::shared_ptr<HealthCheck> health_ = std::make_shared<HealthCheck>();
};

}  // namespace contentgen::server
