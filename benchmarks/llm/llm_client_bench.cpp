// contentgen-llm-bench: N chat-completion calls with C in flight through the public
// OpenAI-compatible provider against a mock server; prints one JSON line with calls/s, client
// CPU per call (getrusage: every thread of this process), max RSS and connection figures.
// A benchmark, not a test: it asserts nothing.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "contentgen/adapters/openai.hpp"

namespace {

struct Cpu {
  double user = 0, system = 0;
};

Cpu cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

long max_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  long calls = 1000, concurrency = 1, pool = 0, max_tokens = 64, warmup = 200;
  bool stream = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto next = [&] { return i + 1 < argc ? argv[++i] : (std::fprintf(stderr, "%s needs a value\n", flag.c_str()), std::exit(2), ""); };
    if (flag == "--url") url = next();
    else if (flag == "--calls") calls = std::atol(next());
    else if (flag == "--concurrency") concurrency = std::atol(next());
    else if (flag == "--pool") pool = std::atol(next());
    else if (flag == "--max-tokens") max_tokens = std::atol(next());
    else if (flag == "--warmup") warmup = std::atol(next());
    else if (flag == "--stream") stream = true;
    else return std::fprintf(stderr, "unknown option %s\n", flag.c_str()), 2;
  }
  if (url.empty() || calls <= 0 || concurrency <= 0) return std::fprintf(stderr, "usage: --url URL [--calls N] [--concurrency C] [--pool P] [--stream]\n"), 2;
  if (pool <= 0) pool = concurrency;

  contentgen::HttpOptions http;
  http.max_connections_per_host = static_cast<std::size_t>(pool);
  auto transport = std::make_shared<contentgen::HttpTransport>(http);
  contentgen::OpenAiOptions options;
  options.base_url = url + "/v1";
  options.api_key = "bench-key";
  options.retry.max_retries = 0;
  options.transport = transport;
  auto provider = contentgen::make_openai_provider(options);

  contentgen::ChatRequest request;
  request.model = "gpt-bench";
  request.messages = {{contentgen::ChatMessage::Role::system, "You are a helpful writer."},
                      {contentgen::ChatMessage::Role::user, "Write a short paragraph about benchmarks."}};
  request.max_tokens = max_tokens;
  if (stream) request.on_delta = [](std::string_view) {};

  std::mutex mutex;
  std::condition_variable cv;
  std::atomic<long> started{0}, finished{0}, failed{0};
  std::atomic<std::size_t> peak_open{0};
  std::atomic<long> total{0};  // written by run(), read by launch() on the I/O thread
  std::function<void()> launch = [&] {
    if (started.fetch_add(1) >= total) return;
    provider->complete_async(request, [&](contentgen::Result<contentgen::ChatResponse> result) {
      if (!result.ok()) {
        if (failed.fetch_add(1) < 3) std::fprintf(stderr, "call failed: %s\n", result.error().what());
      }
      const auto open = transport->stats().open_connections;
      auto seen = peak_open.load();
      while (open > seen && !peak_open.compare_exchange_weak(seen, open)) {
      }
      if (finished.fetch_add(1) + 1 == total) {
        std::lock_guard lock(mutex);
        cv.notify_all();
      } else {
        launch();
      }
    });
  };
  auto run = [&](long n) {
    total = n;
    started = 0;
    finished = 0;
    for (long i = 0; i < std::min(concurrency, n); ++i) launch();
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return finished.load() == total; });
  };

  run(std::min(warmup, calls));  // connections opened, allocator warm
  failed = 0;
  peak_open = 0;
  const Cpu cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  run(calls);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Cpu cpu1 = cpu_seconds();
  const double user = cpu1.user - cpu0.user;
  const double system = cpu1.system - cpu0.system;
  const double cpu = user + system;
  const auto stats = transport->stats();
  std::printf("{\"client\":\"libcontentgen\",\"calls\":%ld,\"concurrency\":%ld,\"pool\":%ld,\"stream\":%s,\"failed\":%ld,"
              "\"wall_s\":%.3f,\"calls_per_s\":%.1f,\"cpu_us_per_call\":%.1f,\"user_us_per_call\":%.1f,\"sys_us_per_call\":%.1f,\"max_rss_mb\":%.1f,"
              "\"connections_opened\":%zu,\"peak_open_connections\":%zu}\n",
              calls, concurrency, pool, stream ? "true" : "false", failed.load(), wall, static_cast<double>(calls) / wall,
              cpu / static_cast<double>(calls) * 1e6, user / static_cast<double>(calls) * 1e6,
              system / static_cast<double>(calls) * 1e6, static_cast<double>(max_rss_kb()) / 1024.0, stats.connections_opened,
              peak_open.load());
  return failed.load() == 0 ? 0 : 1;
}
