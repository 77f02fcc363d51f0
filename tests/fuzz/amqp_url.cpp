// AMQP URLs (events.amqp.url: amqp://, amqps://). A parsed endpoint has a host and a valid port.
#include <string>

#include "adapters/amqp/amqp_url.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace contentgen;
  fuzz::expect_errors([&] {
    const auto endpoint = amqp::parse_url(std::string(fuzz::text_of(data, size)));
    FUZZ_CHECK(endpoint.port > 0 && endpoint.port <= 65535);
  });
  return 0;
}
