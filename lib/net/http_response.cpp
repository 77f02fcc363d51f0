// The Beast-free parts of the HTTP client interface.
#include "net/http_client.hpp"

namespace contentgen::net {

const std::string* HttpResponse::header(std::string_view lower_name) const noexcept {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return &value;
  return nullptr;
}

std::chrono::steady_clock::time_point deadline_after(std::chrono::milliseconds timeout) noexcept {
  using Clock = std::chrono::steady_clock;
  const auto now = Clock::now();
  if (timeout <= std::chrono::milliseconds::zero()) return now + timeout;
  const auto room = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - now);
  return timeout >= room ? Clock::time_point::max() : now + timeout;
}

bool is_retryable_transport_error(const Error& error) noexcept {
  const auto& code = error.details().provider_code;
  if (code == kTlsVerifyFailed || code == kResponseTooLarge) return false;
  return error.code() == ErrorCode::unavailable || error.code() == ErrorCode::timeout ||
         error.code() == ErrorCode::upstream;
}

}  // namespace contentgen::net
