// events.kind "jsonl" (registered in this folder's CMakeLists.txt).
#include "contentgen/adapters/jsonl_sink.hpp"
#include "contentgen/config.hpp"

namespace contentgen::configdetail {

std::shared_ptr<EventSink> open_jsonl_events(const EventsConfig& config, const LogHandler&) {
  JsonlSinkOptions options;
  options.path = config.path;
  options.source = config.source;
  options.fsync = config.fsync;
  return make_jsonl_event_sink(std::move(options));
}

}  // namespace contentgen::configdetail
