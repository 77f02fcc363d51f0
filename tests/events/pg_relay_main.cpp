// Child process of the multi-process relay test: relays one PostgreSQL outbox into a JSONL file
// shared with the other relay processes, starting when GO_FILE appears.
//   events_pg_relay REPOSITORY_URL JSONL_FILE SOURCE GO_FILE
// Prints "delivered N failed M" and exits 0.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "contentgen/adapters/jsonl_sink.hpp"
#include "contentgen/adapters/soci_repository.hpp"
#include "contentgen/relay.hpp"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: events_pg_relay REPOSITORY_URL JSONL_FILE SOURCE GO_FILE\n");
    return 2;
  }
  using namespace contentgen;
  try {
    SociRepositoryOptions repository_options;
    repository_options.url = argv[1];
    repository_options.pool_size = 1;
    auto repository = open_soci_repository(repository_options);
    JsonlSinkOptions sink_options;
    sink_options.path = argv[2];
    sink_options.source = argv[3];
    auto sink = std::make_shared<JsonlEventSink>(sink_options);
    RelayOptions relay_options;
    relay_options.batch_size = 5;  // small batches: many claims, so the two relays interleave
    EventRelay relay(repository, sink, relay_options);
    while (!std::filesystem::exists(argv[4])) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const auto stats = relay.relay_all(100000);
    std::printf("delivered %zu failed %zu\n", stats.delivered, stats.failed);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "events_pg_relay: %s\n", error.what());
    return 1;
  }
}
