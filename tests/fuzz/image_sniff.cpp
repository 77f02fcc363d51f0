// Image type and dimensions from uploaded bytes (lib/core/image_sniff). Accepted images have
// positive dimensions; the declared type check must not throw anything but Error.
#include "core/media/image_sniff.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace contentgen;
  fuzz::expect_errors([&] {
    const auto info = internal::sniff_image(as_bytes(fuzz::text_of(data, size)));
    FUZZ_CHECK(info.width > 0 && info.height > 0);
    FUZZ_CHECK(!info.content_type.empty() && !info.extension.empty());
    fuzz::expect_errors([&] { internal::check_declared_type(info, "image/jpg; charset=x", "a.JPEG"); });
    fuzz::expect_errors([&] { internal::check_declared_type(info, info.content_type, "noext"); });
  });
  return 0;
}
