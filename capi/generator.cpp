// contentgen_generator_*: open from the JSON configuration (+ custom ports), close, and the
// article operations.
#include <chrono>

#include "custom_ports.hpp"
#include "handles.hpp"
#include "support.hpp"
#include "contentgen/json.hpp"
#include "core/events/cloudevent.hpp"

using namespace contentgen::capi;
using contentgen::Error;

namespace {

contentgen::ContentGenerator& generator_of(contentgen_generator* generator) {
  require(generator, "generator");
  return *generator->configured.generator;
}

// Takes over the custom ports of `options`. Every vtable given is adopted (and so released exactly
// once) even when another one is invalid; the first problem is rethrown after all are adopted.
contentgen::PortOverrides adopt_ports(const contentgen_open_options& options,
                                      std::shared_ptr<CustomEventSink>& sink) {
  contentgen::PortOverrides overrides;
  std::exception_ptr first_error;
  auto attempt = [&](auto&& adopt) {
    try {
      adopt();
    } catch (...) {
      if (!first_error) first_error = std::current_exception();
    }
  };
  attempt([&] { if (options.llm != nullptr) overrides.llm = adopt_llm_provider(*options.llm); });
  attempt([&] { if (options.images != nullptr) overrides.images = adopt_image_store(*options.images); });
  attempt([&] { if (options.events != nullptr) sink = adopt_event_sink(*options.events); });
  if (first_error) std::rethrow_exception(first_error);
  if (sink) overrides.events = as_event_sink(sink);
  return overrides;
}

contentgen::GenerateOptions generate_options(const contentgen_generate_options* options) {
  contentgen::GenerateOptions result;
  if (options == nullptr) return result;
  check_version(options->version, CONTENTGEN_GENERATE_OPTIONS_VERSION, "options");
  if (options->model != nullptr) result.model = options->model;
  // Negative means "the default"; anything else, NaN included, goes to the generator's check.
  if (!(options->temperature < 0)) result.temperature = options->temperature;
  if (options->max_tokens > 0) result.max_tokens = options->max_tokens;
  if (options->idempotency_key != nullptr) result.idempotency_key = options->idempotency_key;
  if (options->metadata_json != nullptr) result.metadata_json = options->metadata_json;
  if (options->on_delta != nullptr) {
    result.on_delta = [fn = options->on_delta, payload = options->on_delta_payload](std::string_view delta) {
      fn(payload, delta.data(), delta.size());
    };
  }
  if (options->cancellation != nullptr) result.cancel = options->cancellation->source.token();
  if (options->timeout_ms > 0) {
    // A timeout so long that the deadline would not fit in a time_point (INT64_MAX ms overflows the
    // clock's nanoseconds, and a wrapped deadline would lie in the past) can never pass: none.
    const auto now = std::chrono::steady_clock::now();
    const auto headroom = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::time_point::max() - now);
    if (options->timeout_ms < headroom.count()) result.deadline = now + std::chrono::milliseconds(options->timeout_ms);
  }
  return result;
}

}  // namespace

