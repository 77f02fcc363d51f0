// The CloudEvents 1.0 envelope in structured JSON mode (https://github.com/cloudevents/spec):
// one JSON object per event, the same bytes in every sink (AMQP body, JSONL line).
#include "core/events/cloudevent.hpp"

#include <unistd.h>

#include <boost/json.hpp>

#include "contentgen/error.hpp"
#include "contentgen/event.hpp"

namespace contentgen {

std::string to_cloudevent_json(const Event& event, std::string_view source) {
  if (event.id.empty()) throw Error(ErrorCode::internal, "event without an id cannot be enveloped");
  boost::json::value data;
  boost::system::error_code parse_error;
  data = boost::json::parse(event.data_json.empty() ? std::string_view("{}") : std::string_view(event.data_json),
                            parse_error);
  if (parse_error || !data.is_object()) {
    throw Error(ErrorCode::internal, "event " + event.id + " carries data that is not a JSON object");
  }
  boost::json::object envelope;
  envelope.reserve(9);
  envelope["specversion"] = "1.0";
  envelope["id"] = event.id;
  // CloudEvents requires a non-empty source: an empty one means "this process".
  envelope["source"] = source.empty() ? cloudevent::default_source() : std::string(source);
  envelope["type"] = to_string(event.type);
  envelope["time"] = format_rfc3339(event.time);
  envelope["subject"] = event.subject;
  envelope["datacontenttype"] = "application/json";
  envelope["workspaceid"] = event.workspace_id;
  envelope["data"] = std::move(data);
  return boost::json::serialize(envelope);
}

namespace cloudevent {

std::string default_source() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "contentgen://localhost/contentgen";
  return std::string("contentgen://") + host + "/contentgen";
}

std::string resolve_source(std::string_view configured) {
  if (configured.empty()) return default_source();
  for (const char c : configured) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      throw Error::invalid_argument("source", "the CloudEvents source must be a URI-reference without spaces");
    }
  }
  return std::string(configured);
}

}  // namespace cloudevent
}  // namespace contentgen
