#include "server/routes.hpp"

#include <boost/url/pct_string_view.hpp>

namespace contentgen::server {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  for (;;) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

// Number of literal segments when `pattern` matches, else -1.
int match_pattern(std::string_view pattern, const std::vector<std::string_view>& path, std::vector<std::string>* params) {
  const auto segments = split_path(pattern);
  if (segments.size() != path.size()) return -1;
  int literals = 0;
  std::vector<std::string> found;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto s = segments[i];
    if (s.size() >= 2 && s.front() == '{' && s.back() == '}') {
      auto decoded = percent_decode(path[i], false);
      if (!decoded || decoded->empty()) return -1;
      found.push_back(std::move(*decoded));
    } else if (s == path[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  if (params != nullptr) *params = std::move(found);
  return literals;
}

}  // namespace

const std::vector<Route>& routes() {
  static const std::vector<Route> table = {
      {"GET", "/healthz", Endpoint::health, false},
      {"GET", "/metrics", Endpoint::metrics, false},
      {"GET", "/api/v1/openapi.json", Endpoint::openapi, false},
      {"POST", "/api/v1/articles/generate", Endpoint::generate, true},
      {"GET", "/api/v1/articles", Endpoint::list_articles, true},
      {"GET", "/api/v1/articles/{id}", Endpoint::get_article, true},
      {"PUT", "/api/v1/articles/{id}", Endpoint::update_article, true},
      {"DELETE", "/api/v1/articles/{id}", Endpoint::delete_article, true},
      {"POST", "/api/v1/articles/{id}/images", Endpoint::upload_image, true},
      {"DELETE", "/api/v1/articles/{id}/images/{image_id}", Endpoint::delete_image, true},
      {"GET", "/api/v1/spend", Endpoint::spend, true},
  };
  return table;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  const auto valid = boost::urls::make_pct_string_view(text);
  if (!valid) return std::nullopt;
  boost::urls::encoding_opts options;
  options.space_as_plus = plus_is_space;
  return valid->decode(options);
}

RouteMatch match_route(std::string_view method, std::string_view path) {
  // HEAD is GET without the body (RFC 9110 9.3.2): the transport drops the body.
  if (method == "HEAD") method = "GET";
  const auto segments = split_path(path);
  RouteMatch result;
  int best = -1;
  // The most specific pattern that matches the path at all decides found / wrong_method.
  for (const auto& route : routes()) best = std::max(best, match_pattern(route.pattern, segments, nullptr));
  if (best < 0) return result;
  for (const auto& route : routes()) {
    std::vector<std::string> params;
    if (match_pattern(route.pattern, segments, &params) != best) continue;
    result.pattern = route.pattern;
    if (route.method == method) {
      result.kind = RouteMatch::Kind::found;
      result.route = &route;
      result.params = std::move(params);
      result.allow.clear();
      return result;
    }
    result.kind = RouteMatch::Kind::wrong_method;
    result.allow += (result.allow.empty() ? "" : ", ") + std::string(route.method);
    if (route.method == "GET") result.allow += ", HEAD";
  }
  return result;
}

}  // namespace contentgen::server