extern "C" {

void contentgen_open_options_init(contentgen_open_options* options) {
  const contentgen_open_options defaults = CONTENTGEN_OPEN_OPTIONS_INIT;
  if (options != nullptr) *options = defaults;
}

void contentgen_generate_options_init(contentgen_generate_options* options) {
  const contentgen_generate_options defaults = CONTENTGEN_GENERATE_OPTIONS_INIT;
  if (options != nullptr) *options = defaults;
}

void contentgen_list_options_init(contentgen_list_options* options) {
  const contentgen_list_options defaults = CONTENTGEN_LIST_OPTIONS_INIT;
  if (options != nullptr) *options = defaults;
}

void contentgen_image_options_init(contentgen_image_options* options) {
  const contentgen_image_options defaults = CONTENTGEN_IMAGE_OPTIONS_INIT;
  if (options != nullptr) *options = defaults;
}

namespace {

static_assert(static_cast<int>(contentgen::LogLevel::debug) == CONTENTGEN_LOG_DEBUG &&
              static_cast<int>(contentgen::LogLevel::info) == CONTENTGEN_LOG_INFO &&
              static_cast<int>(contentgen::LogLevel::warning) == CONTENTGEN_LOG_WARNING &&
              static_cast<int>(contentgen::LogLevel::error) == CONTENTGEN_LOG_ERROR);

// A C log callback as a LogHandler: NUL-terminated copies of the component and the message.
contentgen::LogHandler c_log_handler(contentgen_log_fn fn, void* user_data) {
  return [fn, user_data](contentgen::LogLevel level, std::string_view component, std::string_view message) {
    const std::string component_text(component), message_text(message);
    fn(user_data, static_cast<int>(level), component_text.c_str(), message_text.c_str());
  };
}

}  // namespace

int contentgen_generator_open(contentgen_generator** out, const char* config_json, size_t config_len,
                              const contentgen_open_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    contentgen::PortOverrides overrides;
    std::shared_ptr<CustomEventSink> custom_sink;
    contentgen::LogHandler log;
    if (options != nullptr) {
      check_version(options->version, CONTENTGEN_OPEN_OPTIONS_VERSION, "options");
      overrides = adopt_ports(*options, custom_sink);
      if (options->version >= 2 && options->log != nullptr) log = c_log_handler(options->log, options->log_user_data);
    }
    require(out, "out");
    const contentgen::Config config = contentgen::parse_config(text(config_json, config_len, "config"));
    if (custom_sink) {
      set_event_source(*custom_sink, contentgen::cloudevent::resolve_source(config.events.source));
    }
    auto handle = std::make_unique<contentgen_generator>();
    handle->configured = contentgen::open_generator(config, std::move(overrides),
                                                    [&log](contentgen::GeneratorOptions& o) { o.log = log; });
    *out = handle.release();
  });
}

void contentgen_generator_close(contentgen_generator* generator) {
  try {
    delete generator;
  } catch (...) {
    // A destructor that throws would terminate; the C caller cannot act on it anyway.
  }
}

int contentgen_config_check(const char* config_json, size_t config_len) {
  return guard([&] { (void)contentgen::parse_config(text(config_json, config_len, "config")); });
}

int contentgen_adapter_available(const char* section, const char* kind) {
  if (section == nullptr || kind == nullptr) return 0;
  return contentgen::adapter_available(section, kind) ? 1 : 0;
}

int contentgen_generator_generate(contentgen_article** out, contentgen_generator* generator, const char* plan_json,
                                  size_t plan_len, const contentgen_generate_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    auto& facade = generator_of(generator);
    const contentgen::ContentPlan plan = contentgen::plan_from_json(text(plan_json, plan_len, "plan"));
    const contentgen::GenerateOptions generate = generate_options(options);
    *out = new contentgen_article(facade.generate(plan, generate));
  });
}

int contentgen_generator_get(contentgen_article** out, contentgen_generator* generator, const char* workspace_id,
                             size_t workspace_id_len, const char* article_id, size_t article_id_len) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    auto& facade = generator_of(generator);
    *out = new contentgen_article(facade.get(text(workspace_id, workspace_id_len, "workspace_id"),
                                             text(article_id, article_id_len, "article_id")));
  });
}

int contentgen_generator_spend(contentgen_spend_summary* out, contentgen_generator* generator, const char* workspace_id,
                               size_t workspace_id_len, const char* since) {
  if (out != nullptr) *out = contentgen_spend_summary{};
  return guard([&] {
    require(out, "out");
    auto& facade = generator_of(generator);
    std::optional<contentgen::Timestamp> from;
    if (since != nullptr) {
      from = contentgen::parse_rfc3339(since);
      if (!from) throw contentgen::Error::invalid_argument("since", "must be an RFC 3339 time, e.g. 2026-12-01T00:00:00Z");
    }
    const auto spend = facade.spend(text(workspace_id, workspace_id_len, "workspace_id"), from);
    *out = contentgen_spend_summary{spend.total.nanos(), spend.estimated.nanos(), spend.calls, spend.estimated_calls};
  });
}

