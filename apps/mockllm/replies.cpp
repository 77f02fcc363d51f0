#include "replies.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "article.hpp"

namespace mockllm {
namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxCompletionTokens = 200'000;  // ~800 KB of text

std::string error_json(Format format, const std::string& type, const std::string& code, const std::string& message) {
  json::object error{{"type", type}, {"message", message}};
  if (format == Format::openai) {
    error["code"] = code.empty() ? json::value(nullptr) : json::value(code);
    error["param"] = nullptr;
    return json::serialize(json::object{{"error", std::move(error)}});
  }
  return json::serialize(json::object{{"type", "error"}, {"error", std::move(error)}});
}

Reply error_reply(Format format, int status, const std::string& type, const std::string& message) {
  Reply r;
  r.status = status;
  r.body = error_json(format, type, {}, message);
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

std::string default_error_type(Format format, int status) {
  switch (status) {
    case 400: case 404: case 422: return format == Format::openai ? "invalid_request_error" : (status == 404 ? "not_found_error" : "invalid_request_error");
    case 401: return format == Format::openai ? "invalid_request_error" : "authentication_error";
    case 403: return format == Format::openai ? "invalid_request_error" : "permission_error";
    case 429: return format == Format::openai ? "requests" : "rate_limit_error";
    case 529: return "overloaded_error";
    default: return format == Format::openai ? "server_error" : "api_error";
  }
}

std::string anthropic_stop(const std::string& finish) {
  if (finish == "stop") return "end_turn";
  if (finish == "length") return "max_tokens";
  if (finish == "content_filter") return "refusal";
  return finish;
}

// What the article is about. contentgen's default prompt (and most hand-written ones) carries
// "Working title: X" and "Main keyword: Y" lines: X becomes the H1, Y is woven into sentences.
// Otherwise a few ASCII words after "about " in the last user message. A conversation whose
// assistant turn already began the article asks for a continuation, which starts no second H1.
Topic topic_of(const json::array& messages) {
  Topic topic;
  std::string last;
  for (const auto& m : messages) {
    if (!m.is_object()) continue;
    const auto* role = m.get_object().if_contains("role");
    const auto* content = m.get_object().if_contains("content");
    if (!role || !role->is_string() || !content || !content->is_string()) continue;
    // An assistant turn that already opened the article with its H1: we are asked to continue it.
    if (role->get_string() == "assistant" && content->get_string().starts_with("# ")) topic.continuation = true;
    if (role->get_string() != "user") continue;
    last = std::string(content->get_string());
    std::string_view rest = last;
    while (!rest.empty()) {
      const auto eol = rest.find('\n');
      const std::string_view line = rest.substr(0, eol);
      rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
      for (const auto& [prefix, field] : {std::pair{std::string_view("Working title: "), &topic.title},
                                          std::pair{std::string_view("Title: "), &topic.title},
                                          std::pair{std::string_view("Main keyword: "), &topic.keyword}})
        if (field->empty() && line.starts_with(prefix)) *field = utf8_prefix(line.substr(prefix.size()), 200);
    }
  }
  if (!topic.keyword.empty() || !topic.title.empty()) {
    if (topic.keyword.empty()) topic.keyword = topic.title;
    return topic;
  }
  // "Write an article about X" -> X.
  if (const auto about = last.find("about "); about != std::string::npos) last = last.substr(about + 6);
  int words = 0;
  bool in_word = false;
  for (char c : last) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (letter) {
      if (!in_word && ++words > 4) break;
      if (!in_word && !topic.keyword.empty()) topic.keyword += ' ';
      topic.keyword += c;
    }
    in_word = letter;
  }
  return topic;
}

std::int64_t prompt_tokens_of(const json::object& body) {
  std::int64_t tokens = 0;
  if (const auto* system = body.if_contains("system"); system && system->is_string())
    tokens += count_tokens(system->get_string());
  if (const auto* messages = body.if_contains("messages"); messages && messages->is_array())
    for (const auto& m : messages->get_array())
      if (m.is_object())
        if (const auto* content = m.get_object().if_contains("content"); content && content->is_string())
          tokens += count_tokens(content->get_string()) + 4;
  return tokens;
}

std::optional<std::int64_t> int_field(const json::object& body, const char* key) {
  const auto* v = body.if_contains(key);
  if (v && v->is_int64()) return v->get_int64();
  if (v && v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  return std::nullopt;
}

// Splits text into stream deltas of a few words each (whitespace stays attached).
std::vector<std::string> split_deltas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  int spaces = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ' && ++spaces == 4) {
      out.push_back(text.substr(start, i + 1 - start));
      start = i + 1;
      spaces = 0;
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

std::string sse(const json::value& data, const char* event = nullptr) {
  std::string out;
  if (event) out += std::string("event: ") + event + "\n";
  out += "data: " + json::serialize(data) + "\n\n";
  return out;
}

struct Completion {
  std::string model, text, finish;
  std::int64_t prompt_tokens = 0, completion_tokens = 0;
  bool include_usage = true;
};

Reply openai_reply(const Completion& c, const ScriptEntry& e, bool stream, std::uint64_t seq) {
  Reply r;
  const std::string id = "chatcmpl-mock-" + std::to_string(seq);
  json::object usage{{"prompt_tokens", c.prompt_tokens},
                     {"completion_tokens", c.completion_tokens},
                     {"total_tokens", c.prompt_tokens + c.completion_tokens},
                     {"prompt_tokens_details", json::object{{"cached_tokens", e.cached_tokens}}},
                     {"completion_tokens_details", json::object{{"reasoning_tokens", e.reasoning_tokens}}}};
  if (c.include_usage) r.usage = json::serialize(usage);
  if (!stream) {
    json::object body{{"id", id}, {"object", "chat.completion"}, {"created", 1700000000}, {"model", c.model},
                      {"choices", json::array{json::object{{"index", 0},
                                                           {"message", json::object{{"role", "assistant"}, {"content", c.text}}},
                                                           {"finish_reason", c.finish}}}}};
    if (c.include_usage) body["usage"] = usage;
    r.body = json::serialize(body);
    r.headers.emplace_back("Content-Type", "application/json");
    return r;
  }
  r.headers.emplace_back("Content-Type", "text/event-stream");
  auto chunk = [&](json::object delta, json::value finish) {
    return json::object{{"id", id}, {"object", "chat.completion.chunk"}, {"created", 1700000000}, {"model", c.model},
                        {"choices", json::array{json::object{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", std::move(finish)}}}}};
  };
  r.events.push_back(sse(chunk(json::object{{"role", "assistant"}, {"content", ""}}, nullptr)));
  int sent = 0;
  for (const auto& piece : split_deltas(c.text)) {
    if (e.stream_error_after && sent == *e.stream_error_after) break;
    r.events.push_back(sse(chunk(json::object{{"content", piece}}, nullptr)));
    ++sent;
  }
  if (e.stream_error_after) {
    r.events.push_back(sse(json::object{{"error", json::object{{"message", e.error_message.empty() ? "mock stream error" : e.error_message},
                                                               {"type", e.error_type.empty() ? "server_error" : e.error_type},
                                                               {"code", nullptr}}}}));
    return r;
  }
  r.events.push_back(sse(chunk(json::object{}, json::value(c.finish))));
  if (c.include_usage) {
    r.events.push_back(sse(json::object{{"id", id}, {"object", "chat.completion.chunk"}, {"created", 1700000000},
                                        {"model", c.model}, {"choices", json::array{}}, {"usage", usage}}));
  }
  r.events.push_back("data: [DONE]\n\n");
  return r;
}

Reply anthropic_reply(const Completion& c, const ScriptEntry& e, bool stream, std::uint64_t seq) {
  Reply r;
  const std::string id = "msg_mock_" + std::to_string(seq);
  const std::int64_t input = c.prompt_tokens - e.cached_tokens - e.cache_creation_tokens;
  json::object usage{{"input_tokens", input < 0 ? 0 : input},
                     {"cache_creation_input_tokens", e.cache_creation_tokens},
                     {"cache_read_input_tokens", e.cached_tokens},
                     {"output_tokens", c.completion_tokens}};
  if (c.include_usage) r.usage = json::serialize(usage);
  const std::string stop = anthropic_stop(c.finish);
  if (!stream) {
    json::object body{{"id", id}, {"type", "message"}, {"role", "assistant"}, {"model", c.model},
                      {"content", json::array{json::object{{"type", "text"}, {"text", c.text}}}},
                      {"stop_reason", stop}, {"stop_sequence", nullptr}};
    if (c.include_usage) body["usage"] = usage;
    r.body = json::serialize(body);
    r.headers.emplace_back("Content-Type", "application/json");
    return r;
  }
  r.headers.emplace_back("Content-Type", "text/event-stream");
  json::object message{{"id", id}, {"type", "message"}, {"role", "assistant"}, {"model", c.model},
                       {"content", json::array{}}, {"stop_reason", nullptr}, {"stop_sequence", nullptr}};
  if (c.include_usage) {
    json::object start_usage = usage;
    start_usage["output_tokens"] = 1;
    message["usage"] = std::move(start_usage);
  }
  r.events.push_back(sse(json::object{{"type", "message_start"}, {"message", std::move(message)}}, "message_start"));
  r.events.push_back(sse(json::object{{"type", "content_block_start"}, {"index", 0},
                                      {"content_block", json::object{{"type", "text"}, {"text", ""}}}}, "content_block_start"));
  r.events.push_back(sse(json::object{{"type", "ping"}}, "ping"));
  int sent = 0;
  for (const auto& piece : split_deltas(c.text)) {
    if (e.stream_error_after && sent == *e.stream_error_after) break;
    r.events.push_back(sse(json::object{{"type", "content_block_delta"}, {"index", 0},
                                        {"delta", json::object{{"type", "text_delta"}, {"text", piece}}}}, "content_block_delta"));
    ++sent;
  }
  if (e.stream_error_after) {
    r.events.push_back(sse(json::object{{"type", "error"},
                                        {"error", json::object{{"type", e.error_type.empty() ? "overloaded_error" : e.error_type},
                                                               {"message", e.error_message.empty() ? "Overloaded" : e.error_message}}}},
                           "error"));
    return r;
  }
  r.events.push_back(sse(json::object{{"type", "content_block_stop"}, {"index", 0}}, "content_block_stop"));
  json::object delta_event{{"type", "message_delta"}, {"delta", json::object{{"stop_reason", stop}, {"stop_sequence", nullptr}}}};
  if (c.include_usage) delta_event["usage"] = json::object{{"output_tokens", c.completion_tokens}};
  r.events.push_back(sse(delta_event, "message_delta"));
  r.events.push_back(sse(json::object{{"type", "message_stop"}}, "message_stop"));
  return r;
}

}  // namespace

Reply build_reply(Format format, const std::string& request_body, const std::string& presented_key,
                  const std::optional<ScriptEntry>& scripted, const Settings& settings, std::uint64_t sequence) {
  const ScriptEntry entry = scripted.value_or(ScriptEntry{});
  Reply r;
  if (!settings.api_key.empty() && presented_key != settings.api_key) {
    r = error_reply(format, 401, format == Format::openai ? "invalid_request_error" : "authentication_error",
                    "Incorrect API key provided.");
  } else if (entry.status != 0 && entry.status != 200) {
    r.status = entry.status;
    if (entry.body) {
      r.body = *entry.body;
    } else {
      const std::string type = entry.error_type.empty() ? default_error_type(format, entry.status) : entry.error_type;
      r.body = error_json(format, type, entry.error_code, entry.error_message.empty() ? "mock error" : entry.error_message);
    }
    r.headers.emplace_back("Content-Type", entry.content_type.empty() ? "application/json" : entry.content_type);
  } else {
    boost::system::error_code ec;
    const auto parsed = json::parse(request_body, ec);
    const bool stream = !ec && parsed.is_object() && parsed.get_object().contains("stream") &&
                        parsed.get_object().at("stream").is_bool() && parsed.get_object().at("stream").get_bool();
    if (entry.body) {
      r.body = *entry.body;
      r.headers.emplace_back("Content-Type", !entry.content_type.empty() ? entry.content_type
                                              : stream                   ? "text/event-stream"
                                                                         : "application/json");
    } else if (entry.fault == "malformed_json") {
      r.body = stream ? "data: {\"choices\": [{\"delta\": {\"content\": \"unterminated\n\n" : "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"unterminated";
      r.headers.emplace_back("Content-Type", stream ? "text/event-stream" : "application/json");
    } else if (ec || !parsed.is_object()) {
      r = error_reply(format, 400, "invalid_request_error", "The request body is not valid JSON.");
    } else {
      const auto& body = parsed.get_object();
      const auto* model = body.if_contains("model");
      const auto* messages = body.if_contains("messages");
      if (!model || !model->is_string() || !messages || !messages->is_array()) {
        r = error_reply(format, 400, "invalid_request_error", "model and messages are required.");
      } else {
        Completion c;
        c.model = std::string(model->get_string());
        // Clamped: a client asking for a trillion tokens must not make the mock write terabytes
        // (nor overflow max_tokens * 2 below).
        const auto max_tokens = std::clamp<std::int64_t>(
            int_field(body, "max_tokens").value_or(int_field(body, "max_completion_tokens").value_or(settings.default_max_tokens)),
            1, kMaxCompletionTokens);
        c.finish = entry.finish_reason.empty() ? "stop" : entry.finish_reason;
        const Topic topic = topic_of(messages->get_array());
        if (entry.text) {
          c.text = *entry.text;
        } else if (c.finish == "length") {
          c.text = truncate_to_tokens(make_article(topic, max_tokens * 2, sequence), max_tokens);
        } else if (c.finish == "content_filter") {
          c.text = truncate_to_tokens(make_article(topic, max_tokens, sequence), max_tokens / 4);
        } else {
          c.text = make_article(topic, max_tokens * 9 / 10, sequence);
        }
        c.prompt_tokens = prompt_tokens_of(body) + entry.cached_tokens + entry.cache_creation_tokens;
        c.completion_tokens = count_tokens(c.text) + entry.reasoning_tokens;
        bool include_usage = !entry.omit_usage;
        if (format == Format::openai && stream) {
          const auto* options = body.if_contains("stream_options");
          include_usage = include_usage && options && options->is_object() &&
                          options->get_object().contains("include_usage") &&
                          options->get_object().at("include_usage") == json::value(true);
        }
        c.include_usage = include_usage;
        r = format == Format::openai ? openai_reply(c, entry, stream, sequence) : anthropic_reply(c, entry, stream, sequence);
      }
    }
  }
  r.headers.emplace_back(format == Format::openai ? "x-request-id" : "request-id", "req_mock_" + std::to_string(sequence));
  for (const auto& header : entry.headers) r.headers.push_back(header);
  r.fault = entry.fault == "malformed_json" ? std::string() : entry.fault;
  r.cut_after_bytes = entry.cut_after_bytes;
  r.latency_ms = entry.latency_ms.value_or(settings.latency_ms);
  r.chunk_delay_ms = entry.chunk_delay_ms.value_or(settings.chunk_delay_ms);
  return r;
}

}  // namespace mockllm
