#include "adapters/anthropic/anthropic_dialect.hpp"

#include <boost/json.hpp>

#include "adapters/llm/json_util.hpp"
#include "adapters/llm/provider_errors.hpp"
#include "core/cost/provider_usage.hpp"

namespace contentgen::anthropic {
namespace {

namespace json = boost::json;
using llm::JsonReader;

// Anthropic has no JSON mode: ask for it in the system prompt.
constexpr std::string_view kJsonInstruction = "Respond with a single valid JSON object and nothing else.";

FinishReason map_stop(std::string_view reason) {
  if (reason == "end_turn" || reason == "stop_sequence") return FinishReason::stop;
  if (reason == "max_tokens") return FinishReason::length;
  if (reason == "refusal") return FinishReason::content_filter;
  return FinishReason::other;  // tool_use, pause_turn, anything new
}

// Anthropic's input_tokens excludes cache reads and writes; TokenUsage's prompt includes them.
struct UsageParts {
  std::int64_t input = 0, cache_read = 0, cache_creation = 0, output = 0;  // each >= 0 (JsonReader::count)
  TokenUsage normalized() const { return internal::usage_from_anthropic(input, cache_read, cache_creation, output); }
};

void read_input_usage(const JsonReader& r, const json::object& u, std::string_view path, UsageParts& parts) {
  parts.input = r.count(r.at(u, "input_tokens", path), path, "input_tokens");
  parts.cache_read = r.opt_count(u, "cache_read_input_tokens", path).value_or(0);
  parts.cache_creation = r.opt_count(u, "cache_creation_input_tokens", path).value_or(0);
}

class AnthropicDecoder final : public llm::StreamDecoder {
 public:
  explicit AnthropicDecoder(const AnthropicOptions& options) : options_(options), reader_(options.provider_name) {}

  void on_event(const llm::SseEvent& event, const llm::DeltaSink& emit) override {
    unsigned char buffer[2048];
    json::monotonic_resource resource(buffer, sizeof buffer);
    const auto value = reader_.parse(event.data, "stream event", &resource);
    const auto& data = reader_.object(value, "stream event");
    std::string_view type = event.event;  // a view: into the event or into `value`, both alive here
    if (type.empty()) type = reader_.string(reader_.at(data, "type", "event"), "event.type");
    if (type == "error") {
      throw llm::error_from_event(options_.provider_name, llm::parse_error_body(event.data), {}, options_.api_key);
    }
    if (type == "message_start") {
      const auto& message = reader_.object(reader_.at(data, "message", "message_start"), "message_start.message");
      if (auto model = reader_.opt_string(message, "model", "message_start.message")) model_ = std::string(*model);
      if (const auto* usage = JsonReader::find(message, "usage")) {
        const auto& u = reader_.object(*usage, "message_start.message.usage");
        read_input_usage(reader_, u, "message_start.message.usage", parts_);
        parts_.output = reader_.opt_count(u, "output_tokens", "message_start.message.usage").value_or(0);
        have_input_usage_ = true;
      }
      started_ = true;
    } else if (type == "content_block_delta") {
      const auto& delta = reader_.object(reader_.at(data, "delta", "content_block_delta"), "content_block_delta.delta");
      const auto delta_type = reader_.string(reader_.at(delta, "type", "content_block_delta.delta"), "content_block_delta.delta.type");
      if (delta_type == "text_delta") {
        const auto text = reader_.string(reader_.at(delta, "text", "content_block_delta.delta"), "content_block_delta.delta.text");
        text_.append(text);
        emit(text);
      }
    } else if (type == "message_delta") {
      const auto& delta = reader_.object(reader_.at(data, "delta", "message_delta"), "message_delta.delta");
      if (auto reason = reader_.opt_string(delta, "stop_reason", "message_delta.delta")) stop_ = map_stop(*reason);
      if (const auto* usage = JsonReader::find(data, "usage")) {
        const auto& u = reader_.object(*usage, "message_delta.usage");
        parts_.output = reader_.count(reader_.at(u, "output_tokens", "message_delta.usage"), "message_delta.usage", "output_tokens");
        // Newer API versions repeat the (final) input figures here.
        if (JsonReader::find(u, "input_tokens") != nullptr) {
          read_input_usage(reader_, u, "message_delta.usage", parts_);
          have_input_usage_ = true;
        }
        have_output_usage_ = true;
      }
    } else if (type == "message_stop") {
      stopped_ = true;
    }
    // ping, content_block_start, content_block_stop and unknown events: nothing to do.
  }

  ChatResponse finish() override {
    if (!started_) reader_.fail("stream", "has no message_start event");
    if (!stopped_) reader_.fail("stream", "ended before message_stop (cut short)");
    if (!stop_) reader_.fail("stream", "ended without a stop_reason");
    ChatResponse out;
    out.text = std::move(text_);
    out.finish_reason = *stop_;
    out.model = model_;
    out.usage = have_input_usage_ && have_output_usage_ ? parts_.normalized() : TokenUsage{.estimated = true};
    return out;
  }

