// RestApi: routing, auth, head checks, error mapping and instrumentation. The endpoints
// themselves are in rest_handlers.cpp.
#include "server/rest_api.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "contentgen/ids.hpp"
#include "core/text/utf8.hpp"
#include "server/multipart.hpp"
#include "server/rest_call.hpp"
#include "server/text.hpp"

namespace contentgen::server {
namespace {

namespace json = boost::json;

// Compares without an early exit, so the time taken does not reveal how much of a key matched.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    difference = static_cast<unsigned char>(difference | (x ^ y));
  }
  return difference == 0;
}

}  // namespace

int status_for(const Error& error) {
  switch (error.code()) {
    case ErrorCode::invalid_argument: return 422;
    case ErrorCode::not_found: return 404;
    case ErrorCode::conflict: return 409;
    case ErrorCode::unauthorized: return 502;  // the provider refused OUR credentials: not the client's fault
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::upstream: return 502;
    case ErrorCode::timeout: return 504;
    case ErrorCode::budget_exceeded: return 429;
    case ErrorCode::unknown_model: return 422;
    case ErrorCode::storage: return 503;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::cancelled: return 503;  // only the server cancels: it is shutting down
    case ErrorCode::internal: return 500;
  }
  return 500;
}

HttpResponse error_response(int status, std::string_view code, std::string_view message, std::string_view field) {
  // Messages and fields may echo a client's bytes: the body must stay valid UTF-8 JSON.
  json::object error{{"code", code}, {"message", internal::printable(message)}};
  if (!field.empty()) error["field"] = internal::printable(field);
  HttpResponse response;
  response.status = status;
  response.body = json::serialize(json::object{{"error", std::move(error)}});
  return response;
}

HttpResponse error_response(const Error& error) {
  const auto& d = error.details();
  std::string field = d.field;
  if (error.code() == ErrorCode::unknown_model && field.empty()) field = "model";
  int status = status_for(error);
  // An idempotency key reused with a different request is the client's mistake (422); one whose
  // generation is still running is a conflict to retry later (409 with Retry-After).
  if (error.code() == ErrorCode::conflict && field == "idempotency_key" && !d.retry_after) status = 422;
  HttpResponse response = error_response(status, to_string(error.code()), error.what(), field);
  if (d.retry_after) {
    response.headers.emplace_back("Retry-After", std::to_string((d.retry_after->count() + 999) / 1000));
  }
  return response;
}

RestApi::RestApi(Dependencies dependencies) : d_(std::move(dependencies)) {
  if (!d_.generator || !d_.run_blocking || !d_.metrics) {
    throw Error(ErrorCode::internal, "RestApi needs a generator, a worker pool and metrics");
  }
}

std::optional<std::string> RestApi::workspace_for(const HttpRequest& request) const {
  const std::string_view authorization = request.header("authorization");
  if (authorization.size() < 7 || ascii_lower(authorization.substr(0, 7)) != "bearer ") return std::nullopt;
  std::string_view presented = authorization.substr(7);
  while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
  while (!presented.empty() && presented.back() == ' ') presented.remove_suffix(1);
  const ApiKey* found = nullptr;
  for (const auto& key : d_.config.api_keys) {
    if (same_secret(presented, key.key) && found == nullptr) found = &key;
  }
  if (found == nullptr || presented.empty()) return std::nullopt;
  return found->workspace_id;
}

// Metrics and the access log line of one answered request. Takes what it needs by value/shared
// pointer: completions may run after the RestApi object is gone.
static void record_request(Metrics& metrics, bool access_log, const HttpRequest& request, std::string_view route,
                           const HttpResponse& response, std::chrono::steady_clock::time_point started,
                           std::string_view request_id) {
  const auto elapsed = std::chrono::steady_clock::now() - started;
  metrics.on_request(request.method, route.empty() ? "unmatched" : route, response.status, elapsed);
  if (!access_log) return;
  // The target may hold a cursor but never a key; headers are not logged.
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  // A request refused before its head parsed has neither method nor path.
  std::string line = "contentgen serve: " + (request.method.empty() ? std::string("-") : request.method) + " " +
                     (request.target.empty() ? std::string("-") : std::string(request.path())) + " " +
                     std::to_string(response.status);
  char timing[32];
  std::snprintf(timing, sizeof timing, " %.1fms", ms);
  line += timing;
  if (!request_id.empty()) line += " id=" + std::string(request_id);
  line += "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);  // one write: lines of threads do not interleave
}

// An answer given before the request reached a handler: it carries the request's id too.
static void answer_early(Metrics& metrics, bool access_log, const HttpRequest& head, std::string_view route,
                         HttpResponse& response, std::chrono::steady_clock::time_point started) {
  if (!head.id.empty()) response.headers.emplace_back("X-Request-Id", head.id);
  record_request(metrics, access_log, head, route, response, started, head.id);
}

