#pragma once
// One request being handled by RestApi (shared by rest_api.cpp and rest_handlers.cpp).
#include <string>

#include "server/http_types.hpp"
#include "server/rest_api.hpp"
#include "server/routes.hpp"

namespace contentgen::server {

struct RestApi::Call {
  HttpRequest request;
  RouteMatch match;
  std::string workspace;  // of the API key; empty on public routes
  Respond respond;        // instrumented: logs, counts, adds X-Request-Id
};

}  // namespace contentgen::server
