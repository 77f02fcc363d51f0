// PriceTable::from_json (prices.file, the C API, the CLI's --prices). A table that reads must be
// written by to_json in a form from_json reads back to the same table.
#include "contentgen/cost.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace contentgen;
  fuzz::expect_errors([&] {
    const PriceTable table = PriceTable::from_json(fuzz::text_of(data, size));
    const std::string written = table.to_json();
    std::string again;
    try {
      again = PriceTable::from_json(written).to_json();
    } catch (const Error& e) {
      std::fprintf(stderr, "to_json wrote a table from_json refuses: %s\n%s\n", e.what(), written.c_str());
      std::abort();
    }
    FUZZ_CHECK(again == written);
  });
  return 0;
}
