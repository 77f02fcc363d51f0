#include "adapters/openai/openai_dialect.hpp"

#include <boost/json.hpp>

#include "adapters/llm/json_util.hpp"
#include "adapters/llm/provider_errors.hpp"
#include "net/uri_encode.hpp"

namespace contentgen::openai {
namespace {

namespace json = boost::json;
using llm::JsonReader;

std::string_view role_name(ChatMessage::Role role) {
  switch (role) {
    case ChatMessage::Role::system: return "system";
    case ChatMessage::Role::assistant: return "assistant";
    case ChatMessage::Role::user: break;
  }
  return "user";
}

FinishReason map_finish(std::string_view reason) {
  if (reason == "stop") return FinishReason::stop;
  if (reason == "length") return FinishReason::length;
  if (reason == "content_filter") return FinishReason::content_filter;
  return FinishReason::other;  // tool_calls, function_call, anything new
}

// usage: {prompt_tokens, completion_tokens, prompt_tokens_details{cached_tokens},
// completion_tokens_details{reasoning_tokens}} -- already normalized the way TokenUsage is.
TokenUsage parse_usage(const JsonReader& r, const json::value& value) {
  const auto& u = r.object(value, "usage");
  TokenUsage usage;
  usage.prompt_tokens = r.count(r.at(u, "prompt_tokens", "usage"), "usage.prompt_tokens");
  usage.completion_tokens = r.count(r.at(u, "completion_tokens", "usage"), "usage.completion_tokens");
  if (const auto* details = JsonReader::find(u, "prompt_tokens_details"))
    usage.cached_tokens = r.opt_count(r.object(*details, "usage.prompt_tokens_details"), "cached_tokens",
                                      "usage.prompt_tokens_details").value_or(0);
  if (const auto* details = JsonReader::find(u, "completion_tokens_details"))
    usage.reasoning_tokens = r.opt_count(r.object(*details, "usage.completion_tokens_details"), "reasoning_tokens",
                                         "usage.completion_tokens_details").value_or(0);
  return usage;
}

class OpenAiDecoder final : public llm::StreamDecoder {
 public:
  explicit OpenAiDecoder(const OpenAiOptions& options) : options_(options), reader_(options.provider_name) {}

  void on_event(const llm::SseEvent& event, const llm::DeltaSink& emit) override {
    if (event.data == "[DONE]") {
      done_ = true;
      return;
    }
    unsigned char buffer[2048];
    json::monotonic_resource resource(buffer, sizeof buffer);
    const auto value = reader_.parse(event.data, "stream event", &resource);
    const auto& chunk = reader_.object(value, "stream event");
    if (event.event == "error" || chunk.contains("error")) {
      throw llm::error_from_event(options_.provider_name, llm::parse_error_body(event.data), {}, options_.api_key);
    }
    if (auto model = reader_.opt_string(chunk, "model", "chunk")) model_ = std::string(*model);
    if (const auto* choices = JsonReader::find(chunk, "choices")) {
      const auto& list = reader_.array(*choices, "chunk.choices");
      if (!list.empty()) {
        const auto& choice = reader_.object(list[0], "chunk.choices[0]");
        if (const auto* delta = JsonReader::find(choice, "delta")) {
          const auto& d = reader_.object(*delta, "chunk.choices[0].delta");
          if (auto content = reader_.opt_string(d, "content", "chunk.choices[0].delta")) {
            text_.append(*content);
            emit(*content);
          }
          if (auto refusal = reader_.opt_string(d, "refusal", "chunk.choices[0].delta"); refusal && !refusal->empty())
            refused_ = true;
        }
        if (auto reason = reader_.opt_string(choice, "finish_reason", "chunk.choices[0]")) finish_ = map_finish(*reason);
      }
    }
    if (const auto* usage = JsonReader::find(chunk, "usage")) usage_ = parse_usage(reader_, *usage);
  }

  ChatResponse finish() override {
    if (!done_) reader_.fail("stream", "ended before data: [DONE] (cut short)");
    if (!finish_) reader_.fail("stream", "ended without a finish_reason");
    ChatResponse out;
    out.text = std::move(text_);
    out.finish_reason = refused_ && *finish_ == FinishReason::stop ? FinishReason::content_filter : *finish_;
    out.model = model_;
    out.usage = usage_ ? *usage_ : TokenUsage{.estimated = true};
    return out;
  }

