#pragma once
// Helpers shared by the provider suites.
#include <future>
#include <string>

#include <boost/json.hpp>

#include "contentgen/ports/llm_provider.hpp"

namespace contentgen::testsupport {

inline Result<ChatResponse> call(LlmProvider& provider, ChatRequest request) {
  std::promise<Result<ChatResponse>> done;
  provider.complete_async(std::move(request), [&](Result<ChatResponse> r) { done.set_value(std::move(r)); });
  return done.get_future().get();
}

inline ChatRequest simple_request(std::string model = "gpt-test", std::string prompt = "Write about sourdough bread") {
  ChatRequest r;
  r.model = std::move(model);
  r.messages = {{ChatMessage::Role::user, std::move(prompt)}};
  r.max_tokens = 120;
  return r;
}

inline boost::json::object body_of(const boost::json::object& logged) {
  return boost::json::parse(logged.at("body").as_string()).as_object();
}

inline std::string header_of(const boost::json::object& logged, const char* name) {
  const auto& headers = logged.at("headers").as_object();
  const auto* v = headers.if_contains(name);
  return v ? std::string(v->as_string()) : std::string("<absent>");
}

inline std::int64_t tokens_of(const std::string& text) { return static_cast<std::int64_t>((text.size() + 3) / 4); }

}  // namespace contentgen::testsupport
