// 10,000+ malformed or truncated replies served over a real socket by contentgen-mockllm to the
// real providers: every byte-prefix of golden replies (JSON and SSE, LF and CRLF), wrong types at
// every field we read, nesting far beyond the parser's limit, invalid UTF-8 inside strings.
// Each must end in a typed Error{upstream}: no crash, no hang, no success.
#include <gtest/gtest.h>

#include <functional>

#include "contentgen/adapters/anthropic.hpp"
#include "contentgen/adapters/openai.hpp"
#include "llm_test_support.hpp"
#include "mock_server.hpp"

namespace contentgen {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

enum class Api { openai, anthropic };

struct Case {
  Api api;
  bool stream;
  std::string body;
  std::string label;
};

std::string base64(std::string_view bytes) {
  static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto byte = [&](std::size_t at) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[at])); };
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = byte(i) << 16;
    out += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8);
    out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
  }
  return out;
}

const std::string kMissing = "<missing>";

// Sets (or removes, with kMissing) the value at a JSON pointer of a parsed document.
bool mutate(json::value& doc, const std::string& pointer, const std::string& replacement) {
  if (pointer.empty()) {
    if (replacement == kMissing) return false;
    doc = json::parse(replacement);
    return true;
  }
  const auto slash = pointer.rfind('/');
  boost::system::error_code ec;
  json::value* parent = doc.find_pointer(pointer.substr(0, slash), ec);
  if (parent == nullptr) return false;
  const std::string key = pointer.substr(slash + 1);
  if (parent->is_object()) {
    if (!parent->get_object().contains(key)) return false;
    if (replacement == kMissing) {
      parent->get_object().erase(key);
    } else {
      parent->get_object()[key] = json::parse(replacement);
    }
    return true;
  }
  if (parent->is_array()) {
    const auto index = std::stoul(key);
    if (index >= parent->get_array().size() || replacement == kMissing) return false;
    parent->get_array()[index] = json::parse(replacement);
    return true;
  }
  return false;
}

struct Mutation {
  std::string pointer;
  std::vector<std::string> values;
};

// An SSE body split into events; each keeps its "event:" name (may be empty) and data.
struct SseEvent {
  std::string name;
  std::string data;
};

std::vector<SseEvent> split_sse(const std::string& body) {
  std::vector<SseEvent> events;
  std::size_t at = 0;
  while (at < body.size()) {
    const auto end = body.find("\n\n", at);
    const std::string block = body.substr(at, end - at);
    at = end == std::string::npos ? body.size() : end + 2;
    SseEvent e;
    std::size_t line_start = 0;
    while (line_start < block.size()) {
      const auto line_end = std::min(block.find('\n', line_start), block.size());
      const std::string line = block.substr(line_start, line_end - line_start);
      if (line.rfind("event: ", 0) == 0) e.name = line.substr(7);
      if (line.rfind("data: ", 0) == 0) e.data = line.substr(6);
      line_start = line_end + 1;
    }
    events.push_back(std::move(e));
  }
  return events;
}

std::string join_sse(const std::vector<SseEvent>& events) {
  std::string out;
  for (const auto& e : events) {
    if (!e.name.empty()) out += "event: " + e.name + "\n";
    out += "data: " + e.data + "\n\n";
  }
  return out;
}

std::string crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

class MalformedReplies : public ::testing::Test {
 protected:
  void SetUp() override { mock_ = std::make_unique<testsupport::MockLlm>(); }

  std::string golden(const std::string& path, bool stream) {
    net::HttpClient client;
    net::HttpRequest request;
    request.method = "POST";
    request.url = mock_->url() + path;
    json::object body{{"model", "m"}, {"max_tokens", 60},
                      {"messages", json::array{json::object{{"role", "user"}, {"content", "Write about tea"}}}}};
    if (stream) {
      body["stream"] = true;
      body["stream_options"] = json::object{{"include_usage", true}};
    }
    request.body = json::serialize(body);
    auto response = client.send(request);
    EXPECT_EQ(response.status, 200);
    return response.body;
  }

  std::unique_ptr<testsupport::MockLlm> mock_;
};

