// The REST server's multipart/form-data parser (apps/contentgen/server/multipart). Input: the
// Content-Type header value, '\n', the body. Part bodies must be views into the body.
#include "fuzz/fuzz_support.hpp"
#include "server/multipart.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace contentgen;
  auto body = fuzz::text_of(data, size);
  const auto content_type = fuzz::take_line(body);
  (void)server::media_type(content_type);
  const auto boundary = server::multipart_boundary(content_type);
  if (!boundary) return 0;
  fuzz::expect_errors([&] {
    for (const auto& part : server::parse_multipart(body, *boundary)) {
      FUZZ_CHECK(part.body.empty() ||
                 (part.body.data() >= body.data() && part.body.data() + part.body.size() <= body.data() + body.size()));
    }
  });
  return 0;
}
