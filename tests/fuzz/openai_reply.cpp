// OpenAI chat-completions replies: plain JSON, SSE stream, error body (see llm_reply.hpp).
#include "adapters/openai/openai_dialect.hpp"
#include "fuzz/llm_reply.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace contentgen;
  static const auto dialect = [] {
    OpenAiOptions options;
    options.api_key = "sk-fuzz-secret-0123456789";
    options.default_model = "gpt-4o-mini";
    return openai::make_dialect(options);
  }();
  fuzz::fuzz_llm_reply(*dialect, fuzz::text_of(data, size));
  return 0;
}
