#pragma once
// Scripted behaviour of the mock: a FIFO of entries, each consumed by the next matching LLM
// request (see docs/mockllm.md for the JSON form). Thread-safe.
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mockllm {

struct ScriptEntry {
  std::string match;                       // substring of the request target; empty: any LLM call
  int times = 1;                           // consumed after this many matching requests
  // A raw reply instead of a generated one:
  int status = 0;                          // 0: 200 with a generated completion
  std::vector<std::pair<std::string, std::string>> headers;  // added to whatever reply is sent
  std::optional<std::string> body;         // raw body ("body" or "body_base64"); default for errors: provider JSON
  std::string content_type;                // for raw bodies; default by status/stream
  std::string error_type, error_code, error_message;  // the provider error JSON of a non-200 status
  // Faults: "hang", "close" (no reply), "cut" (after cut_after_bytes of the body), "malformed_json".
  std::string fault;
  std::int64_t cut_after_bytes = 0;
  // Shaping a generated completion:
  std::optional<std::int64_t> latency_ms;  // before the response header
  std::optional<std::int64_t> chunk_delay_ms;  // between stream events
  std::optional<std::string> text;         // exact completion text
  std::string finish_reason;               // "length", "content_filter", ... (OpenAI names)
  bool omit_usage = false;
  std::int64_t cached_tokens = 0;          // OpenAI prompt_tokens_details / Anthropic cache_read
  std::int64_t cache_creation_tokens = 0;  // Anthropic cache_creation_input_tokens
  std::int64_t reasoning_tokens = 0;       // OpenAI completion_tokens_details
  std::optional<int> stream_error_after;   // an error event after N text events (HTTP 200)
};

// Parses one entry or an array of entries. Throws std::runtime_error with a reason.
std::vector<ScriptEntry> parse_script(const std::string& json_text);

class Script {
 public:
  void push(std::vector<ScriptEntry> entries);
  void clear();
  std::size_t size() const;
  // The first entry matching `target`, consumed once its `times` are used up.
  std::optional<ScriptEntry> take(const std::string& target);

 private:
  mutable std::mutex mutex_;
  std::deque<ScriptEntry> entries_;
};

}  // namespace mockllm