std::optional<HttpResponse> RestApi::check_head(const HttpRequest& head, std::size_t& body_limit) const {
  const auto started = std::chrono::steady_clock::now();
  const auto match = match_route(head.method, head.path());
  const bool announces_body = head.content_length.value_or(0) > 0 || !head.header("transfer-encoding").empty();
  auto reject = [&](HttpResponse response) {
    response.close_connection = response.close_connection || announces_body;  // the body stays unread
    answer_early(*d_.metrics, d_.config.access_log, head, match.pattern, response, started);
    return std::optional<HttpResponse>(std::move(response));
  };
  // The route table is public (the OpenAPI document): 404 and 405 reveal nothing a key protects.
  if (match.kind == RouteMatch::Kind::no_route) return reject(error_response(404, "not_found", "no such route"));
  if (match.kind == RouteMatch::Kind::wrong_method) {
    auto response = error_response(405, "method_not_allowed", "allowed: " + match.allow);
    response.headers.emplace_back("Allow", match.allow);
    return reject(std::move(response));
  }
  if (match.route->authenticated && !workspace_for(head)) {
    auto response = error_response(401, "unauthorized", "a valid API key is required: Authorization: Bearer <key>");
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"contentgen\"");
    return reject(std::move(response));
  }
  const Endpoint endpoint = match.route->endpoint;
  const std::string type = media_type(head.header("content-type"));
  if ((endpoint == Endpoint::generate || endpoint == Endpoint::update_article) && type != "application/json") {
    return reject(error_response(415, "unsupported_media_type", "the body must be application/json"));
  }
  if (endpoint == Endpoint::upload_image && !multipart_boundary(head.header("content-type"))) {
    return reject(error_response(415, "unsupported_media_type",
                                 "the body must be multipart/form-data with a boundary and a `file` part"));
  }
  body_limit = body_limit_for(endpoint);
  if (head.content_length && *head.content_length > body_limit) return reject(too_large(endpoint));
  return std::nullopt;
}

HttpResponse RestApi::body_too_large(const HttpRequest& head) const {
  // Only a request check_head() let through gets here: its route exists.
  const auto started = std::chrono::steady_clock::now();
  const auto match = match_route(head.method, head.path());
  HttpResponse response = too_large(match.route->endpoint);
  answer_early(*d_.metrics, d_.config.access_log, head, match.pattern, response, started);
  return response;
}

HttpResponse RestApi::transport_error(const HttpRequest& head, int status, std::string_view code,
                                      std::string_view message) const {
  HttpResponse response = error_response(status, code, message);
  response.close_connection = true;
  const auto match = match_route(head.method, head.path());
  answer_early(*d_.metrics, d_.config.access_log, head, match.pattern, response, std::chrono::steady_clock::now());
  return response;
}

std::size_t RestApi::body_limit_for(Endpoint endpoint) const {
  return endpoint == Endpoint::upload_image ? d_.max_image_bytes + d_.config.multipart_overhead_bytes
                                            : d_.config.max_body_bytes;
}

HttpResponse RestApi::too_large(Endpoint endpoint) const {
  const bool image = endpoint == Endpoint::upload_image;
  auto response = error_response(413, "payload_too_large",
                                 "the body is larger than " + std::to_string(body_limit_for(endpoint)) + " bytes" +
                                     (image ? " (limits.max_image_bytes + server.multipart_overhead_bytes)"
                                            : " (server.max_body_bytes)"));
  response.close_connection = true;
  return response;
}

Respond RestApi::instrument(const HttpRequest& request, std::string_view route, Respond respond) const {
  ++d_.metrics->http_in_flight;
  HttpRequest head;  // what the log needs, without the body
  head.method = request.method;
  head.target = request.target;
  return [metrics = d_.metrics, access_log = d_.config.access_log, head = std::move(head), route = std::string(route),
          respond = std::move(respond), started = std::chrono::steady_clock::now(),
          id = request.id.empty() ? new_uuid_v7() : request.id](HttpResponse response) {
    response.headers.emplace_back("X-Request-Id", id);
    --metrics->http_in_flight;
    record_request(*metrics, access_log, head, route, response, started, id);
    respond(std::move(response));
  };
}

void RestApi::handle(HttpRequest request, Respond respond) const {
  auto match = match_route(request.method, request.path());
  auto call = std::make_shared<Call>();
  call->respond = instrument(request, match.pattern, std::move(respond));
  if (match.kind != RouteMatch::Kind::found) {
    call->respond(match.kind == RouteMatch::Kind::no_route ? error_response(404, "not_found", "no such route")
                                                           : error_response(405, "method_not_allowed", match.allow));
    return;
  }
  if (match.route->authenticated) {
    auto workspace = workspace_for(request);
    if (!workspace) {
      call->respond(error_response(401, "unauthorized", "a valid API key is required: Authorization: Bearer <key>"));
      return;
    }
    call->workspace = std::move(*workspace);
  }
  call->match = std::move(match);
  call->request = std::move(request);
  try {
    dispatch(call);
  } catch (const Error& e) {
    call->respond(error_response(e));
  } catch (const std::exception& e) {
    call->respond(error_response(500, "internal", e.what()));
  }
}

void RestApi::dispatch(const std::shared_ptr<Call>& call) const {
  switch (call->match.route->endpoint) {
    case Endpoint::health: return health(call);
    case Endpoint::metrics: {
      HttpResponse response;
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      response.body = d_.metrics->render();
      return call->respond(std::move(response));
    }
    case Endpoint::openapi: {
      HttpResponse response;
      response.body = std::string(openapi_document());
      return call->respond(std::move(response));
    }
    case Endpoint::generate: return generate(call);
    case Endpoint::list_articles: return list_articles(call);
    case Endpoint::get_article: return get_article(call);
    case Endpoint::update_article: return update_article(call);
    case Endpoint::delete_article: return delete_article(call);
    case Endpoint::upload_image: return upload_image(call);
    case Endpoint::delete_image: return delete_image(call);
    case Endpoint::spend: return spend(call);
  }
}

void RestApi::blocking(const std::shared_ptr<Call>& call, std::function<HttpResponse()> work) const {
  d_.run_blocking([call, work = std::move(work)] {
    HttpResponse response;
    try {
      response = work();
    } catch (const Error& e) {
      response = error_response(e);
    } catch (const std::exception& e) {
      response = error_response(500, "internal", e.what());
    }
    call->respond(std::move(response));
  });
}

}  // namespace contentgen::server
