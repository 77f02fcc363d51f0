// Child process of the JSONL kill test: appends big events to a file in a loop and prints each
// event id on stdout once publish() returned (acknowledged), until it is killed.
//   events_jsonl_writer FILE DATA_BYTES
#include <cstdio>
#include <cstdlib>
#include <string>

#include "contentgen/adapters/jsonl_sink.hpp"
#include "contentgen/ids.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: events_jsonl_writer FILE DATA_BYTES\n");
    return 2;
  }
  using namespace contentgen;
  JsonlEventSink sink(JsonlSinkOptions{.path = argv[1], .source = "contentgen://test/killed-writer"});
  // A large data field makes each write(2) long, so a kill often lands in the middle of one.
  const std::string filler(static_cast<std::size_t>(std::atoll(argv[2])), 'x');
  for (;;) {
    Event event;
    event.id = new_uuid_v7();
    event.type = EventType::article_generated;
    event.time = now_utc();
    event.workspace_id = "ws";
    event.subject = new_uuid_v7();
    event.data_json = R"({"article_id":")" + event.subject + R"(","filler":")" + filler + R"("})";
    sink.publish(event);
    std::printf("%s\n", event.id.c_str());
    std::fflush(stdout);
  }
}
