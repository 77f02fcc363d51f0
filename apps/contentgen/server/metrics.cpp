#include "server/metrics.hpp"

#include <cstdio>

namespace contentgen::server {
namespace {

std::string number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The method as a label value. Any token is a valid HTTP method and unauthenticated clients choose
// it: keeping it verbatim would let them grow the series (and our memory) without bound.
std::string_view method_label(std::string_view method) {
  for (const std::string_view known : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    if (method == known) return known;
  return "other";
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += " ";
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += " ";
  out += type;
  out += "\n";
}

}  // namespace

std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Histogram::observe(double value) {
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    if (value <= kBounds[i]) {
      ++buckets_[i];
      break;
    }
  }
  ++count_;
  sum_ += value;
}

void Histogram::render(std::string& out, std::string_view name) const {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += buckets_[i];
    out += std::string(name) + "_bucket{le=\"" + number(kBounds[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  out += std::string(name) + "_bucket{le=\"+Inf\"} " + std::to_string(count_) + "\n";
  out += std::string(name) + "_sum " + number(sum_) + "\n";
  out += std::string(name) + "_count " + std::to_string(count_) + "\n";
}

void Metrics::on_llm_call(const LlmCallReport& report) {
  std::lock_guard lock(mutex_);
  auto& m = models_[{report.provider, report.model}];
  ++m.calls[report.error ? std::string(to_string(*report.error)) : std::string("ok")];
  m.prompt += report.usage.prompt_tokens;
  m.cached += report.usage.cached_tokens;
  m.cache_write += report.usage.cache_write_tokens;
  m.completion += report.usage.completion_tokens;
  m.reasoning += report.usage.reasoning_tokens;
  if (report.cost) {
    m.cost_nanos += report.cost->nanos();
    if (report.usage.estimated) m.estimated_cost_nanos += report.cost->nanos();
  } else if (report.usage.total_tokens() > 0) {
    ++m.unpriced_calls;
  }
  llm_latency_.observe(std::chrono::duration<double>(report.latency).count());
}

void Metrics::on_generation(std::optional<ErrorCode> error, std::chrono::steady_clock::duration latency) {
  std::lock_guard lock(mutex_);
  if (error) {
    ++generation_failures_[std::string(to_string(*error))];
  } else {
    ++generations_ok_;
  }
  generation_latency_.observe(seconds(latency));
}

void Metrics::on_request(std::string_view method, std::string_view route, int status,
                         std::chrono::steady_clock::duration latency) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(method_label(method)), std::string(route), status}];
  request_latency_.observe(seconds(latency));
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  std::uint64_t failures = 0;
  for (const auto& [code, n] : generation_failures_) failures += n;

  header(out, "contentgen_generations_total", "counter", "Generate requests answered, by outcome.");
  out += "contentgen_generations_total{outcome=\"success\"} " + std::to_string(generations_ok_) + "\n";
  out += "contentgen_generations_total{outcome=\"failure\"} " + std::to_string(failures) + "\n";
  header(out, "contentgen_generation_failures_total", "counter", "Failed generate requests, by error code.");
  for (const auto& [code, n] : generation_failures_) {
    out += "contentgen_generation_failures_total{code=\"" + escape_label(code) + "\"} " + std::to_string(n) + "\n";
  }
  header(out, "contentgen_generation_duration_seconds", "histogram", "Wall time of generate requests.");
  generation_latency_.render(out, "contentgen_generation_duration_seconds");
  header(out, "contentgen_generations_in_flight", "gauge", "Generate requests being worked on.");
  out += "contentgen_generations_in_flight " + std::to_string(generations_in_flight.load()) + "\n";

