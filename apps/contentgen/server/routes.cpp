#include "server/routes.hpp"

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

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
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
  };
  return table;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex(text[i + 1]);
      const int lo = hex(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

RouteMatch match_route(std::string_view method, std::string_view path) {
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
  }
  return result;
}

}  // namespace contentgen::server