 private:
  const OpenAiOptions& options_;
  JsonReader reader_;
  std::string text_;
  std::string model_;
  std::optional<FinishReason> finish_;
  std::optional<TokenUsage> usage_;
  bool done_ = false;
  bool refused_ = false;
};

class OpenAiDialect final : public llm::Dialect {
 public:
  explicit OpenAiDialect(OpenAiOptions options) : options_(std::move(options)), reader_(options_.provider_name) {
    url_ = llm::join_url(options_.base_url, "chat/completions");
    char separator = url_.find('?') == std::string::npos ? '?' : '&';
    for (const auto& [name, value] : options_.query) {
      url_ += separator;
      url_ += net::uri_encode(name, net::Slash::encode) + "=" + net::uri_encode(value, net::Slash::encode);
      separator = '&';
    }
  }

  std::string_view name() const noexcept override { return options_.provider_name; }
  std::string_view secret() const noexcept override { return options_.api_key; }

  net::HttpRequest build(const ChatRequest& request, bool stream) const override {
    const std::string& model = llm::model_for(request, options_.default_model);
    llm::JsonWriter body;
    body.begin_object().key("model").value(model).key("messages").begin_array();
    for (const auto& m : request.messages)
      body.begin_object().key("role").value(role_name(m.role)).key("content").value(m.content).end_object();
    body.end_array();
    if (request.temperature) body.key("temperature").value(llm::checked_temperature(*request.temperature));
    if (request.max_tokens)
      body.key(options_.use_max_completion_tokens ? "max_completion_tokens" : "max_tokens").value(llm::checked_max_tokens(*request.max_tokens));
    if (!request.stop.empty()) {
      body.key("stop").begin_array();
      for (const auto& s : request.stop) body.value(s);
      body.end_array();
    }
    if (request.response_format == ResponseFormat::json_object)
      body.key("response_format").begin_object().key("type").value("json_object").end_object();
    if (stream) {
      body.key("stream").value(true);
      body.key("stream_options").begin_object().key("include_usage").value(true).end_object();
    }
    body.end_object();
    return llm::json_post(url_, stream, body.take(), {auth_header()}, options_.extra_headers);
  }

  ChatResponse parse(const net::HttpResponse& response) const override {
    unsigned char buffer[8192];
    json::monotonic_resource resource(buffer, sizeof buffer);
    const auto value = reader_.parse(response.body, "response", &resource);
    const auto& root = reader_.object(value, "response");
    if (root.contains("error")) {
      throw llm::error_from_event(options_.provider_name, llm::parse_error_body(response.body), llm::request_id_of(response),
                                  options_.api_key);
    }
    const auto& choices = reader_.array(reader_.at(root, "choices", "response"), "response.choices");
    if (choices.empty()) reader_.fail("response.choices", "is empty");
    const auto& choice = reader_.object(choices[0], "response.choices[0]");
    const auto& message = reader_.object(reader_.at(choice, "message", "response.choices[0]"), "response.choices[0].message");
    ChatResponse out;
    if (auto content = reader_.opt_string(message, "content", "response.choices[0].message")) out.text = std::string(*content);
    const auto refusal = reader_.opt_string(message, "refusal", "response.choices[0].message");
    const auto reason = reader_.opt_string(choice, "finish_reason", "response.choices[0]");
    out.finish_reason = reason ? map_finish(*reason) : FinishReason::stop;
    if (refusal && !refusal->empty() && out.finish_reason == FinishReason::stop) out.finish_reason = FinishReason::content_filter;
    if (auto model = reader_.opt_string(root, "model", "response")) out.model = std::string(*model);
    const auto* usage = JsonReader::find(root, "usage");
    out.usage = usage ? parse_usage(reader_, *usage) : TokenUsage{.estimated = true};
    return out;
  }

  std::unique_ptr<llm::StreamDecoder> decoder() const override {
    return std::make_unique<OpenAiDecoder>(options_);
  }

 private:
  // The key as the server wants it; an empty value (no key, or Auth::none) sends no header.
  net::Header auth_header() const {
    if (options_.api_key.empty()) return {};
    switch (options_.auth) {
      case OpenAiOptions::Auth::bearer: return {"Authorization", "Bearer " + options_.api_key};
      case OpenAiOptions::Auth::header: return {options_.auth_header, options_.api_key};
      default: return {};
    }
  }

  OpenAiOptions options_;
  JsonReader reader_;
  std::string url_;
};

}  // namespace

std::unique_ptr<llm::Dialect> make_dialect(const OpenAiOptions& options) { return std::make_unique<OpenAiDialect>(options); }

}  // namespace contentgen::openai
