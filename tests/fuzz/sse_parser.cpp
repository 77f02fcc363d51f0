// The SSE parser (lib/adapters/llm/sse_parser) that reads every streamed LLM reply. Differential:
// the events must not depend on how the bytes were split, so the input is fed whole, one byte at a
// time, and in chunks whose sizes come from the input; the three event lists must be equal.
#include <vector>

#include "adapters/llm/sse_parser.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using contentgen::llm::SseEvent;
using contentgen::llm::SseParser;

std::vector<SseEvent> parse_in_chunks(std::string_view input, std::size_t (*next_size)(std::string_view, std::size_t)) {
  std::vector<SseEvent> events;
  SseParser parser;
  const SseParser::Handler collect = [&](const SseEvent& event) {
    events.push_back(event);
    return events.size() < 10'000;  // a stop request must be honoured too
  };
  std::size_t at = 0;
  while (at < input.size()) {
    const std::size_t n = std::min(next_size(input, at), input.size() - at);
    if (!parser.feed(input.substr(at, n), collect)) break;
    at += n;
  }
  return events;
}


}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = contentgen::fuzz::text_of(data, size);
  const auto whole = parse_in_chunks(input, [](std::string_view in, std::size_t) { return in.size(); });
  const auto bytes = parse_in_chunks(input, [](std::string_view, std::size_t) -> std::size_t { return 1; });
  const auto mixed = parse_in_chunks(
      input, [](std::string_view in, std::size_t at) -> std::size_t { return 1 + static_cast<unsigned char>(in[at]) % 7; });
  FUZZ_CHECK(whole == bytes);
  FUZZ_CHECK(whole == mixed);
  return 0;
}
