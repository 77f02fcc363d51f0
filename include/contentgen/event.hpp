#pragma once
// Event: a domain event written to the outbox in the same transaction as the change it announces,
// then relayed to an EventSink. The id is stable across redeliveries (consumers de-duplicate on it).
#include <optional>
#include <string>
#include <string_view>

#include "contentgen/export.hpp"
#include "contentgen/time.hpp"

namespace contentgen {

enum class EventType { article_generated, article_updated, article_deleted, image_uploaded, image_deleted };
// "article.generated", "article.updated", "article.deleted", "image.uploaded", "image.deleted"
CONTENTGEN_API std::string_view to_string(EventType type) noexcept;
CONTENTGEN_API std::optional<EventType> parse_event_type(std::string_view text) noexcept;

struct Event {
  std::string id;            // UUIDv7
  EventType type = EventType::article_generated;
  Timestamp time{};
  std::string workspace_id;
  std::string subject;       // the article id
  std::string data_json;     // a JSON object; per-type fields in docs/events.md

  friend bool operator==(const Event&, const Event&) = default;
};

// The CloudEvents 1.0 structured-mode JSON envelope of `event` (one line, no trailing newline):
// specversion, id, source, type, time, subject, datacontenttype "application/json",
// workspaceid (extension attribute), data. `source` is e.g. "contentgen://host/app".
CONTENTGEN_API std::string to_cloudevent_json(const Event& event, std::string_view source);

}  // namespace contentgen
