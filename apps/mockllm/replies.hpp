#pragma once
// What the mock answers to one LLM request, in OpenAI or Anthropic format (no I/O here).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "script.hpp"

namespace mockllm {

enum class Format { openai, anthropic };

struct Settings {
  std::int64_t latency_ms = 0;
  std::int64_t chunk_delay_ms = 0;
  std::string api_key;  // when set, requests must carry it (Bearer / api-key / x-api-key)
  std::int64_t default_max_tokens = 700;
};

struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                  // the whole body, or empty when `events` are streamed
  std::vector<std::string> events;   // SSE events, each already "...\n\n"-terminated
  std::string fault;                 // "", "hang", "close", "cut"
  std::int64_t cut_after_bytes = 0;
  std::int64_t latency_ms = 0;
  std::int64_t chunk_delay_ms = 0;
  // The usage the reply reports, in the provider's JSON shape ("" when it reports none): what a
  // real provider would bill for this request, kept in the request log for tests of the ledger.
  std::string usage;
};

// `presented_key`: the credential the request carried (empty if none).
Reply build_reply(Format format, const std::string& request_body, const std::string& presented_key,
                  const std::optional<ScriptEntry>& entry, const Settings& settings, std::uint64_t sequence);

}  // namespace mockllm
