// contentgen spend: what the workspace's ledger holds, with the part that is estimated.
#include <iostream>

#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "cli/settings.hpp"
#include "contentgen/error.hpp"
#include "contentgen/generator.hpp"
#include "contentgen/json.hpp"
#include "contentgen/time.hpp"

namespace contentgen::cli {
namespace {

int show_spend(const ParsedArgs& args) {
  std::optional<Timestamp> since;
  if (auto text = args.get("since")) {
    since = parse_rfc3339(*text);
    if (!since) throw UsageError("--since must be an RFC 3339 time, e.g. 2026-12-01T00:00:00Z");
  }
  auto configured = open_cli_generator(load_cli_config(args.get("config"), process_environment()), {});
  const std::string workspace = workspace_of(args);
  const SpendSummary spend = configured.generator->spend(workspace, since);
  const Money reported = spend.total - spend.estimated;
  if (args.flag("json")) {
    auto out = boost::json::parse(spend_summary_to_json(spend)).as_object();
    out["workspace_id"] = workspace;
    if (since) out["since"] = format_rfc3339(*since);
    std::cout << boost::json::serialize(out) << "\n";
    return kExitOk;
  }
  std::cout << "workspace " << workspace << (since ? ", since " + format_rfc3339(*since) : std::string()) << "\n"
            << "total:     " << dollars(spend.total) << "  (" << spend.calls << " calls)\n"
            << "reported:  " << dollars(reported) << "  (usage reported by the provider)\n"
            << "estimated: " << dollars(spend.estimated) << "  (" << spend.estimated_calls
            << " calls whose usage was not reported: worst case or estimate)\n";
  return kExitOk;
}

}  // namespace

Command spend_command() {
  CommandSpec spec{"spend", "What the workspace has spent on LLM calls, and how much of it is estimated.", "[options]",
                   {}, 0, 0, ""};
  spec.options = {{"since", "TIME", "only spend at or after this RFC 3339 time"},
                  kWorkspaceOption,
                  kJsonOption};
  spec.details =
      "Calls whose process died after sending them are first settled at their worst case and counted as "
      "estimated: the total is never below what the providers billed.";
  return {std::move(spec), show_spend};
}

}  // namespace contentgen::cli