TEST_F(MalformedReplies, EveryOneIsATypedUpstreamError) {
  const std::string openai_json = golden("/v1/chat/completions", false);
  const std::string openai_sse = golden("/v1/chat/completions", true);
  const std::string anthropic_json = golden("/v1/messages", false);
  const std::string anthropic_sse = golden("/v1/messages", true);
  std::vector<Case> cases;

  // 1. Every strict prefix (a complete reply is valid; anything shorter must not be).
  // With CRLF line ends, the prefix lacking only the final LF is complete: its CR already ended
  // the blank line that dispatches the last event (a lone CR is a line end in SSE).
  auto prefixes = [&](Api api, bool stream, const std::string& body, const std::string& name) {
    const std::size_t complete_at = body.ends_with("\r\n\r\n") ? body.size() - 1 : body.size();
    for (std::size_t n = 0; n < complete_at; ++n) cases.push_back({api, stream, body.substr(0, n), name + " prefix " + std::to_string(n)});
  };
  prefixes(Api::openai, false, openai_json, "openai json");
  prefixes(Api::openai, true, openai_sse, "openai sse");
  prefixes(Api::openai, true, crlf(openai_sse), "openai sse crlf");
  prefixes(Api::anthropic, false, anthropic_json, "anthropic json");
  prefixes(Api::anthropic, true, anthropic_sse, "anthropic sse");
  prefixes(Api::anthropic, true, crlf(anthropic_sse), "anthropic sse crlf");

  // 2. Wrong types and missing fields in whole-JSON replies.
  const std::vector<std::string> bad_counts{"\"10\"", "-1", "1.5", "true", "null", "[]", "1e300", "9007199254740993", kMissing};
  const std::vector<Mutation> openai_mutations{
      {"", {"[]", "\"x\"", "1", "null"}},
      {"/choices", {"{}", "\"x\"", "1", "null", "[]", kMissing}},
      {"/choices/0", {"\"x\"", "1", "[]", "null"}},
      {"/choices/0/message", {"\"x\"", "1", "[]", "null", kMissing}},
      {"/choices/0/message/content", {"5", "true", "[]", "{}"}},
      {"/choices/0/finish_reason", {"5", "true", "[]", "{}"}},
      {"/model", {"5", "[]", "{}", "true"}},
      {"/usage", {"\"x\"", "5", "[]"}},
      {"/usage/prompt_tokens", bad_counts},
      {"/usage/completion_tokens", bad_counts},
      {"/usage/prompt_tokens_details", {"\"x\"", "5", "[]"}},
      {"/usage/prompt_tokens_details/cached_tokens", {"\"1\"", "-1", "1.5", "999999"}},
      {"/usage/completion_tokens_details", {"\"x\"", "5"}},
      {"/usage/completion_tokens_details/reasoning_tokens", {"\"1\"", "-1", "2.5", "999999"}}};
  const std::vector<Mutation> anthropic_mutations{
      {"", {"[]", "1", "null"}},
      {"/type", {"5", "\"nope\"", kMissing, "null"}},
      {"/content", {"\"x\"", "{}", "5", kMissing, "null"}},
      {"/content/0", {"\"x\"", "5", "null"}},
      {"/content/0/type", {"5", kMissing, "null"}},
      {"/content/0/text", {"5", kMissing, "null", "[]"}},
      {"/stop_reason", {"5", kMissing, "null", "{}"}},
      {"/model", {"5", "[]"}},
      {"/usage", {kMissing, "\"x\"", "null", "[]"}},
      {"/usage/input_tokens", bad_counts},
      {"/usage/output_tokens", bad_counts},
      {"/usage/cache_read_input_tokens", {"\"1\"", "-1", "1.5"}},
      {"/usage/cache_creation_input_tokens", {"\"1\"", "-1", "true"}}};
  auto json_mutations = [&](Api api, const std::string& golden_body, const std::vector<Mutation>& list) {
    for (const auto& m : list)
      for (const auto& v : m.values) {
        auto doc = json::parse(golden_body);
        ASSERT_TRUE(mutate(doc, m.pointer, v)) << m.pointer;
        cases.push_back({api, false, json::serialize(doc), "json " + m.pointer + " = " + v});
      }
  };
  json_mutations(Api::openai, openai_json, openai_mutations);
  json_mutations(Api::anthropic, anthropic_json, anthropic_mutations);

  // 3. The same inside stream events, plus unparseable event data at every event.
  auto sse_mutations = [&](Api api, const std::string& golden_body, const std::function<std::vector<Mutation>(const SseEvent&)>& for_event) {
    const auto events = split_sse(golden_body);
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (events[i].data == "[DONE]") continue;
      for (const std::string garbage : {"{", "[1]", "5", "\"x\"", "null", "{\"a\":}"}) {
        auto copy = events;
        copy[i].data = garbage;
        cases.push_back({api, true, join_sse(copy), "sse event " + std::to_string(i) + " data " + garbage});
      }
      for (const auto& m : for_event(events[i]))
        for (const auto& v : m.values) {
          auto copy = events;
          auto doc = json::parse(copy[i].data);
          if (!mutate(doc, m.pointer, v)) continue;
          copy[i].data = json::serialize(doc);
          cases.push_back({api, true, join_sse(copy), "sse event " + std::to_string(i) + " " + m.pointer + " = " + v});
        }
    }
  };
  sse_mutations(Api::openai, openai_sse, [](const SseEvent& e) {
    std::vector<Mutation> m{{"/choices", {"\"x\"", "5", "{}"}}, {"/model", {"5", "[]"}}};
    if (e.data.find("\"content\":\"") != std::string::npos)
      m.push_back({"/choices/0/delta/content", {"5", "[]", "{}", "true"}}), m.push_back({"/choices/0/delta", {"\"x\"", "5"}}),
          m.push_back({"/choices/0", {"\"x\"", "7"}});
    if (e.data.find("\"finish_reason\":\"") != std::string::npos)
      m.push_back({"/choices/0/finish_reason", {"5", "[]", "{}", "null"}});
    if (e.data.find("\"usage\"") != std::string::npos)
      m.push_back({"/usage", {"\"x\"", "5", "[]"}}), m.push_back({"/usage/prompt_tokens", {"\"x\"", "-1", "1.5", kMissing}}),
          m.push_back({"/usage/completion_tokens", {"\"1\"", kMissing}}),
          m.push_back({"/usage/prompt_tokens_details/cached_tokens", {"999999", "-1"}});
    return m;
  });
  sse_mutations(Api::anthropic, anthropic_sse, [](const SseEvent& e) {
    std::vector<Mutation> m;
    if (e.name == "message_start")
      m = {{"/message", {"\"x\"", "5", kMissing}}, {"/message/usage", {"\"x\"", "[]"}},
           {"/message/usage/input_tokens", {"\"1\"", "-1", kMissing}}, {"/message/model", {"5", "{}"}}};
    if (e.name == "content_block_delta")
      m = {{"/delta", {"\"x\"", kMissing}}, {"/delta/type", {"5", kMissing}}, {"/delta/text", {"5", kMissing, "null"}}};
    if (e.name == "message_delta")
      m = {{"/delta", {"\"x\"", kMissing}}, {"/delta/stop_reason", {"5", "null"}}, {"/usage", {"\"x\""}},
           {"/usage/output_tokens", {"\"1\"", "-1", kMissing}}};
    return m;
  });
  {  // Events named only by their data's "type": without either, the event is unintelligible.
    const auto events = split_sse(anthropic_sse);
    for (std::size_t i = 0; i < events.size(); ++i) {
      auto copy = events;
      copy[i].name.clear();
      auto doc = json::parse(copy[i].data);
      doc.as_object().erase("type");
      copy[i].data = json::serialize(doc);
      cases.push_back({Api::anthropic, true, join_sse(copy), "anthropic event " + std::to_string(i) + " without a type"});
    }
  }

  // 4. Nesting far deeper than the parser's limit (64), where the text should be, and bare.
  auto deep = [](std::size_t depth) { return std::string(depth, '[') + "1" + std::string(depth, ']'); };
  for (const std::size_t depth : {std::size_t{65}, std::size_t{200}, std::size_t{5000}, std::size_t{100000}}) {
    auto swap_text = [&](Api api, bool stream, std::string body, const std::string& key) {
      const auto at = body.find(key);
      ASSERT_NE(at, std::string::npos);
      const auto start = at + key.size() - 1;  // the opening quote
      const auto end = body.find('"', start + 1);
      body.replace(start, end - start + 1, deep(depth));
      cases.push_back({api, stream, body, "depth " + std::to_string(depth) + " in " + key});
    };
    swap_text(Api::openai, false, openai_json, "\"content\":\"");
    swap_text(Api::anthropic, false, anthropic_json, "\"text\":\"");
    swap_text(Api::openai, true, openai_sse, "\"content\":\"#");
    swap_text(Api::anthropic, true, anthropic_sse, "\"text\":\"#");
    cases.push_back({Api::openai, false, std::string(depth, '['), "unterminated depth " + std::to_string(depth)});
    cases.push_back({Api::anthropic, true, "data: " + std::string(depth, '{') + "\n\n", "sse unterminated objects"});
  }

  // 5. Invalid UTF-8 at many places inside the text strings.
  const std::vector<std::string> bad_utf8{"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf8\x88\x80\x80\x80", "\x80", "\xe2\x82"};
  auto poison = [&](Api api, bool stream, const std::string& body, const std::string& key, const std::string& name) {
    for (auto at = body.find(key); at != std::string::npos; at = body.find(key, at + 1)) {
      const auto start = at + key.size();
      const auto end = body.find('"', start);
      for (std::size_t pos = start; pos <= end; pos += 2)
        for (const auto& bad : bad_utf8) {
          std::string copy = body;
          copy.insert(pos, bad);
          cases.push_back({api, stream, copy, name + " invalid utf-8 at " + std::to_string(pos)});
        }
    }
  };
  poison(Api::openai, false, openai_json, "\"content\":\"", "openai json");
  poison(Api::anthropic, false, anthropic_json, "\"text\":\"", "anthropic json");
  poison(Api::openai, true, openai_sse, "\"content\":\"", "openai sse");
  poison(Api::anthropic, true, anthropic_sse, "\"text\":\"", "anthropic sse");

  ASSERT_GE(cases.size(), 10'000u);

  OpenAiOptions openai_options;
  openai_options.base_url = mock_->url() + "/v1";
  openai_options.retry.max_retries = 0;  // one reply per case
  AnthropicOptions anthropic_options;
  anthropic_options.base_url = mock_->url() + "/v1";
  anthropic_options.retry.max_retries = 0;
  auto openai = make_openai_provider(openai_options);
  auto anthropic = make_anthropic_provider(anthropic_options);

  std::size_t wrong = 0;
  constexpr std::size_t kBatch = 400;
  for (std::size_t first = 0; first < cases.size(); first += kBatch) {
    const auto last = std::min(cases.size(), first + kBatch);
    json::array script;
    for (std::size_t i = first; i < last; ++i) script.push_back(json::object{{"body_base64", base64(cases[i].body)}});
    mock_->script(json::serialize(script));
    for (std::size_t i = first; i < last; ++i) {
      const auto& c = cases[i];
      auto request = testsupport::simple_request("m", "Write about tea");
      request.deadline = std::chrono::steady_clock::now() + 10s;
      if (c.stream) request.on_delta = [](std::string_view) {};
      auto result = testsupport::call(c.api == Api::openai ? *openai : *anthropic, request);
      const bool typed = !result.ok() && result.error().code() == ErrorCode::upstream;
      if (!typed && ++wrong <= 10) {
        ADD_FAILURE() << c.label << ": " << (result.ok() ? std::string("succeeded") : std::string(result.error().what()));
      }
    }
  }
  EXPECT_EQ(wrong, 0u) << "of " << cases.size() << " malformed replies";
  std::cout << "[ malformed ] " << cases.size() << " replies, " << wrong << " not a typed upstream error\n";
}

}  // namespace
}  // namespace contentgen
