// The Beast-free parts of the HTTP client interface.
#include "net/http_client.hpp"

namespace contentgen::net {

const std::string* HttpResponse::header(std::string_view lower_name) const noexcept {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return &value;
  return nullptr;
}

}  // namespace contentgen::net
