// contentgen generate --plan FILE: one article, synchronously, optionally streamed.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "cli/settings.hpp"
#include "cli/signals.hpp"
#include "contentgen/error.hpp"
#include "contentgen/json.hpp"

namespace contentgen::cli {
namespace {

int run_single(const ParsedArgs& args) {
  if (args.flag("stream") && args.flag("json")) throw UsageError("--stream and --json exclude each other");
  const std::string plan_path = args.require("plan");
  const auto loaded = load_cli_config(args.get("config"), process_environment());
  require_llm(loaded);
  const ContentPlan plan = plan_from_text(read_file(plan_path, "plan"), args.get("workspace"), workspace_of(args));

  // Ctrl-C cancels the call instead of killing the process half-way through a write.
  CancellationSource cancel;
  SignalWatcher signals([&](int) { cancel.cancel(); });
  auto configured = open_cli_generator(loaded, {.need_llm = true, .customize = {}});

  GenerateOptions options;
  options.model = args.get_or("model", "");
  options.cancel = cancel.token();
  if (args.flag("stream")) {
    options.on_delta = [](std::string_view delta) { std::cout << delta << std::flush; };
  }
  Article article;
  try {
    article = configured.generator->generate(plan, options);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::cancelled || cancel.cancelled()) {
      std::cerr << "contentgen: interrupted: the call was cancelled and nothing was saved\n";
      return kExitInterrupted;
    }
    throw;
  }
  if (args.flag("json")) {
    std::cout << article_to_json(article) << "\n";
  } else if (args.flag("stream")) {
    std::cout << "\n";
    print_article_summary(std::cerr, article);
  } else {
    print_article_summary(std::cout, article);
  }
  return kExitOk;
}

}  // namespace

Command generate_command() {
  CommandSpec spec;
  spec.name = "generate";
  spec.summary = "Write an article from a content plan (--plan), or a batch of them (--plans).";
  spec.usage = "(--plan FILE | --plans FILE.jsonl) [options]";
  spec.options = {
      {"plan", "FILE", "one plan as JSON (\"-\": standard input)"},
      {"plans", "FILE", "a batch: one plan per line (JSON Lines), run over the asynchronous path"},
      {"model", "MODEL", "model to use instead of the configured one"},
      {"workspace", "ID", "workspace for plans that name none (else $CONTENTGEN_WORKSPACE, else \"default\"); "
                          "replaces the plan's own"},
      {"json", "", "print the whole article as JSON instead of the summary"},
      {"stream", "", "print the text as it arrives (summary on stderr)"},
      {"concurrency", "N", "batch: plans in flight at once (default 4, 1-1000)"},
      {"failed", "FILE", "batch: where failed plans go (default: PLANS.failed.jsonl next to the input)"},
      {"progress-interval", "SECONDS", "batch, not a terminal: seconds between progress lines (default 5)"},
  };
  spec.details =
      "A plan: {\"id\"?, \"workspace_id\"?, \"title\", \"target_keywords\"?, \"estimated_word_count\"?, "
      "\"language\"?,\n\"tone\"?, \"notes\"?, \"outline\"?}. A plan with an id is idempotent: generating it again "
      "returns the\nstored article without calling the LLM.\n\n"
      "Batch mode shows a progress bar on a terminal (plain lines otherwise), writes the plans that\n"
      "failed to a file you can feed back with --plans, and exits 1 if any failed. Ctrl-C cancels\n"
      "the calls in flight, keeps what was saved and exits 130.";
  return {std::move(spec), [](const ParsedArgs& args) {
            if (args.has("plan") == args.has("plans")) throw UsageError("give exactly one of --plan or --plans");
            if (args.has("plans")) return run_batch(args);
            for (const char* batch_only : {"concurrency", "failed", "progress-interval"})
              if (args.has(batch_only)) throw UsageError(std::string("--") + batch_only + " is for --plans");
            return run_single(args);
          }};
}

}  // namespace contentgen::cli
