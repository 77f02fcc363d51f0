// Retry-After / retry-after-ms from a 429 or 503 reply (lib/net/retry_after). Input: the
// retry-after-ms value, '\n', the Retry-After value. Never negative, never overflowing.
#include "fuzz/fuzz_support.hpp"
#include "net/retry_after.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace contentgen;
  auto input = fuzz::text_of(data, size);
  const auto ms = fuzz::take_line(input);
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600));  // 2026-01-01
  net::HttpResponse reply;
  reply.status = 429;
  if (!ms.empty()) reply.headers.emplace_back("retry-after-ms", std::string(ms));
  reply.headers.emplace_back("retry-after", std::string(input));
  fuzz::expect_errors([&] {
    const auto wait = net::parse_retry_after(reply, now);
    if (wait) FUZZ_CHECK(wait->count() >= 0);
  });
  reply.headers.erase(reply.headers.begin());
  fuzz::expect_errors([&] {
    const auto wait = net::parse_retry_after(reply, now);
    if (wait) FUZZ_CHECK(wait->count() >= 0);
  });
  return 0;
}