 private:
  const AnthropicOptions& options_;
  JsonReader reader_;
  std::string text_;
  std::string model_;
  UsageParts parts_;
  std::optional<FinishReason> stop_;
  bool started_ = false;
  bool stopped_ = false;
  bool have_input_usage_ = false;
  bool have_output_usage_ = false;
};

class AnthropicDialect final : public llm::Dialect {
 public:
  explicit AnthropicDialect(AnthropicOptions options)
      : options_(std::move(options)), reader_(options_.provider_name), url_(llm::join_url(options_.base_url, "messages")) {}

  std::string_view name() const noexcept override { return options_.provider_name; }
  std::string_view secret() const noexcept override { return options_.api_key; }

  net::HttpRequest build(const ChatRequest& request, bool stream) const override {
    const std::string& model = llm::model_for(request, options_.default_model);
    std::string system;
    std::size_t conversation = 0;
    for (const auto& m : request.messages) {
      if (m.role != ChatMessage::Role::system) {
        ++conversation;
        continue;
      }
      if (!system.empty()) system += "\n\n";
      system += m.content;
    }
    if (conversation == 0) throw Error::invalid_argument("request.messages", "Anthropic needs at least one user message");
    if (request.response_format == ResponseFormat::json_object) {
      if (!system.empty()) system += "\n\n";
      system += kJsonInstruction;
    }
    llm::JsonWriter body;
    body.begin_object().key("model").value(model);
    body.key("max_tokens").value(llm::checked_max_tokens(request.max_tokens.value_or(options_.default_max_tokens)));
    if (!system.empty()) body.key("system").value(system);
    body.key("messages").begin_array();
    for (const auto& m : request.messages) {
      if (m.role == ChatMessage::Role::system) continue;
      body.begin_object()
          .key("role")
          .value(m.role == ChatMessage::Role::assistant ? "assistant" : "user")
          .key("content")
          .value(m.content)
          .end_object();
    }
    body.end_array();
    if (request.temperature) body.key("temperature").value(llm::checked_temperature(*request.temperature));
    if (!request.stop.empty()) {
      body.key("stop_sequences").begin_array();
      for (const auto& s : request.stop) body.value(s);
      body.end_array();
    }
    if (stream) body.key("stream").value(true);
    body.end_object();
    return llm::json_post(url_, stream, body.take(), {{"x-api-key", options_.api_key}, {"anthropic-version", options_.version}},
                          options_.extra_headers);
  }

  ChatResponse parse(const net::HttpResponse& response) const override {
    unsigned char buffer[8192];
    json::monotonic_resource resource(buffer, sizeof buffer);
    const auto value = reader_.parse(response.body, "response", &resource);
    const auto& root = reader_.object(value, "response");
    const auto type = reader_.string(reader_.at(root, "type", "response"), "response.type");
    if (type == "error") {
      throw llm::error_from_event(options_.provider_name, llm::parse_error_body(response.body), llm::request_id_of(response),
                                  options_.api_key);
    }
    if (type != "message") reader_.fail("response.type", "is not \"message\"");
    ChatResponse out;
    const auto& content = reader_.array(reader_.at(root, "content", "response"), "response.content");
    for (const auto& block_value : content) {
      const auto& block = reader_.object(block_value, "response.content[]");
      if (reader_.string(reader_.at(block, "type", "response.content[]"), "response.content[].type") == "text")
        out.text += reader_.string(reader_.at(block, "text", "response.content[]"), "response.content[].text");
    }
    const auto reason = reader_.opt_string(root, "stop_reason", "response");
    if (!reason) reader_.fail("response.stop_reason", "is missing");
    out.finish_reason = map_stop(*reason);
    if (auto model = reader_.opt_string(root, "model", "response")) out.model = std::string(*model);
    const auto& u = reader_.object(reader_.at(root, "usage", "response"), "response.usage");
    UsageParts parts;
    read_input_usage(reader_, u, "response.usage", parts);
    parts.output = reader_.count(reader_.at(u, "output_tokens", "response.usage"), "response.usage.output_tokens");
    out.usage = parts.normalized();
    return out;
  }

  std::unique_ptr<llm::StreamDecoder> decoder() const override {
    return std::make_unique<AnthropicDecoder>(options_);
  }

 private:
  AnthropicOptions options_;
  JsonReader reader_;
  std::string url_;
};

}  // namespace

std::unique_ptr<llm::Dialect> make_dialect(const AnthropicOptions& options) { return std::make_unique<AnthropicDialect>(options); }

}  // namespace contentgen::anthropic
