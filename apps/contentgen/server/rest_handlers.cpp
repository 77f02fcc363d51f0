// The REST endpoints (docs/rest.md#endpoints). Each runs its repository/store work on the worker
// pool (RestApi::blocking) or, for generation, on the generator's asynchronous path.
#include <boost/json.hpp>
#include <cstdio>

#include "contentgen/json.hpp"
#include "server/multipart.hpp"
#include "server/rest_api.hpp"
#include "server/rest_call.hpp"

namespace contentgen::server {
namespace {

namespace json = boost::json;

HttpResponse json_response(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

HttpResponse no_content() {
  HttpResponse response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

// Query parameters, percent-decoded; names outside `allowed` are a 422 naming them.
std::vector<std::pair<std::string, std::string>> query_params(std::string_view query,
                                                              std::initializer_list<std::string_view> allowed) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) throw Error::invalid_argument("query", "has a malformed percent escape");
    if (std::find(allowed.begin(), allowed.end(), *name) == allowed.end()) {
      throw Error::invalid_argument(*name, "is not a query parameter of this endpoint");
    }
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

// The body as a JSON object; a 400 when it is not JSON at all, a 422 naming `what` otherwise.
std::optional<json::object> json_body(const HttpRequest& request, const std::string& what, HttpResponse& failure) {
  boost::system::error_code ec;
  json::value value = json::parse(request.body_bytes(), ec);
  if (ec) {
    failure = error_response(400, "bad_request", "the body is not valid JSON: " + ec.message());
    return std::nullopt;
  }
  if (!value.is_object()) {
    failure = error_response(422, "invalid_argument", "must be a JSON object", what);
    return std::nullopt;
  }
  return std::move(value.as_object());
}

// The plan in a generate request's body, in the API key's workspace; nullopt with `failure` set
// when the body is not a JSON object. Throws Error{invalid_argument} for a bad plan. Parsing is
// client-controlled work: call it on the worker pool, never on an I/O thread.
std::optional<ContentPlan> plan_of(const HttpRequest& request, const std::string& workspace, HttpResponse& failure) {
  auto object = json_body(request, "plan", failure);
  if (!object) return std::nullopt;
  if (const auto* given = object->if_contains("workspace_id")) {
    // The key decides the workspace; a plan naming another one is a mistake worth reporting.
    if (!given->is_string() || given->as_string() != workspace)
      throw Error::invalid_argument("plan.workspace_id", "must be omitted or equal to the API key's workspace");
  }
  (*object)["workspace_id"] = workspace;
  return plan_from_json(json::serialize(*object));
}

// A version from If-Match ("3", "\"3\"", W/"3").
std::optional<std::int64_t> version_from_if_match(std::string_view value) {
  if (value.rfind("W/", 0) == 0) value.remove_prefix(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  std::int64_t version = 0;
  if (value.empty() || value.size() > 18 || value.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  for (const char c : value) version = version * 10 + (c - '0');
  return version;
}

// The upload described by the multipart fields `file` (required) and `alt_text`. The bytes are
// views into the request body. Throws Error{invalid_argument} naming the field.
ImageUpload image_upload_from(const std::vector<MultipartPart>& parts) {
  ImageUpload upload;
  bool have_file = false;
  for (const auto& part : parts) {
    if (part.name == "file") {
      if (have_file) throw Error::invalid_argument("file", "appears twice");
      have_file = true;
      upload.bytes = as_bytes(part.body);
      upload.filename = part.filename;
      // Browsers send octet-stream for unknown files: that claims nothing.
      if (media_type(part.content_type) != "application/octet-stream") upload.declared_content_type = part.content_type;
    } else if (part.name == "alt_text") {
      upload.alt_text = std::string(part.body);
    } else {
      throw Error::invalid_argument(part.name, "is not a field of an image upload (file, alt_text)");
    }
  }
  if (!have_file) throw Error::invalid_argument("file", "required: the image as the multipart field `file`");
  return upload;
}

// {"status", "checks": {"database", "image_store", "event_sink"}} from each port's ping(); 503
// when one fails. /healthz needs no key: a failing check answers only its error code; the
// message (which may name hosts, users, buckets) goes to the server's log.
HttpResponse check_health(const Ports& ports) {
  json::object checks;
  bool healthy = true;
  auto check = [&](const char* name, auto&& ping) {
    try {
      ping();
      checks[name] = "ok";
      return;
    } catch (const Error& e) {
      checks[name] = to_string(e.code());
      std::fprintf(stderr, "contentgen serve: health check %s: %s: %s\n", name, to_string(e.code()).data(), e.what());
    } catch (const std::exception& e) {
      checks[name] = "internal";
      std::fprintf(stderr, "contentgen serve: health check %s: internal: %s\n", name, e.what());
    }
    healthy = false;
  };
  check("database", [&] { ports.repository->ping(); });
  if (ports.images) {
    check("image_store", [&] { ports.images->ping(); });
  } else {
    checks["image_store"] = "not configured";
  }
  if (ports.events) {
    check("event_sink", [&] { ports.events->ping(); });
  } else {
    checks["event_sink"] = "not configured";
  }
  return json_response(healthy ? 200 : 503,
                       json::serialize(json::object{{"status", healthy ? "ok" : "unavailable"}, {"checks", checks}}));
}

// The filesystem store's file:// URLs are paths on the server, not addresses for clients: shown as
// "" (images.public_base_url publishes them over HTTP instead).
void hide_server_paths(std::string& url) {
  if (url.rfind("file:", 0) == 0) url.clear();
}

Article for_clients(Article article) {
  hide_server_paths(article.html_url);
  for (auto& image : article.images) hide_server_paths(image.url);
  return article;
}

HttpResponse article_response(int status, const Article& article) {
  HttpResponse response = json_response(status, article_to_json(for_clients(article)));
  response.headers.emplace_back("ETag", "\"" + std::to_string(article.version) + "\"");
  return response;
}

}  // namespace

void RestApi::health(const std::shared_ptr<Call>& call) const {
  {
    std::lock_guard lock(health_->mutex);
    health_->waiting.push_back(call->respond);
    if (health_->running) return;  // the check in progress answers this request too
    health_->running = true;
  }
  d_.run_blocking([generator = d_.generator, state = health_] {
    HttpResponse response;
    try {
      response = check_health(generator->ports());
    } catch (const std::exception& e) {
      response = error_response(500, "internal", e.what());
    }
    std::vector<Respond> waiting;
    {
      std::lock_guard lock(state->mutex);
      waiting.swap(state->waiting);
      state->running = false;
    }
    for (auto& respond : waiting) respond(response);
  });
}

void RestApi::generate(const std::shared_ptr<Call>& call) const {
  GenerateOptions options;
  for (auto& [name, value] : query_params(call->request.query(), {"model"})) options.model = value;
  if (const auto key = call->request.header("idempotency-key"); !key.empty()) {
    if (key.size() > 255) throw Error::invalid_argument("Idempotency-Key", "must be at most 255 characters");
    options.idempotency_key = std::string(key);
  }
  // Take a slot and check in one step: with several I/O threads a load-then-increment would let
  // concurrent requests all pass the check.
  if (d_.metrics->generations_in_flight.fetch_add(1) >= static_cast<std::int64_t>(d_.config.max_generations_in_flight)) {
    --d_.metrics->generations_in_flight;
    auto response = error_response(429, "rate_limited",
                                   "too many generations in flight (server.max_generations_in_flight)");
    response.headers.emplace_back("Retry-After", "1");
    return call->respond(std::move(response));
  }
  options.cancel = d_.shutdown;
  const auto started_wall = now_utc();
  const auto started = std::chrono::steady_clock::now();
  auto metrics = d_.metrics;
  auto on_done = [call, metrics, started, started_wall](Result<Article> result) {
    --metrics->generations_in_flight;
    metrics->on_generation(result.ok() ? std::nullopt : std::optional(result.error().code()),
                           std::chrono::steady_clock::now() - started);
    if (!result.ok()) return call->respond(error_response(result.error()));
    // An idempotent replay returns the article stored earlier: 200 instead of 201 Created.
    const Article& article = result.value();
    HttpResponse response = article_response(article.created_at < started_wall ? 200 : 201, article);
    response.headers.emplace_back("Location", "/api/v1/articles/" + article.id);
    call->respond(std::move(response));
  };
  // The plan's parsing, and generate_async's idempotency lookup and budget reservation (done before
  // it returns): on the worker pool, not on the I/O thread.
  auto generator = d_.generator;
  d_.run_blocking([generator, call, metrics, options = std::move(options), on_done]() mutable {
    HttpResponse failure;
    std::optional<ContentPlan> plan;
    try {
      plan = plan_of(call->request, call->workspace, failure);
    } catch (const Error& e) {
      failure = error_response(e);  // a bad plan: 422 naming the field, not a failed generation
    } catch (const std::exception& e) {
      failure = error_response(500, "internal", e.what());
    }
    if (!plan) {
      --metrics->generations_in_flight;
      return call->respond(std::move(failure));
    }
    try {
      generator->generate_async(std::move(*plan), std::move(options), on_done);
    } catch (const Error& e) {
      on_done(e);
    } catch (const std::exception& e) {
      on_done(Error(ErrorCode::internal, e.what()));
    }
  });
}

void RestApi::list_articles(const std::shared_ptr<Call>& call) const {
  ListQuery query;
  for (auto& [name, value] : query_params(call->request.query(), {"status", "limit", "cursor"})) {
    if (name == "status") {
      if (value.empty()) continue;
      query.status = parse_article_status(value);
      if (!query.status) throw Error::invalid_argument("status", "must be draft, published or archived");
    } else if (name == "limit") {
      if (value.empty() || value.size() > 3 || value.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(value) < 1 || std::stoi(value) > 100) {
        throw Error::invalid_argument("limit", "must be an integer from 1 to 100");
      }
      query.limit = std::stoi(value);
    } else {
      query.cursor = value;
    }
  }
  auto generator = d_.generator;
  blocking(call, [generator, call, query] {
    auto page = generator->list(call->workspace, query);
    for (auto& article : page.items) article = for_clients(std::move(article));
    return json_response(200, article_page_to_json(page));
  });
}

void RestApi::spend(const std::shared_ptr<Call>& call) const {
  std::optional<Timestamp> since;
  for (auto& [name, value] : query_params(call->request.query(), {"since"})) {
    if (value.empty()) continue;
    since = parse_rfc3339(value);
    if (!since) throw Error::invalid_argument("since", "must be an RFC 3339 time, e.g. 2026-12-01T00:00:00Z");
  }
  auto generator = d_.generator;
  blocking(call, [generator, call, since] {
    return json_response(200, spend_summary_to_json(generator->spend(call->workspace, since)));
  });
}

void RestApi::get_article(const std::shared_ptr<Call>& call) const {
  auto generator = d_.generator;
  blocking(call, [generator, call] {
    return article_response(200, generator->get(call->workspace, call->match.params.at(0)));
  });
}

void RestApi::update_article(const std::shared_ptr<Call>& call) const {
  auto generator = d_.generator;
  // Parsing the body is client-controlled work: on the worker pool with the update itself.
  blocking(call, [generator, call]() -> HttpResponse {
    HttpResponse failure;
    auto object = json_body(call->request, "update", failure);
    if (!object) return failure;
    std::optional<std::int64_t> version;
    if (const auto if_match = call->request.header("if-match"); !if_match.empty()) {
      version = version_from_if_match(if_match);
      if (!version) throw Error::invalid_argument("If-Match", "must be the article's version, e.g. \"3\"");
    }
    if (const auto* v = object->if_contains("version")) {
      if (!v->is_int64() || v->as_int64() < 1) throw Error::invalid_argument("update.version", "must be a positive integer");
      if (version && *version != v->as_int64()) {
        throw Error::invalid_argument("update.version", "disagrees with the If-Match header");
      }
      version = v->as_int64();
      object->erase("version");
    }
    if (!version) {
      throw Error::invalid_argument("update.version",
                                    "required: the version you read, as \"version\" in the body or an If-Match header");
    }
    const ArticleUpdate changes = article_update_from_json(json::serialize(*object));
    return article_response(200, generator->update(call->workspace, call->match.params.at(0), changes, *version));
  });
}

void RestApi::delete_article(const std::shared_ptr<Call>& call) const {
  auto generator = d_.generator;
  blocking(call, [generator, call] {
    generator->remove(call->workspace, call->match.params.at(0));
    return no_content();
  });
}

void RestApi::upload_image(const std::shared_ptr<Call>& call) const {
  auto boundary = multipart_boundary(call->request.header("content-type"));
  if (!boundary) {
    return call->respond(error_response(415, "unsupported_media_type", "the body must be multipart/form-data"));
  }
  // Scanning a body of up to limits.max_image_bytes is CPU work that a client controls: it runs on
  // the worker pool with the store and database work, never on the I/O thread.
  blocking(call, [generator = d_.generator, call, boundary = std::move(*boundary),
                  max_image_bytes = d_.max_image_bytes]() -> HttpResponse {
    std::vector<MultipartPart> parts;
    try {
      parts = parse_multipart(call->request.body_bytes(), boundary);
    } catch (const Error& e) {
      return error_response(400, "bad_request", e.what(), "multipart");
    }
    const ImageUpload upload = image_upload_from(parts);  // throws invalid_argument -> 422
    if (upload.bytes.size() > max_image_bytes) {
      return error_response(413, "payload_too_large",
                            "the image is " + std::to_string(upload.bytes.size()) + " bytes; the limit is " +
                                std::to_string(max_image_bytes) + " (limits.max_image_bytes)",
                            "file");
    }
    try {
      auto image = generator->upload_image(call->workspace, call->match.params.at(0), upload);
      hide_server_paths(image.url);
      return json_response(201, image_to_json(image));
    } catch (const Error& e) {
      const auto& field = e.details().field;
      // Bytes that are no image, or disagree with the declared type or extension: a media type problem.
      if (e.code() == ErrorCode::invalid_argument &&
          (field == "image" || field == "declared_content_type" || field == "filename")) {
        return error_response(415, "unsupported_media_type", e.what(), field == "image" ? "file" : field);
      }
      throw;
    }
  });
}

void RestApi::delete_image(const std::shared_ptr<Call>& call) const {
  auto generator = d_.generator;
  blocking(call, [generator, call] {
    generator->delete_image(call->workspace, call->match.params.at(0), call->match.params.at(1));
    return no_content();
  });
}

}  // namespace contentgen::server
