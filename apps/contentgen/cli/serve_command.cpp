// contentgen serve: the reference REST server (docs/rest.md).
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/settings.hpp"
#include "cli/worker_pool.hpp"
#include "contentgen/error.hpp"
#include "server/http_server.hpp"
#include "server/metrics.hpp"
#include "server/rest_api.hpp"
#include "server/server_config.hpp"

namespace contentgen::cli {
namespace {

int serve(const ParsedArgs& args) {
  const auto loaded = load_cli_config(args.get("config"), process_environment());
  require_llm(loaded);
  server::ServerConfig config = server::parse_server_config(loaded.config.server_json, process_environment());
  if (auto listen = args.get("listen")) server::parse_listen(*listen, "--listen", config.host, config.port);
  if (config.api_keys.empty()) {
    throw Error::invalid_argument("server.api_keys",
                                  "no API keys: add server.api_keys, server.api_keys_env or server.api_keys_file "
                                  "(every request needs a key bound to a workspace)");
  }

  auto metrics = std::make_shared<server::Metrics>();
  CancellationSource shutdown;
  // Declared before the generator: its asynchronous completions run on this pool, so the pool
  // must outlive it.
  WorkerPool pool(config.worker_threads);
  auto configured = open_cli_generator(loaded, {.need_llm = true, .customize = [&](GeneratorOptions& options) {
                                                  options.blocking_executor = pool.executor();
                                                  options.on_llm_call = [metrics](const LlmCallReport& report) {
                                                    metrics->on_llm_call(report);
                                                  };
                                                }});
  if (configured.relay && config.relay_events && loaded.config.events.relay != "background") configured.relay->start();

  server::RestApi api({.generator = configured.generator,
                       .run_blocking = pool.executor(),
                       .metrics = metrics,
                       .config = config,
                       .max_image_bytes = loaded.config.limits.max_image_bytes,
                       .shutdown = shutdown.token()});
  server::HttpServerOptions http;
  http.host = config.host;
  http.port = config.port;
  http.io_threads = config.io_threads;
  http.header_timeout = config.header_timeout;
  http.read_timeout = config.read_timeout;
  http.idle_timeout = config.idle_timeout;
  http.write_timeout = config.write_timeout;
  http.shutdown_grace = config.shutdown_grace;
  http.max_connections = config.max_connections;
  http.max_inflight_body_bytes = config.max_inflight_body_bytes;
  http.upload_spool_bytes = config.upload_spool_bytes;
  http.on_listening = [&](const std::string& url) {
    std::cout << "contentgen serve listening on " << url << " (" << config.api_keys.size() << " API keys, config: "
              << loaded.origin << ")" << std::endl;
  };
  http.on_grace_expired = [&] { shutdown.cancel(); };
  server::run_http_server(http, api);

  // After a hard stop, answers of cancelled calls may still be on their way: let them finish
  // before the generator and the pool go away.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (metrics->http_in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (configured.relay) configured.relay->stop();
  std::cerr << "contentgen serve: stopped\n";
  return kExitOk;
}

}  // namespace

Command serve_command() {
  CommandSpec spec{"serve", "Serve the REST API (docs/rest.md) until SIGTERM or Ctrl-C.", "[--listen HOST:PORT] [options]",
                   {}, 0, 0, ""};
  spec.options = {{"listen", "HOST:PORT", "address to listen on (default: server.listen, else 127.0.0.1:8080; port 0: any)"}};
  spec.details =
      "Requests carry `Authorization: Bearer KEY`; each key (server.api_keys, server.api_keys_env,\n"
      "server.api_keys_file) is bound to one workspace. The first stdout line is\n"
      "\"contentgen serve listening on http://HOST:PORT\". SIGTERM finishes the requests in flight\n"
      "(up to server.shutdown_grace_s), then exits 0.";
  return {std::move(spec), serve};
}

}  // namespace contentgen::cli
