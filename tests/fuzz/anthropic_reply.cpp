// Anthropic Messages replies: plain JSON, SSE stream, error body (see llm_reply.hpp).
#include "adapters/anthropic/anthropic_dialect.hpp"
#include "fuzz/llm_reply.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace contentgen;
  static const auto dialect = [] {
    AnthropicOptions options;
    options.api_key = "sk-ant-fuzz-secret-0123456789";
    options.default_model = "claude-3-5-haiku-latest";
    return anthropic::make_dialect(options);
  }();
  fuzz::fuzz_llm_reply(*dialect, fuzz::text_of(data, size));
  return 0;
}
