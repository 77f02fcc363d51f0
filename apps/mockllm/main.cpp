// contentgen-mockllm: a loopback mock of the OpenAI and Anthropic chat APIs. A TESTING TOOL.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "server.hpp"

namespace {

constexpr const char* kUsage = R"(contentgen-mockllm -- a TESTING TOOL that fakes the OpenAI chat-completions
and Anthropic messages APIs (incl. SSE streaming) on a local port. See docs/mockllm.md.

  --host ADDR            listen address (default 127.0.0.1)
  --port N               port; 0 picks a free one (default 0). The URL is printed on stdout.
  --threads N            I/O threads (default 1)
  --latency-ms N         delay before every response header (default 0)
  --chunk-delay-ms N     delay between streamed events (default 0)
  --api-key KEY          require this key (Bearer / api-key / x-api-key), else 401
  --max-tokens N         completion size when the request sets none (default 700)
  --script FILE          initial fault script (JSON entry or array; see docs/mockllm.md)
  --tls-cert PEM --tls-key PEM   serve HTTPS only
  --log-file FILE        append every LLM request as a JSON line
  --log-limit N          requests kept for GET /_mock/requests (default 10000)
  --log-secrets          keep credential headers in the request log (redacted by default)
)";

long number(const std::string& flag, const char* value) {
  char* end = nullptr;
  const long n = std::strtol(value, &end, 10);
  if (end == value || *end != '\0' || n < 0) {
    std::cerr << "contentgen-mockllm: " << flag << " needs a non-negative number\n";
    std::exit(2);
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  mockllm::ServerOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::cerr << "contentgen-mockllm: " << flag << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (flag == "--host") {
      options.host = value();
    } else if (flag == "--port") {
      const long port = number(flag, value());
      if (port > 65535) return std::cerr << "contentgen-mockllm: bad port\n", 2;
      options.port = static_cast<std::uint16_t>(port);
    } else if (flag == "--threads") {
      options.threads = static_cast<int>(std::max(1L, number(flag, value())));
    } else if (flag == "--latency-ms") {
      options.settings.latency_ms = number(flag, value());
    } else if (flag == "--chunk-delay-ms") {
      options.settings.chunk_delay_ms = number(flag, value());
    } else if (flag == "--api-key") {
      options.settings.api_key = value();
    } else if (flag == "--max-tokens") {
      options.settings.default_max_tokens = number(flag, value());
    } else if (flag == "--script") {
      std::ifstream in(value());
      std::stringstream text;
      text << in.rdbuf();
      try {
        options.script = mockllm::parse_script(text.str());
      } catch (const std::exception& e) {
        std::cerr << "contentgen-mockllm: " << e.what() << "\n";
        return 2;
      }
    } else if (flag == "--tls-cert") {
      options.tls_cert = value();
    } else if (flag == "--tls-key") {
      options.tls_key = value();
    } else if (flag == "--log-file") {
      options.log_file = value();
    } else if (flag == "--log-limit") {
      options.log_limit = static_cast<std::size_t>(number(flag, value()));
    } else if (flag == "--log-secrets") {
      options.log_secrets = true;
    } else {
      std::cerr << "contentgen-mockllm: unknown option " << flag << "\n" << kUsage;
      return 2;
    }
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    std::cerr << "contentgen-mockllm: --tls-cert and --tls-key go together\n";
    return 2;
  }
  try {
    return mockllm::run_server(options);
  } catch (const std::exception& e) {
    std::cerr << "contentgen-mockllm: " << e.what() << "\n";
    return 1;
  }
}
