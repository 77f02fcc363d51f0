// events section -> EventSink (JSONL file or AMQP) when the adapter is built.
#include "config/not_built.hpp"
#include "contentgen/config.hpp"

#if defined(CONTENTGEN_CONFIG_HAVE_JSONL_SINK)
#include "contentgen/adapters/jsonl_sink.hpp"
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_AMQP_SINK)
#include "contentgen/adapters/amqp_sink.hpp"
#endif

namespace contentgen {

std::shared_ptr<EventSink> open_event_sink(const EventsConfig& config) {
  if (config.kind == "none") return nullptr;
  if (config.kind == "jsonl") {
#if defined(CONTENTGEN_CONFIG_HAVE_JSONL_SINK)
    JsonlSinkOptions options;
    options.path = config.path;
    options.source = config.source;
    options.fsync = config.fsync;
    return make_jsonl_event_sink(std::move(options));
#else
    configdetail::throw_not_built("events.kind", "jsonl", "JSONL event sink");
#endif
  }
  if (config.kind == "amqp") {
#if defined(CONTENTGEN_CONFIG_HAVE_AMQP_SINK)
    AmqpSinkOptions options;
    options.url = config.url;
    options.exchange = config.exchange;
    options.declare_exchange = config.declare_exchange;
    options.source = config.source;
    options.ca_file = config.ca_file;
    options.client_cert_file = config.client_cert_file;
    options.client_key_file = config.client_key_file;
    options.heartbeat = config.heartbeat;
    options.connect_timeout = config.connect_timeout;
    options.confirm_timeout = config.confirm_timeout;
    options.connection_name = config.connection_name;
    try {
      return make_amqp_event_sink(std::move(options));
    } catch (Error& e) {
      configdetail::rename_field(e, "", "events.");
      throw;
    }
#else
    configdetail::throw_not_built("events.kind", "amqp", "AMQP event sink");
#endif
  }
  throw Error::invalid_argument("events.kind", "must be \"jsonl\", \"amqp\" or \"none\"");
}

}  // namespace contentgen
