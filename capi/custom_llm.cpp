// contentgen_llm_provider (a C vtable) as an LlmProvider, and the contentgen_llm_call functions.
// The host's `complete` runs inline, on the thread that called the generator.
#include <boost/json.hpp>

#include <chrono>
#include <cstring>

#include "custom_ports.hpp"
#include "handles.hpp"
#include "support.hpp"

namespace contentgen::capi {
namespace {

bool past_deadline(const ChatRequest& request) {
  return request.deadline && std::chrono::steady_clock::now() >= *request.deadline;
}

const char* role_name(ChatMessage::Role role) {
  switch (role) {
    case ChatMessage::Role::system: return "system";
    case ChatMessage::Role::assistant: return "assistant";
    case ChatMessage::Role::user: break;
  }
  return "user";
}

class CustomLlmProvider final : public LlmProvider {
 public:
  explicit CustomLlmProvider(const contentgen_llm_provider& vtable) : vtable_(vtable) {}
  ~CustomLlmProvider() override {
    if (vtable_.free != nullptr) vtable_.free(vtable_.payload);
  }

  void validate() {
    check_version(vtable_.version, CONTENTGEN_LLM_PROVIDER_VERSION, "llm_provider");
    if (vtable_.complete == nullptr) throw Error::invalid_argument("llm_provider.complete", "must not be NULL");
    if (vtable_.free == nullptr) throw Error::invalid_argument("llm_provider.free", "must not be NULL");
    name_ = vtable_.name != nullptr && *vtable_.name != '\0' ? vtable_.name : "custom";
  }

  std::string_view name() const noexcept override { return name_; }

  void complete_async(ChatRequest request, ChatHandler on_done) override { on_done(run(request)); }

 private:
  Result<ChatResponse> run(const ChatRequest& request) {
    try {
      if (request.cancel.cancelled()) return Error(ErrorCode::cancelled, "the LLM call was cancelled");
      if (past_deadline(request)) {
        return Error(ErrorCode::timeout, "the deadline passed before the LLM call started");
      }
      contentgen_llm_call call;
      call.request = &request;
      call.request_json = chat_request_to_json(request);
      const std::uint64_t epoch = error_epoch();
      const int code = vtable_.complete(vtable_.payload, &call);
      if (code != CONTENTGEN_OK) {
        // A provider that stopped because contentgen_llm_call_is_cancelled() said so after the
        // deadline passed reports CANCELLED; to the caller that is a timeout.
        if (past_deadline(request) && !request.cancel.cancelled()) {
          return Error(ErrorCode::timeout, "the LLM call did not finish before the deadline");
        }
        return callback_error(code, epoch, "custom LLM provider \"" + name_ + "\"");
      }
      if (!call.response) {
        return Error(ErrorCode::upstream, "custom LLM provider \"" + name_ +
                                              "\" returned OK without calling contentgen_llm_call_respond");
      }
      ChatResponse response = std::move(*call.response);
      response.provider = name_;
      if (response.model.empty()) response.model = request.model;
      if (request.cancel.cancelled()) {
        // The provider finished anyway; the caller asked to stop, but what was billed is kept.
        ErrorDetails details;
        details.billed_usage = response.usage;
        return Error(ErrorCode::cancelled, "the LLM call was cancelled", std::move(details));
      }
      return response;
    } catch (...) {
      return to_error(std::current_exception());
    }
  }

  contentgen_llm_provider vtable_;
  std::string name_ = "custom";
};

}  // namespace

std::string chat_request_to_json(const ChatRequest& request) {
  namespace json = boost::json;
  json::object object;
  object["model"] = request.model;
  json::array messages;
  for (const auto& message : request.messages) {
    messages.emplace_back(json::object{{"role", role_name(message.role)}, {"content", message.content}});
  }
  object["messages"] = std::move(messages);
  if (request.temperature) object["temperature"] = *request.temperature;
  if (request.max_tokens) object["max_tokens"] = *request.max_tokens;
  object["stop"] = json::array(request.stop.begin(), request.stop.end());
  object["response_format"] = request.response_format == ResponseFormat::json_object ? "json_object" : "text";
  object["stream"] = static_cast<bool>(request.on_delta);
  if (request.deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*request.deadline -
                                                                            std::chrono::steady_clock::now());
    object["timeout_ms"] = left.count() > 0 ? left.count() : 0;
  }
  return json::serialize(object);
}

std::shared_ptr<LlmProvider> adopt_llm_provider(const contentgen_llm_provider& vtable) {
  return adopt<CustomLlmProvider>(vtable);
}

}  // namespace contentgen::capi

using namespace contentgen::capi;

extern "C" {

const char* contentgen_llm_call_request_json(const contentgen_llm_call* call, size_t* out_len) {
  if (call == nullptr) return give_empty(out_len);
  return give(call->request_json, out_len);
}

int contentgen_llm_call_is_cancelled(const contentgen_llm_call* call) {
  if (call == nullptr || call->request == nullptr) return 0;
  return call->request->cancel.cancelled() || past_deadline(*call->request) ? 1 : 0;
}

int contentgen_llm_call_emit_delta(contentgen_llm_call* call, const char* text_data, size_t len) {
  return guard([&] {
    require(call, "call");
    const std::string_view delta = text(text_data, len, "text");
    if (call->request->on_delta && !delta.empty()) call->request->on_delta(delta);
  });
}

void contentgen_llm_response_init(contentgen_llm_response* response) {
  const contentgen_llm_response defaults = CONTENTGEN_LLM_RESPONSE_INIT;
  if (response != nullptr) *response = defaults;
}

int contentgen_llm_call_respond(contentgen_llm_call* call, const contentgen_llm_response* response) {
  return guard([&] {
    require(call, "call");
    require(response, "response");
    check_version(response->version, CONTENTGEN_LLM_RESPONSE_VERSION, "response");
    if (call->response) throw contentgen::Error::invalid_argument("call", "already has a response");
    contentgen::ChatResponse result;
    result.text = std::string(text(response->text, response->text_len, "response.text"));
    if (response->finish_reason != nullptr) {
      auto reason = contentgen::parse_finish_reason(response->finish_reason);
      if (!reason) {
        throw contentgen::Error::invalid_argument("response.finish_reason",
                                                  "must be \"stop\", \"length\", \"content_filter\" or \"other\"");
      }
      result.finish_reason = *reason;
    }
    if (response->model != nullptr) result.model = response->model;
    if (response->request_id != nullptr) result.request_id = response->request_id;
    result.usage = usage_from_c(&response->usage);
    contentgen::validate_usage(result.usage);
    call->response = std::move(result);
  });
}

}  // extern "C"
