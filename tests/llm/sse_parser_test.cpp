#include <gtest/gtest.h>

#include "adapters/llm/sse_parser.hpp"

namespace contentgen::llm {
namespace {

std::vector<SseEvent> parse_split(std::string_view stream, const std::vector<std::size_t>& cuts) {
  std::vector<SseEvent> events;
  SseParser parser;
  std::size_t from = 0;
  auto handler = [&](const SseEvent& e) {
    events.push_back(e);
    return true;
  };
  for (auto cut : cuts) {
    parser.feed(stream.substr(from, cut - from), handler);
    from = cut;
  }
  parser.feed(stream.substr(from), handler);
  return events;
}


const std::string kStream =
    "\xEF\xBB\xBF: a comment\r\n"
    "event: message_start\r\n"
    "data: {\"a\":1}\r\n"
    "\r\n"
    "data: line one\n"
    "data: line two\n"
    "id: 7\n"
    "retry: 100\n"
    "\n"
    "data:no-space\r"
    "\r"
    ":keepalive\n\n"
    "event: ping\n"
    "\n"
    "data: [DONE]\n\n"
    "data: incomplete at the end";

TEST(SseParser, ParsesEveryLineEndingCommentsAndMultiLineData) {
  auto events = parse_split(kStream, {});
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].event, "message_start");
  EXPECT_EQ(events[0].data, "{\"a\":1}");
  EXPECT_EQ(events[1].event, "");
  EXPECT_EQ(events[1].data, "line one\nline two");
  EXPECT_EQ(events[2].data, "no-space");
  EXPECT_EQ(events[3].data, "[DONE]") << "an event with no data (ping above) is not dispatched";
}

TEST(SseParser, SameEventsWhateverTheSplit) {
  const auto whole = parse_split(kStream, {});
  for (std::size_t a = 0; a <= kStream.size(); ++a) {
    ASSERT_TRUE(whole == parse_split(kStream, {a})) << "split at " << a;
  }
  for (std::size_t a = 0; a <= kStream.size(); a += 3)
    for (std::size_t b = a; b <= kStream.size(); b += 5)
      ASSERT_TRUE(whole == parse_split(kStream, {a, b})) << a << "," << b;
  // Byte by byte.
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < kStream.size(); ++i) every.push_back(i);
  EXPECT_TRUE(whole == parse_split(kStream, every));
}

TEST(SseParser, CrSplitFromItsLf) {
  auto events = parse_split("data: x\r\n\r\ndata: y\r\n\r\n", {8, 9, 10});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data, "x");
  EXPECT_EQ(events[1].data, "y");
}

TEST(SseParser, HandlerCanStopTheStream) {
  SseParser parser;
  int seen = 0;
  EXPECT_FALSE(parser.feed("data: 1\n\ndata: 2\n\n", [&](const SseEvent&) { return ++seen < 1; }));
  EXPECT_EQ(seen, 1);
  EXPECT_FALSE(parser.feed("data: 3\n\n", [&](const SseEvent&) { return ++seen, true; }));
  EXPECT_EQ(seen, 1);
}

TEST(SseParser, EmptyDataLineCountsAsData) {
  auto events = parse_split("data:\n\ndata\n\n", {});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data, "");
  EXPECT_EQ(events[1].data, "");
}

}  // namespace
}  // namespace contentgen::llm
