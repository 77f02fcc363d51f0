#pragma once
// The REST routes, as data: the dispatcher and the OpenAPI consistency test read the same table.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace contentgen::server {

enum class Endpoint {
  health,
  metrics,
  openapi,
  generate,
  list_articles,
  get_article,
  update_article,
  delete_article,
  upload_image,
  delete_image,
  spend,
};

struct Route {
  std::string_view method;   // "GET"
  std::string_view pattern;  // "/api/v1/articles/{id}"; {name} matches one path segment
  Endpoint endpoint;
  bool authenticated;        // needs a bearer API key
};

const std::vector<Route>& routes();

struct RouteMatch {
  enum class Kind { found, wrong_method, no_route } kind = Kind::no_route;
  const Route* route = nullptr;     // found
  std::vector<std::string> params;  // found: the {name} segments, percent-decoded, in order
  std::string allow;                // wrong_method: "GET, PUT" for the Allow header
  std::string_view pattern;         // found / wrong_method: the matched pattern (metrics label)
};

// The most specific pattern wins: a literal segment beats {name} ("generate" is not an id).
RouteMatch match_route(std::string_view method, std::string_view path);

// Percent-decoding of one path segment or query value; nullopt for a bad escape. `plus_is_space`
// for query strings (application/x-www-form-urlencoded).
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace contentgen::server
