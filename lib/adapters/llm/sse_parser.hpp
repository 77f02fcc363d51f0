#pragma once
// Incremental Server-Sent Events parser (WHATWG "event stream interpretation"): bytes may be split
// anywhere, lines end in LF, CRLF or a lone CR (even when the CR and LF arrive in separate chunks),
// ':' lines are comments, several data: lines join with '\n', a blank line dispatches. An event
// still incomplete when the stream ends is dropped, as the spec says.
#include <functional>
#include <string>
#include <string_view>

namespace contentgen::llm {

struct SseEvent {
  std::string event;  // empty means "message"
  std::string data;

  friend bool operator==(const SseEvent&, const SseEvent&) = default;
};

class SseParser {
 public:
  // Return false to stop parsing (the rest of the input is ignored from then on).
  using Handler = std::function<bool(const SseEvent&)>;

  // Returns false once the handler asked to stop.
  bool feed(std::string_view bytes, const Handler& on_event);

 private:
  bool process(std::string_view bytes, const Handler& on_event);
  bool end_of_line(const Handler& on_event);

  std::string start_;         // the first bytes, until we know whether they are a BOM

  std::string line_;
  SseEvent pending_;
  bool has_data_ = false;
  bool skip_lf_ = false;      // the previous chunk ended in CR: a leading LF belongs to it
  bool at_start_ = true;      // a UTF-8 BOM may open the stream
  bool stopped_ = false;
};

}  // namespace contentgen::llm
