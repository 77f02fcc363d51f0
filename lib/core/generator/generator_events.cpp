// Event payloads and the exported HTML document. Payload fields are documented in docs/events.md
// and consumed by other programs: add fields, never rename or remove one.
#include <boost/json.hpp>

#include "core/generator/generator_core.hpp"

namespace contentgen::internal {
namespace {

namespace json = boost::json;

json::object base(const Article& article) {
  return json::object{{"article_id", article.id}, {"workspace_id", article.workspace_id}};
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

Event make_event(const GeneratorCore& core, EventType type, const Article& article, std::string data_json) {
  return Event{core.new_id(), type, core.now(), article.workspace_id, article.id, std::move(data_json)};
}

std::string generated_event_data(const Article& a) {
  auto data = base(a);
  data["plan_id"] = a.plan_id;
  data["title"] = a.title;
  data["word_count"] = a.word_count;
  data["cost_usd"] = a.cost.to_string();  // exact decimal string, never a float
  data["model"] = a.model;
  return json::serialize(data);
}

std::string updated_event_data(const Article& a) {
  auto data = base(a);
  data["version"] = a.version;
  data["title"] = a.title;
  data["status"] = to_string(a.status);
  data["word_count"] = a.word_count;
  return json::serialize(data);
}

std::string deleted_event_data(const Article& a) { return json::serialize(base(a)); }

std::string image_event_data(const ArticleImage& image, bool uploaded) {
  json::object data{{"article_id", image.article_id}, {"workspace_id", image.workspace_id}, {"image_id", image.id}};
  if (uploaded) {
    data["url"] = image.url;
    data["content_type"] = image.content_type;
    data["size_bytes"] = image.size_bytes;
    data["width"] = image.width;
    data["height"] = image.height;
    data["sha256"] = image.sha256;
  }
  return json::serialize(data);
}

std::string html_document(const Article& article) {
  return "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape_html(article.title) +
         "</title>\n</head>\n<body>\n" + article.content_html + "</body>\n</html>\n";
}

}  // namespace contentgen::internal
