#include "adapters/llm/sse_parser.hpp"

namespace contentgen::llm {
namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
}

bool SseParser::feed(std::string_view bytes, const Handler& on_event) {
  if (stopped_) return false;
  if (at_start_) {
    while (!bytes.empty() && start_.size() < kBom.size()) {
      start_.push_back(bytes.front());
      bytes.remove_prefix(1);
    }
    if (start_.size() < kBom.size() && kBom.substr(0, start_.size()) == start_) return true;  // wait for more
    at_start_ = false;
    std::string head = std::move(start_);
    if (head == kBom) head.clear();
    if (!process(head, on_event)) return false;
  }
  return process(bytes, on_event);
}

bool SseParser::process(std::string_view bytes, const Handler& on_event) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (bytes[i] == '\n') {
        ++i;
        continue;
      }
    }
    const auto end = bytes.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(i));
      break;
    }
    line_.append(bytes.substr(i, end - i));
    skip_lf_ = bytes[end] == '\r';
    i = end + 1;
    if (!end_of_line(on_event)) {
      stopped_ = true;
      return false;
    }
  }
  return true;
}

bool SseParser::end_of_line(const Handler& on_event) {
  bool keep_going = true;
  if (line_.empty()) {
    if (has_data_) keep_going = on_event(pending_);
    pending_ = SseEvent{};
    has_data_ = false;
  } else if (line_.front() != ':') {
    const auto colon = line_.find(':');
    std::string_view field(line_.data(), colon == std::string::npos ? line_.size() : colon);
    std::string_view value;
    if (colon != std::string::npos) {
      value = std::string_view(line_).substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    if (field == "data") {
      if (has_data_) pending_.data.push_back('\n');
      pending_.data.append(value);
      has_data_ = true;
    } else if (field == "event") {
      pending_.event.assign(value);
    }
  }
  line_.clear();
  return keep_going;
}

}  // namespace contentgen::llm