  header(out, "contentgen_llm_calls_total", "counter", "LLM calls, by provider, model and outcome.");
  for (const auto& [key, m] : models_) {
    const std::string labels = "provider=\"" + escape_label(std::get<0>(key)) + "\",model=\"" + escape_label(std::get<1>(key)) + "\"";
    for (const auto& [outcome, n] : m.calls) {
      out += "contentgen_llm_calls_total{" + labels + ",outcome=\"" + escape_label(outcome) + "\"} " + std::to_string(n) + "\n";
    }
  }
  header(out, "contentgen_llm_tokens_total", "counter",
         "Tokens billed by LLM calls; prompt includes cached and cache_write, completion includes reasoning.");
  for (const auto& [key, m] : models_) {
    const std::string labels = "provider=\"" + escape_label(std::get<0>(key)) + "\",model=\"" + escape_label(std::get<1>(key)) + "\"";
    const std::pair<const char*, std::int64_t> kinds[] = {{"prompt", m.prompt},         {"cached", m.cached},
                                                          {"cache_write", m.cache_write}, {"completion", m.completion},
                                                          {"reasoning", m.reasoning}};
    for (const auto& [kind, n] : kinds) {
      out += "contentgen_llm_tokens_total{" + labels + ",kind=\"" + kind + "\"} " + std::to_string(n) + "\n";
    }
  }
  header(out, "contentgen_llm_cost_nanousd_total", "counter", "Exact cost of LLM calls in nano-USD (1e-9 USD).");
  for (const auto& [key, m] : models_) {
    out += "contentgen_llm_cost_nanousd_total{provider=\"" + escape_label(std::get<0>(key)) + "\",model=\"" +
           escape_label(std::get<1>(key)) + "\"} " + std::to_string(m.cost_nanos) + "\n";
  }
  header(out, "contentgen_llm_cost_usd_total", "counter", "Cost of LLM calls in USD (from the exact nano-USD sum).");
  for (const auto& [key, m] : models_) {
    out += "contentgen_llm_cost_usd_total{provider=\"" + escape_label(std::get<0>(key)) + "\",model=\"" +
           escape_label(std::get<1>(key)) + "\"} " + Money::from_nanos(m.cost_nanos).to_string() + "\n";
  }
  header(out, "contentgen_llm_cost_estimated_nanousd_total", "counter",
         "Part of contentgen_llm_cost_nanousd_total whose usage the provider did not report (estimated).");
  for (const auto& [key, m] : models_) {
    out += "contentgen_llm_cost_estimated_nanousd_total{provider=\"" + escape_label(std::get<0>(key)) + "\",model=\"" +
           escape_label(std::get<1>(key)) + "\"} " + std::to_string(m.estimated_cost_nanos) + "\n";
  }
  header(out, "contentgen_llm_unpriced_calls_total", "counter", "LLM calls whose model has no price (cost unknown).");
  for (const auto& [key, m] : models_) {
    out += "contentgen_llm_unpriced_calls_total{provider=\"" + escape_label(std::get<0>(key)) + "\",model=\"" +
           escape_label(std::get<1>(key)) + "\"} " + std::to_string(m.unpriced_calls) + "\n";
  }
  header(out, "contentgen_llm_call_duration_seconds", "histogram", "Latency of LLM calls, retries included.");
  llm_latency_.render(out, "contentgen_llm_call_duration_seconds");

  header(out, "contentgen_http_requests_total", "counter", "HTTP requests answered, by method, route and status.");
  for (const auto& [key, n] : requests_) {
    out += "contentgen_http_requests_total{method=\"" + escape_label(std::get<0>(key)) + "\",route=\"" +
           escape_label(std::get<1>(key)) + "\",status=\"" + std::to_string(std::get<2>(key)) + "\"} " + std::to_string(n) + "\n";
  }
  header(out, "contentgen_http_request_duration_seconds", "histogram", "Wall time of HTTP requests.");
  request_latency_.render(out, "contentgen_http_request_duration_seconds");
  header(out, "contentgen_http_requests_in_flight", "gauge", "HTTP requests being worked on.");
  out += "contentgen_http_requests_in_flight " + std::to_string(http_in_flight.load()) + "\n";
  return out;
}

}  // namespace contentgen::server
