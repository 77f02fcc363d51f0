#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "server/rest_api.hpp"
#include "server/routes.hpp"

namespace contentgen::server {
namespace {

TEST(Routes, ParamsAreDecodedAndLiteralsWin) {
  auto m = match_route("GET", "/api/v1/articles/a%2Fb%20c");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.route->endpoint, Endpoint::get_article);
  EXPECT_EQ(m.params, std::vector<std::string>{"a/b c"});

  m = match_route("POST", "/api/v1/articles/generate");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.route->endpoint, Endpoint::generate);
  m = match_route("GET", "/api/v1/articles/generate");  // "generate" is not an id
  EXPECT_EQ(m.kind, RouteMatch::Kind::wrong_method);
  EXPECT_EQ(m.allow, "POST");

  m = match_route("DELETE", "/api/v1/articles/x/images/y");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.params, (std::vector<std::string>{"x", "y"}));
}

TEST(Routes, WrongMethodListsTheAllowedOnes) {
  const auto m = match_route("PATCH", "/api/v1/articles/abc");
  EXPECT_EQ(m.kind, RouteMatch::Kind::wrong_method);
  EXPECT_EQ(m.allow, "GET, HEAD, PUT, DELETE");
  EXPECT_EQ(m.pattern, "/api/v1/articles/{id}");
}

TEST(Routes, NoRoute) {
  for (const char* path : {"/", "/api/v1/articles/", "/api/v1/articles//images", "/api/v1/article", "/healthz/x",
                           "/api/v1/articles/%zz", "relative"}) {
    EXPECT_EQ(match_route("GET", path).kind, RouteMatch::Kind::no_route) << path;
  }
}

TEST(Routes, PercentDecoding) {
  EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("%4", false), std::nullopt);
  EXPECT_EQ(percent_decode("%", false), std::nullopt);
  EXPECT_EQ(percent_decode("%41", false), "A");
}

// The OpenAPI document and the route table describe the same API, both ways round.
TEST(Routes, OpenApiDocumentMatchesTheRouteTable) {
  const auto document = boost::json::parse(openapi_document()).as_object();
  std::set<std::pair<std::string, std::string>> documented;
  std::set<std::pair<std::string, std::string>> public_documented;
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (method == "parameters") continue;
      std::string upper(method);
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.emplace(upper, path);
      const auto* security = operation.as_object().if_contains("security");
      if (security != nullptr && security->as_array().empty()) public_documented.emplace(upper, path);
    }
  }
  std::set<std::pair<std::string, std::string>> implemented;
  std::set<std::pair<std::string, std::string>> public_implemented;
  for (const auto& route : routes()) {
    implemented.emplace(route.method, route.pattern);
    if (!route.authenticated) public_implemented.emplace(route.method, route.pattern);
  }
  EXPECT_EQ(documented, implemented);
  EXPECT_EQ(public_documented, public_implemented);
}

}  // namespace
}  // namespace contentgen::server
