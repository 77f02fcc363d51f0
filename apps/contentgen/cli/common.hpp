#pragma once
// Small helpers shared by the commands: workspace resolution, plan files, printing articles.
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "cli/args.hpp"
#include "contentgen/article.hpp"
#include "contentgen/plan.hpp"

namespace contentgen::cli {

// --workspace, else $CONTENTGEN_WORKSPACE, else "default".
std::string workspace_of(const ParsedArgs& args);
// The options several commands take: --workspace (read with workspace_of) and --json.
extern const OptionSpec kWorkspaceOption;
extern const OptionSpec kJsonOption;

// The whole file ("-": standard input). Throws Error{invalid_argument, field} when unreadable.
std::string read_file(const std::string& path, const std::string& field);

// A plan from its JSON text. A plan without workspace_id gets `fallback_workspace`; an explicit
// `override_workspace` (the --workspace flag) replaces whatever the plan says.
ContentPlan plan_from_text(std::string_view text, const std::optional<std::string>& override_workspace,
                           const std::string& fallback_workspace);

// "$0.004225000" -- exact, nine fraction digits.
std::string dollars(Money amount);

// The article summary: id, title, words, cost, model, finish reason, tokens (one "key: value" a line).
void print_article_summary(std::ostream& out, const Article& article);
// The summary, its images and then the Markdown text.
void print_article(std::ostream& out, const Article& article);

}  // namespace contentgen::cli
