// contentgen: the command-line tool and reference REST server over libcontentgen (docs/cli.md).
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/logging.hpp"

namespace {

using contentgen::cli::Command;

constexpr const char* kVersion = "contentgen " CONTENTGEN_PROJECT_VERSION;

std::string overview(const std::vector<Command>& commands) {
  std::string out =
      "usage: contentgen [--config FILE] [--log-level LEVEL] COMMAND [options]\n\n"
      "Turns content plans into SEO articles written by an LLM, with their exact cost, stored with\n"
      "their images and announced by events. `contentgen COMMAND --help` describes each command.\n\ncommands:\n";
  std::size_t width = 0;
  for (const auto& c : commands) width = std::max(width, c.spec.name.size());
  for (const auto& c : commands) out += "  " + c.spec.name + std::string(width - c.spec.name.size() + 2, ' ') + c.spec.summary + "\n";
  out +=
      "\nconfiguration: --config FILE, else $CONTENTGEN_CONFIG, else the embedded defaults (SQLite\n"
      "./contentgen.db, ./contentgen-data/, OpenAI-compatible LLM from OPENAI_API_KEY / OPENAI_BASE_URL).\n"
      "exit status: 0 ok, 1 batch with failures, 2 usage, 11-23 error classes, 130 interrupted\n"
      "(docs/cli.md#exit-codes).\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace contentgen::cli;
  const auto commands = all_commands();
  std::vector<std::string> args(argv + 1, argv + argc);
  // Options before the command: only --config and --log-level (passed on to the command).
  std::vector<std::string> leading;
  while (!args.empty() && (args.front().rfind("--config", 0) == 0 || args.front().rfind("--log-level", 0) == 0)) {
    leading.push_back(args.front());
    args.erase(args.begin());
    if ((leading.back() == "--config" || leading.back() == "--log-level") && !args.empty()) {
      leading.push_back(args.front());
      args.erase(args.begin());
    }
  }
  if (args.empty() || args.front() == "--help" || args.front() == "-h" || args.front() == "help") {
    std::cout << overview(commands);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args.front() == "--version") {
    std::cout << kVersion << "\n";
    return kExitOk;
  }
  // Two-word commands ("articles list") first, then one-word ones.
  const Command* command = nullptr;
  std::size_t consumed = 0;
  for (const auto& c : commands) {
    const std::string& name = c.spec.name;
    if (args.size() >= 2 && name == args[0] + " " + args[1]) {
      command = &c;
      consumed = 2;
    } else if (name == args[0] && command == nullptr) {
      command = &c;
      consumed = 1;
    }
  }
  if (command == nullptr) {
    // "contentgen articles" alone, or with an unknown sub-command: list that group.
    std::string group;
    for (const auto& c : commands)
      if (c.spec.name.rfind(args[0] + " ", 0) == 0) group += "  contentgen " + c.spec.name + "  -- " + c.spec.summary + "\n";
    if (!group.empty()) {
      const bool asked = args.size() >= 2 && (args[1] == "--help" || args[1] == "-h");
      (asked ? std::cout : std::cerr) << (asked ? "" : "contentgen: usage: " + args[0] + " needs a sub-command:\n") << group;
      return asked ? kExitOk : kExitUsage;
    }
    std::cerr << "contentgen: usage: unknown command \"" << args[0] << "\" -- hint: contentgen --help lists the commands\n";
    return kExitUsage;
  }
  std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(consumed), args.end());
  rest.insert(rest.end(), leading.begin(), leading.end());
  try {
    const ParsedArgs parsed = parse_args(command->spec, rest);
    if (parsed.help) {
      std::cout << help_text(command->spec);
      return kExitOk;
    }
    if (const auto level = parsed.get("log-level")) set_log_threshold(*level);
    return command->run(parsed);
  } catch (...) {
    return report_exception(std::current_exception());
  }
}
