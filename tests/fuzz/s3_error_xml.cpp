// S3 XML error bodies (lib/adapters/s3/s3_errors): parse, then the Error built from them.
#include "adapters/s3/s3_errors.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace contentgen;
  const auto body = fuzz::text_of(data, size);
  fuzz::expect_errors([&] {
    const auto parsed = s3::parse_error_xml(body);
    const Error error = s3::reply_error("PutObject", 503, parsed.value_or(s3::S3ErrorBody{}), "req-1");
    (void)s3::is_retryable_reply(503, parsed ? std::string_view(parsed->code) : std::string_view());
    (void)error;
  });
  fuzz::expect_errors([&] { (void)s3::xml_element_text(body, "Message"); });
  return 0;
}
