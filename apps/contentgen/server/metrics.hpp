#pragma once
// Prometheus metrics of the REST server (docs/rest.md#metrics), rendered in the text exposition
// format 0.0.4. Fed by the generator's on_llm_call hook (LLM calls, tokens, exact cost, call
// latency) and by the server itself (generations, HTTP requests). Thread-safe.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "contentgen/error.hpp"
#include "contentgen/generator.hpp"

namespace contentgen::server {

class Histogram {
 public:
  static constexpr std::array<double, 12> kBounds{0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
  void observe(double seconds);
  // "<name>_bucket{le=...} n" lines, _sum and _count.
  void render(std::string& out, std::string_view name) const;

 private:
  std::array<std::uint64_t, kBounds.size()> buckets_{};  // non-cumulative; summed when rendered
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

class Metrics {
 public:
  void on_llm_call(const LlmCallReport& report);
  // One generate request finished (error: nullopt on success).
  void on_generation(std::optional<ErrorCode> error, std::chrono::steady_clock::duration latency);
  // One HTTP request answered. `route` is the route's pattern (bounded label values), not the path;
  // a method other than GET/HEAD/POST/PUT/DELETE/PATCH/OPTIONS is counted as "other".
  void on_request(std::string_view method, std::string_view route, int status, std::chrono::steady_clock::duration latency);

  std::atomic<std::int64_t> http_in_flight{0};
  std::atomic<std::int64_t> generations_in_flight{0};

  std::string render() const;

 private:
  using ModelKey = std::tuple<std::string, std::string>;  // provider, model
  struct ModelCounters {
    std::map<std::string, std::uint64_t> calls;  // outcome ("ok" or an error code) -> n
    std::int64_t prompt = 0, cached = 0, cache_write = 0, completion = 0, reasoning = 0;
    std::int64_t cost_nanos = 0;
    std::int64_t estimated_cost_nanos = 0;  // part of cost_nanos with estimated usage
    std::uint64_t unpriced_calls = 0;
  };
  mutable std::mutex mutex_;
  std::map<ModelKey, ModelCounters> models_;
  Histogram llm_latency_;
  std::uint64_t generations_ok_ = 0;
  std::map<std::string, std::uint64_t> generation_failures_;  // code -> n
  Histogram generation_latency_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // method, route, status
  Histogram request_latency_;
};

// Escapes a label value (backslash, double quote, newline).
std::string escape_label(std::string_view value);

}  // namespace contentgen::server
