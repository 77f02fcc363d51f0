#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "replies.hpp"
#include "script.hpp"

namespace mockllm {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;           // 0: a free port, printed on stdout
  int threads = 1;
  Settings settings;
  std::string tls_cert;             // PEM; with tls_key: HTTPS only
  std::string tls_key;
  bool log_secrets = false;         // keep credential headers in the request log (tests)
  std::size_t log_limit = 10'000;   // requests kept in memory for GET /_mock/requests
  std::string log_file;             // also append each request as one JSON line
  std::vector<ScriptEntry> script;  // initial script (--script FILE)
};

// Listens, prints "contentgen-mockllm listening on http(s)://HOST:PORT" on stdout, and serves
// until SIGINT/SIGTERM. Returns the process exit code.
int run_server(const ServerOptions& options);

}  // namespace mockllm
