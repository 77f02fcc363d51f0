// contentgen generate --plans FILE.jsonl --concurrency N: a batch over the ASYNCHRONOUS generate.
// At most N plans are in flight; each completion starts the next. Ctrl-C cancels the calls in
// flight (CancellationSource), starts no new ones, and reports what was saved.
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "cli/progress.hpp"
#include "cli/settings.hpp"
#include "cli/signals.hpp"
#include "cli/worker_pool.hpp"
#include "contentgen/error.hpp"

namespace contentgen::cli {
namespace {

struct PlanLine {
  std::size_t line_number = 0;
  std::string text;
};

enum class Outcome { pending, saved, failed, cancelled };

std::vector<PlanLine> read_plan_lines(const std::string& path) {
  std::istringstream in(read_file(path, "plans"));
  std::vector<PlanLine> lines;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines separate nothing
    lines.push_back({number, line});
  }
  return lines;
}

std::string default_failed_path(const std::string& plans_path) {
  if (plans_path == "-") return "failed-plans.jsonl";
  std::filesystem::path path(plans_path);
  std::string stem = path.filename().string();
  if (const auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem.resize(dot);
  return (path.parent_path() / (stem + ".failed.jsonl")).string();
}

class Batch {
 public:
  Batch(ContentGenerator& generator, std::vector<PlanLine> lines, std::size_t concurrency, GenerateOptions base,
        std::optional<std::string> workspace_override, std::string fallback_workspace, Progress& progress)
      : generator_(generator),
        lines_(std::move(lines)),
        outcomes_(lines_.size(), Outcome::pending),
        concurrency_(concurrency),
        base_(std::move(base)),
        workspace_override_(std::move(workspace_override)),
        fallback_workspace_(std::move(fallback_workspace)),
        progress_(progress) {}

  // Runs every plan (or until cancel()); returns once nothing is in flight. Plans are started
  // only from this thread, so a completion delivered inline never recurses into the next start.
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [&] { return can_start_locked() || finished_locked(); });
      if (!can_start_locked()) break;
      const std::size_t index = next_++;
      ++in_flight_;
      lock.unlock();
      start(index);
      lock.lock();
    }
  }

  void cancel() {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    changed_.notify_all();
    source_.cancel();  // every call in flight observes it; their completions report `cancelled`
  }

  bool cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
  }
  const std::vector<Outcome>& outcomes() const { return outcomes_; }
  const std::vector<PlanLine>& lines() const { return lines_; }

 private:
  bool can_start_locked() const { return !cancelled_ && next_ < lines_.size() && in_flight_ < concurrency_; }
  bool finished_locked() const { return in_flight_ == 0 && (cancelled_ || next_ >= lines_.size()); }

  void start(std::size_t index) {
    std::optional<ContentPlan> plan;
    try {
      plan = plan_from_text(lines_[index].text, workspace_override_, fallback_workspace_);
    } catch (const Error& e) {
      return finish(index, Result<Article>(e));
    }
    GenerateOptions options = base_;
    options.cancel = source_.token();
    generator_.generate_async(std::move(*plan), std::move(options),
                              [this, index](Result<Article> result) { finish(index, std::move(result)); });
  }

  void finish(std::size_t index, Result<Article> result) {
    const auto& line = lines_[index];
    if (result.ok()) {
      outcomes_[index] = Outcome::saved;
      progress_.succeeded();
    } else {
      const Error& e = result.error();
      const bool cancelled = e.code() == ErrorCode::cancelled;
      outcomes_[index] = cancelled ? Outcome::cancelled : Outcome::failed;
      progress_.failed();
      if (!cancelled) {
        progress_.message("contentgen: plan at line " + std::to_string(line.line_number) + " failed: " + describe(e));
      }
    }
    {
      std::lock_guard lock(mutex_);
      --in_flight_;
    }
    changed_.notify_all();
  }

  ContentGenerator& generator_;
  const std::vector<PlanLine> lines_;
  std::vector<Outcome> outcomes_;  // each slot written by its own completion only
  const std::size_t concurrency_;
  const GenerateOptions base_;
  const std::optional<std::string> workspace_override_;
  const std::string fallback_workspace_;
  Progress& progress_;
  CancellationSource source_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t next_ = 0;
  std::size_t in_flight_ = 0;
  bool cancelled_ = false;
};

}  // namespace