int contentgen_generator_list(contentgen_article_list** out, contentgen_generator* generator,
                              const char* workspace_id, size_t workspace_id_len,
                              const contentgen_list_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    auto& facade = generator_of(generator);
    contentgen::ListQuery query;
    if (options != nullptr) {
      check_version(options->version, CONTENTGEN_LIST_OPTIONS_VERSION, "options");
      if (options->status != nullptr && *options->status != '\0') {
        query.status = contentgen::parse_article_status(options->status);
        if (!query.status) {
          throw Error::invalid_argument("status", "must be \"draft\", \"published\" or \"archived\"");
        }
      }
      if (options->limit != 0) query.limit = options->limit;
      if (options->cursor != nullptr) query.cursor = options->cursor;
    }
    contentgen::ArticlePage page = facade.list(text(workspace_id, workspace_id_len, "workspace_id"), query);
    auto list = std::make_unique<contentgen_article_list>();
    list->items.reserve(page.items.size());
    for (auto& item : page.items) list->items.emplace_back(std::move(item));
    list->next_cursor = std::move(page.next_cursor);
    *out = list.release();
  });
}

int contentgen_generator_update(contentgen_article** out, contentgen_generator* generator, const char* workspace_id,
                                size_t workspace_id_len, const char* article_id, size_t article_id_len,
                                const char* changes_json, size_t changes_len, int64_t expected_version) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    auto& facade = generator_of(generator);
    const contentgen::ArticleUpdate changes =
        contentgen::article_update_from_json(text(changes_json, changes_len, "changes"));
    contentgen::Article updated = facade.update(text(workspace_id, workspace_id_len, "workspace_id"),
                                                text(article_id, article_id_len, "article_id"), changes,
                                                expected_version);
    if (out != nullptr) *out = new contentgen_article(std::move(updated));
  });
}

int contentgen_generator_delete(contentgen_generator* generator, const char* workspace_id, size_t workspace_id_len,
                                const char* article_id, size_t article_id_len) {
  return guard([&] {
    generator_of(generator).remove(text(workspace_id, workspace_id_len, "workspace_id"),
                                   text(article_id, article_id_len, "article_id"));
  });
}

int contentgen_generator_upload_image(contentgen_image** out, contentgen_generator* generator,
                                      const char* workspace_id, size_t workspace_id_len, const char* article_id,
                                      size_t article_id_len, const void* data, size_t size, const char* filename,
                                      size_t filename_len, const contentgen_image_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    auto& facade = generator_of(generator);
    if (size != 0) require(data, "data");
    contentgen::ImageUpload upload;
    upload.bytes = contentgen::ByteView(static_cast<const std::byte*>(data), size);
    upload.filename = std::string(text(filename, filename_len, "filename"));
    if (options != nullptr) {
      check_version(options->version, CONTENTGEN_IMAGE_OPTIONS_VERSION, "options");
      if (options->declared_content_type != nullptr) upload.declared_content_type = options->declared_content_type;
      if (options->alt_text != nullptr) upload.alt_text = options->alt_text;
    }
    contentgen::ArticleImage image = facade.upload_image(text(workspace_id, workspace_id_len, "workspace_id"),
                                                         text(article_id, article_id_len, "article_id"), upload);
    *out = new contentgen_image(std::move(image), true);
  });
}

int contentgen_generator_delete_image(contentgen_generator* generator, const char* workspace_id,
                                      size_t workspace_id_len, const char* article_id, size_t article_id_len,
                                      const char* image_id, size_t image_id_len) {
  return guard([&] {
    generator_of(generator).delete_image(text(workspace_id, workspace_id_len, "workspace_id"),
                                         text(article_id, article_id_len, "article_id"),
                                         text(image_id, image_id_len, "image_id"));
  });
}

int contentgen_generator_relay_events(size_t* out_delivered, size_t* out_failed, contentgen_generator* generator) {
  if (out_delivered != nullptr) *out_delivered = 0;
  if (out_failed != nullptr) *out_failed = 0;
  return guard([&] {
    require(generator, "generator");
    if (!generator->configured.relay) {
      throw Error::invalid_argument("events.kind", "no event sink is configured, so there is nothing to relay to");
    }
    const contentgen::RelayStats stats = generator->configured.relay->relay_all();
    if (out_delivered != nullptr) *out_delivered = stats.delivered;
    if (out_failed != nullptr) *out_failed = stats.failed;
  });
}

}  // extern "C"
