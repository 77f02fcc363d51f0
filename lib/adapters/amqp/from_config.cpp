// events.kind "amqp" (registered in this folder's CMakeLists.txt): the events section -> AmqpSinkOptions.
#include "config/field_names.hpp"
#include "contentgen/adapters/amqp_sink.hpp"
#include "contentgen/config.hpp"

namespace contentgen::configdetail {

std::shared_ptr<EventSink> open_amqp_events(const EventsConfig& config, const LogHandler&) {
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
    rename_field(e, "", "events.");
    throw;
  }
}

}  // namespace contentgen::configdetail