int run_batch(const ParsedArgs& args) {
  if (args.flag("stream")) throw UsageError("--stream is for one --plan");
  if (args.flag("json")) throw UsageError("--json is for one --plan");
  const std::string plans_path = args.require("plans");
  const auto concurrency = static_cast<std::size_t>(args.integer("concurrency", 1, 1000).value_or(4));
  const auto interval = args.number("progress-interval", 0.1, 3600).value_or(5.0);
  const std::string failed_path = args.get_or("failed", default_failed_path(plans_path));
  const auto loaded = load_cli_config(args.get("config"), process_environment());
  require_llm(loaded);
  auto lines = read_plan_lines(plans_path);
  if (lines.empty()) throw Error::invalid_argument("plans", plans_path + " holds no plans");

  const bool tty = isatty(STDERR_FILENO) == 1;
  std::optional<Batch> batch;
  std::mutex batch_mutex;
  bool interrupted_early = false;
  // Before any other thread exists (see SignalWatcher).
  SignalWatcher signals([&](int) {
    std::lock_guard lock(batch_mutex);
    if (batch) {
      batch->cancel();
    } else {
      interrupted_early = true;
    }
  });
  Progress progress(lines.size(), tty, std::chrono::milliseconds(static_cast<std::int64_t>(interval * 1000)));
  // Database writes after each reply run here, not on the provider's network thread.
  WorkerPool pool(std::min<std::size_t>(4, concurrency));
  auto configured = open_cli_generator(loaded, {.need_llm = true, .customize = [&](GeneratorOptions& options) {
                                                  options.blocking_executor = pool.executor();
                                                  auto previous = options.on_llm_call;
                                                  options.on_llm_call = [&progress, previous](const LlmCallReport& r) {
                                                    if (r.cost) progress.add_cost(*r.cost);
                                                    if (previous) previous(r);
                                                  };
                                                }});
  GenerateOptions base;
  base.model = args.get_or("model", "");
  {
    std::lock_guard lock(batch_mutex);
    batch.emplace(*configured.generator, std::move(lines), concurrency, std::move(base), args.get("workspace"),
                  workspace_of(args), progress);
    if (interrupted_early) batch->cancel();
  }
  batch->run();
  progress.finish();

  // Failed, cancelled and never-started plans, as their original lines: feed the file back.
  std::size_t saved = 0, failed = 0, cancelled = 0, not_started = 0;
  std::ostringstream retry;
  for (std::size_t i = 0; i < batch->lines().size(); ++i) {
    switch (batch->outcomes()[i]) {
      case Outcome::saved: ++saved; continue;
      case Outcome::failed: ++failed; break;
      case Outcome::cancelled: ++cancelled; break;
      case Outcome::pending: ++not_started; break;
    }
    retry << batch->lines()[i].text << "\n";
  }
  const auto s = progress.snapshot();
  std::cerr << "summary: " << saved << " saved, " << failed << " failed";
  if (cancelled + not_started > 0) std::cerr << ", " << cancelled << " cancelled, " << not_started << " not started";
  std::cerr << " of " << s.total << "; cost " << dollars(Money::from_nanos(s.cost_nanos)) << "; "
            << format_duration(std::chrono::duration_cast<std::chrono::seconds>(s.elapsed)) << " elapsed\n";
  if (failed + cancelled + not_started > 0) {
    std::ofstream out(failed_path, std::ios::binary | std::ios::trunc);
    out << retry.str();
    out.close();
    if (!out) throw Error(ErrorCode::storage, "cannot write the failed plans to " + failed_path);
    std::cerr << "failed plans: " << failed_path << " (run again with --plans " << failed_path << ")\n";
  }
  if (batch->cancelled()) {
    std::cerr << "contentgen: interrupted: " << saved << " articles were saved before the interruption\n";
    return kExitInterrupted;
  }
  return failed > 0 ? kExitBatchFailures : kExitOk;
}

}  // namespace contentgen::cli
