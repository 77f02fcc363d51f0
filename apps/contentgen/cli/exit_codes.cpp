#include "cli/exit_codes.hpp"

#include <iostream>

#include "cli/args.hpp"

namespace contentgen::cli {
namespace {

std::string single_line(std::string text) {
  for (auto& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

}  // namespace

int exit_code_for(ErrorCode code) noexcept { return 10 + static_cast<int>(code); }

std::string hint_for(const Error& error) {
  const auto& d = error.details();
  switch (error.code()) {
    case ErrorCode::invalid_argument:
      if (d.field == "llm") return "";  // the message already says what to set
      if (d.field.rfind("llm", 0) == 0) return "check the llm section of the configuration (docs/cli.md#configuration)";
      if (d.field.rfind("plan", 0) == 0) return "fix that field of the plan (docs/cli.md#plans)";
      if (d.field == "config") return "pass a readable JSON file with --config or CONTENTGEN_CONFIG";
      if (d.http_status != 0) {
        return "the provider rejected the request (HTTP " + std::to_string(d.http_status) +
               "): check llm.model, --model and the provider's settings";
      }
      return d.field.empty() ? "check the arguments" : "fix " + d.field;
    case ErrorCode::not_found:
      return "check the id and the workspace (--workspace)";
    case ErrorCode::conflict:
      return "re-read the article (contentgen articles get ID) and retry with its current --version";
    case ErrorCode::unauthorized:
      return "the provider or store refused the credentials: check the API key (OPENAI_API_KEY or llm.api_key_env)";
    case ErrorCode::rate_limited: {
      std::string hint = "retry later";
      if (d.retry_after) hint = "retry after " + std::to_string((d.retry_after->count() + 999) / 1000) + " s";
      return hint + "; lower --concurrency or set llm.requests_per_minute";
    }
    case ErrorCode::upstream:
      return "the provider failed" + (d.request_id.empty() ? std::string() : " (request id " + d.request_id + ")") +
             "; retry later";
    case ErrorCode::timeout:
      return "raise llm.timeout_s, or check that the server is reachable";
    case ErrorCode::budget_exceeded:
      return "the workspace's spending limit is reached: raise its budget or wait for the next period";
    case ErrorCode::unknown_model:
      return "use a model listed by `contentgen prices`, or add its price under prices.models in the configuration";
    case ErrorCode::storage:
      return "check the database and image store (repository.url, images.root) and their disk space";
    case ErrorCode::unavailable:
      return "a dependency is down or unreachable (database, LLM server, broker): start it or retry later";
    case ErrorCode::cancelled:
      return "";
    case ErrorCode::internal:
      return "this is a bug in contentgen: please report it with the command you ran";
  }
  return "";
}

std::string error_line(const Error& error) { return "contentgen: " + describe(error); }

std::string describe(const Error& error) {
  std::string line = std::string(to_string(error.code())) + ": " + single_line(error.what());
  const auto& field = error.details().field;
  if (!field.empty() && line.find(field) == std::string::npos) line += " [" + field + "]";
  if (const auto hint = hint_for(error); !hint.empty()) line += " -- hint: " + hint;
  return line;
}

int report_exception(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const UsageError& e) {
    std::cerr << "contentgen: usage: " << single_line(e.what()) << " -- hint: contentgen --help lists the commands\n";
    return kExitUsage;
  } catch (const Error& e) {
    std::cerr << error_line(e) << "\n";
    return exit_code_for(e.code());
  } catch (const std::exception& e) {
    std::cerr << "contentgen: internal: " << single_line(e.what())
              << " -- hint: this is a bug in contentgen: please report it with the command you ran\n";
    return exit_code_for(ErrorCode::internal);
  }
}

}  // namespace contentgen::cli
