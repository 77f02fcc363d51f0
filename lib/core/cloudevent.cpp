#include <boost/json.hpp>

#include "contentgen/error.hpp"
#include "contentgen/event.hpp"

namespace contentgen {

std::string to_cloudevent_json(const Event& event, std::string_view source) {
  boost::json::value data;
  try {
    data = boost::json::parse(event.data_json.empty() ? std::string_view("{}") : std::string_view(event.data_json));
  } catch (const std::exception&) {
    throw Error(ErrorCode::internal, "event " + event.id + " carries data that is not JSON");
  }
  boost::json::object envelope;
  envelope["specversion"] = "1.0";
  envelope["id"] = event.id;
  envelope["source"] = source;
  envelope["type"] = to_string(event.type);
  envelope["time"] = format_rfc3339(event.time);
  envelope["subject"] = event.subject;
  envelope["datacontenttype"] = "application/json";
  envelope["workspaceid"] = event.workspace_id;
  envelope["data"] = std::move(data);
  return boost::json::serialize(envelope);
}

}  // namespace contentgen
