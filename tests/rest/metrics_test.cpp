#include <gtest/gtest.h>

#include "server/metrics.hpp"

namespace contentgen::server {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(Metrics, LlmCallsTokensAndExactCost) {
  Metrics metrics;
  LlmCallReport report;
  report.provider = "openai";
  report.model = "gpt-4o-mini";
  report.usage.prompt_tokens = 1000;
  report.usage.cached_tokens = 200;
  report.usage.completion_tokens = 500;
  report.cost = Money::from_nanos(435'000);
  report.latency = std::chrono::milliseconds(300);
  metrics.on_llm_call(report);
  report.usage.estimated = true;  // e.g. a stream that ended without its usage chunk
  report.cost = Money::from_nanos(435'001);
  metrics.on_llm_call(report);
  report.error = ErrorCode::timeout;
  report.cost.reset();
  report.usage = {};
  metrics.on_llm_call(report);
  const std::string text = metrics.render();
  const std::string labels = "provider=\"openai\",model=\"gpt-4o-mini\"";
  EXPECT_TRUE(has_line(text, "contentgen_llm_calls_total{" + labels + ",outcome=\"ok\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "contentgen_llm_calls_total{" + labels + ",outcome=\"timeout\"} 1"));
  EXPECT_TRUE(has_line(text, "contentgen_llm_tokens_total{" + labels + ",kind=\"prompt\"} 2000"));
  EXPECT_TRUE(has_line(text, "contentgen_llm_tokens_total{" + labels + ",kind=\"cached\"} 400"));
  EXPECT_TRUE(has_line(text, "contentgen_llm_tokens_total{" + labels + ",kind=\"completion\"} 1000"));
  EXPECT_TRUE(has_line(text, "contentgen_llm_cost_nanousd_total{" + labels + "} 870001"));
  EXPECT_TRUE(has_line(text, "contentgen_llm_cost_estimated_nanousd_total{" + labels + "} 435001"));
  EXPECT_TRUE(has_line(text, "contentgen_llm_cost_usd_total{" + labels + "} 0.000870001"));
  EXPECT_TRUE(has_line(text, "contentgen_llm_call_duration_seconds_count 3"));
  EXPECT_TRUE(has_line(text, "contentgen_llm_call_duration_seconds_bucket{le=\"0.25\"} 0"));
  EXPECT_TRUE(has_line(text, "contentgen_llm_call_duration_seconds_bucket{le=\"0.5\"} 3"));
  EXPECT_TRUE(has_line(text, "contentgen_llm_call_duration_seconds_bucket{le=\"+Inf\"} 3"));
}

TEST(Metrics, GenerationsAndRequests) {
  Metrics metrics;
  metrics.on_generation(std::nullopt, std::chrono::milliseconds(50));
  metrics.on_generation(ErrorCode::upstream, std::chrono::seconds(3));
  metrics.on_generation(ErrorCode::upstream, std::chrono::seconds(200));
  metrics.on_request("POST", "/api/v1/articles/generate", 201, std::chrono::milliseconds(50));
  metrics.on_request("POST", "/api/v1/articles/generate", 201, std::chrono::milliseconds(60));
  const std::string text = metrics.render();
  EXPECT_TRUE(has_line(text, "contentgen_generations_total{outcome=\"success\"} 1"));
  EXPECT_TRUE(has_line(text, "contentgen_generations_total{outcome=\"failure\"} 2"));
  EXPECT_TRUE(has_line(text, "contentgen_generation_failures_total{code=\"upstream\"} 2"));
  EXPECT_TRUE(has_line(text, "contentgen_generation_duration_seconds_bucket{le=\"5\"} 2"));
  EXPECT_TRUE(has_line(text, "contentgen_generation_duration_seconds_bucket{le=\"120\"} 2"));
  EXPECT_TRUE(has_line(text, "contentgen_generation_duration_seconds_bucket{le=\"+Inf\"} 3"));
  EXPECT_TRUE(has_line(text, "contentgen_http_requests_total{method=\"POST\",route=\"/api/v1/articles/generate\",status=\"201\"} 2"));
  EXPECT_TRUE(has_line(text, "# TYPE contentgen_generation_duration_seconds histogram"));
}

TEST(Metrics, ClientChosenMethodsDoNotGrowTheSeries) {
  Metrics metrics;
  for (int i = 0; i < 1000; ++i) metrics.on_request("X" + std::to_string(i), "unmatched", 401, std::chrono::milliseconds(1));
  metrics.on_request("GET", "unmatched", 401, std::chrono::milliseconds(1));
  const std::string text = metrics.render();
  EXPECT_TRUE(has_line(text, "contentgen_http_requests_total{method=\"other\",route=\"unmatched\",status=\"401\"} 1000"));
  EXPECT_TRUE(has_line(text, "contentgen_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"401\"} 1"));
  EXPECT_EQ(text.find("X999"), std::string::npos);
}

TEST(Metrics, LabelValuesAreEscaped) {
  EXPECT_EQ(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace contentgen::server
