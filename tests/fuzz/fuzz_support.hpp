#pragma once
// Shared by the fuzz targets (tests/fuzz/*.cpp). Each target defines LLVMFuzzerTestOneInput; with
// clang it is linked with -fsanitize=fuzzer (libFuzzer), otherwise with replay_main.cpp, which runs
// it over every file of the seed corpus (a ctest test per target, label "fuzz").
//
// Rule of every target: what the parser documents (Error for bad input) is caught; anything else
// -- another exception type, a sanitizer report, a broken invariant (FUZZ_CHECK) -- is a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "contentgen/error.hpp"

namespace contentgen::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs `parse`; Error is the documented outcome of bad input and is ignored.
template <class F>
void expect_errors(F&& parse) {
  try {
    parse();
  } catch (const Error&) {
  }
}

// The first line of `input` (without its '\n'); `input` keeps the rest. For targets that take two
// values (a header and a body, a content type and a body).
inline std::string_view take_line(std::string_view& input) {
  const auto nl = input.find('\n');
  const auto line = input.substr(0, nl);
  input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
  return line;
}

}  // namespace contentgen::fuzz

#define FUZZ_CHECK(condition)                                                                  \
  do {                                                                                         \
    if (!(condition)) {                                                                        \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (false)
