#pragma once
// What the HTTP LLM engine does with a provider's bytes, for one Dialect (openai_reply.cpp,
// anthropic_reply.cpp): the input as a plain 2xx reply body (Dialect::parse), as an SSE stream
// (SseParser -> StreamDecoder::on_event ... finish), and as an error reply body. Usage that comes
// out is checked as the engine checks it. Decoders document Error for malformed replies.
#include <string>

#include "adapters/llm/http_provider.hpp"
#include "adapters/llm/provider_errors.hpp"
#include "fuzz/fuzz_support.hpp"

namespace contentgen::fuzz {

inline void fuzz_llm_reply(const llm::Dialect& dialect, std::string_view input) {
  net::HttpResponse reply;
  reply.status = 200;
  reply.headers = {{"content-type", "application/json"}, {"x-request-id", "req_1"}, {"request-id", "req_1"}};
  reply.body = std::string(input);
  expect_errors([&] { llm::check_usage(dialect.name(), dialect.parse(reply).usage); });

  expect_errors([&] {
    const auto decoder = dialect.decoder();
    std::string text;
    const llm::DeltaSink emit = [&](std::string_view delta) { text.append(delta); };
    llm::SseParser parser;
    parser.feed(input, [&](const llm::SseEvent& event) {
      decoder->on_event(event, emit);
      return true;
    });
    const ChatResponse response = decoder->finish();
    llm::check_usage(dialect.name(), response.usage);
  });

  reply.status = 429;
  const auto body = llm::parse_error_body(input);
  const Error error = llm::error_from_reply(dialect.name(), reply, body, dialect.secret());
  FUZZ_CHECK(std::string_view(error.what()).find(dialect.secret()) == std::string_view::npos);
}

}  // namespace contentgen::fuzz
