#pragma once
// Plain HTTP request/response values exchanged between the Beast transport (http_server.cpp, the
// only TU that sees Beast) and the REST API (rest_api.cpp), which never sees Beast.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace contentgen::server {

// A request body too large to keep in memory: an unlinked temporary file, mapped read-only for
// as long as this object lives (server.upload_spool_bytes).
class SpooledBody {
 public:
  virtual ~SpooledBody() = default;
  virtual std::string_view bytes() const = 0;
};

struct HttpRequest {
  std::string id;                                            // X-Request-Id, given by the transport
  std::string method;                                        // "GET", "POST", ...
  std::string target;                                        // "/api/v1/articles?limit=5"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::optional<std::uint64_t> content_length;               // of the body, when announced
  std::string body;                                          // empty until the body was read...
  std::shared_ptr<const SpooledBody> spooled_body;           // ...or here, when it was spooled

  std::string_view body_bytes() const { return spooled_body ? spooled_body->bytes() : std::string_view(body); }
  // The first header of that (lower-case) name, or "".
  std::string_view header(std::string_view name) const {
    for (const auto& [key, value] : headers)
      if (key == name) return value;
    return {};
  }
  std::string_view path() const { return std::string_view(target).substr(0, target.find('?')); }
  std::string_view query() const {
    const auto q = target.find('?');
    return q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close_connection = false;  // e.g. after refusing a body we did not read
};

// Sends the response; may be called from any thread, exactly once.
using Respond = std::function<void(HttpResponse)>;

}  // namespace contentgen::server
