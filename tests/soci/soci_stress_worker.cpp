// soci_stress_worker: one PROCESS of the multi-process concurrency tests (soci_concurrency_test
// spawns two). It opens its own repository (own connection pool), waits for GO_FILE to exist so
// both processes start together, runs THREADS threads, and writes what it did to OUT_FILE as
// key=value lines (claim mode: one claimed event id per line) for the test to cross-check against
// the database.
//
//   soci_stress_worker MODE URL OUT_FILE GO_FILE THREADS [ARGS...]
//     articles ITERATIONS SHARED_IDS_FILE   create own articles (+event +spend) and increment the
//                                           word_count of shared articles by read-modify-write
//                                           with expected versions, retrying on conflict
//     claim                                 claim outbox rows (lease 1 h), mark them delivered
//     budget WORKSPACE AMOUNT_NANOS         reserve / settle (record_spend, create, release)
//                                           until budget_exceeded
//     generate WORKSPACE                    ContentGenerator.generate() with a ScriptedLlmProvider
//                                           until budget_exceeded
// Exit code 0 when the run finished as designed; 1 on an unexpected error (printed to stderr).
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "contentgen/adapters/soci_repository.hpp"
#include "contentgen/cost.hpp"
#include "contentgen/error.hpp"
#include "contentgen/generator.hpp"
#include "contentgen/ids.hpp"
#include "contentgen/testing/scripted_llm_provider.hpp"

namespace {

using namespace contentgen;
using namespace std::chrono_literals;

struct Run {
  std::shared_ptr<ArticleRepository> repo;
  std::vector<std::string> args;  // after THREADS
  int threads = 8;
  std::mutex mutex;
  std::vector<std::string> lines;  // written to OUT_FILE
  std::atomic<long long> unexpected{0};

  void add_line(std::string line) {
    std::lock_guard lock(mutex);
    lines.push_back(std::move(line));
  }
  void unexpected_error(const std::exception& e) {
    ++unexpected;
    std::lock_guard lock(mutex);
    std::cerr << "soci_stress_worker: unexpected error: " << e.what() << "\n";
  }
};

template <class Body>
void in_threads(Run& run, Body body) {
  std::vector<std::thread> threads;
  for (int t = 0; t < run.threads; ++t) {
    threads.emplace_back([&run, &body, t] {
      try {
        body(t);
      } catch (const std::exception& e) {
        run.unexpected_error(e);
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

Event event_for(const Article& article, EventType type) {
  return Event{new_uuid_v7(), type, now_utc(), article.workspace_id, article.id, R"({"article_id":")" + article.id + "\"}"};
}

SpendRecord spend_for(const std::string& workspace, const std::string& article_id, Money cost) {
  SpendRecord spend;
  spend.id = new_uuid_v7();
  spend.workspace_id = workspace;
  spend.article_id = article_id;
  spend.provider = "stress";
  spend.model = "stress-model";
  spend.usage = TokenUsage{100, 0, 0, 50, 0, false};
  spend.cost = cost;
  spend.succeeded = !article_id.empty();
  spend.at = now_utc();
  return spend;
}

Article new_article(const std::string& workspace) {
  Article article;
  article.id = new_uuid_v7();
  article.workspace_id = workspace;
  article.title = "stress";
  article.content = "# stress";
  article.created_at = now_utc();
  article.updated_at = article.created_at;
  return article;
}

void articles_mode(Run& run) {
  const int iterations = std::stoi(run.args.at(0));
  std::vector<std::string> shared;
  std::ifstream in(run.args.at(1));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) shared.push_back(line);
  std::atomic<long long> creates{0}, increments{0}, conflicts{0};
  in_threads(run, [&](int t) {
    for (int i = 0; i < iterations; ++i) {
      Article own = new_article("stress");
      NewArticle record{own, {event_for(own, EventType::article_generated)},
                        {spend_for("stress", own.id, Money::from_nanos(1000))}, "", "", ""};
      run.repo->create(record);
      ++creates;
      const std::string& target = shared[static_cast<std::size_t>(t + i) % shared.size()];
      for (;;) {
        auto current = run.repo->get("stress", target);
        if (!current) throw std::runtime_error("shared article vanished");
        Article changed = *current;
        changed.word_count += 1;
        changed.updated_at = now_utc();
        const Event updated = event_for(changed, EventType::article_updated);
        try {
          run.repo->update(changed, current->version, std::span(&updated, 1));
          ++increments;
          break;
        } catch (const Error& error) {
          if (error.code() != ErrorCode::conflict) throw;
          ++conflicts;  // someone else won this version: read again
        }
      }
    }
  });
  run.add_line("creates=" + std::to_string(creates.load()));
  run.add_line("increments=" + std::to_string(increments.load()));
  run.add_line("conflicts=" + std::to_string(conflicts.load()));
}

void claim_mode(Run& run) {
  in_threads(run, [&](int) {
    std::vector<std::string> mine;
    for (int empty_in_a_row = 0; empty_in_a_row < 3;) {
      const auto batch = run.repo->claim_outbox(7, now_utc(), std::chrono::hours(1));
      if (batch.empty()) {
        ++empty_in_a_row;
        std::this_thread::sleep_for(5ms);
        continue;
      }
      empty_in_a_row = 0;
      for (const auto& entry : batch) {
        mine.push_back(entry.event.id);
        run.repo->mark_delivered(entry.event.id, now_utc());
      }
    }
    for (auto& id : mine) run.add_line(std::move(id));
  });
}

void budget_mode(Run& run) {
  const std::string workspace = run.args.at(0);
  const Money amount = Money::from_nanos(std::stoll(run.args.at(1)));
  std::atomic<long long> spent{0}, reservations{0}, exceeded{0};
  in_threads(run, [&](int t) {
    for (int i = t;; ++i) {
      std::optional<BudgetReservation> reservation;
      try {
        reservation = run.repo->reserve_budget(workspace, amount, now_utc(), std::chrono::seconds(600));
      } catch (const Error& error) {
        if (error.code() != ErrorCode::budget_exceeded) throw;
        ++exceeded;
        return;
      }
      if (!reservation) throw std::runtime_error("the workspace has no budget");
      ++reservations;
      switch (i % 4) {
        case 0:  // a failed call the provider billed
          run.repo->record_spend(spend_for(workspace, "", amount), reservation->id);
          spent += amount.nanos();
          break;
        case 1: {  // a generation: article + spend, reservation released in the same transaction
          Article article = new_article(workspace);
          NewArticle record{article, {event_for(article, EventType::article_generated)},
                            {spend_for(workspace, article.id, amount)}, "", reservation->id, ""};
          run.repo->create(record);
          spent += amount.nanos();
          break;
        }
        case 2:  // a call that failed before costing anything
          run.repo->release_reservation(reservation->id);
          break;
        default: {  // cheaper than the worst case
          const Money half = Money::from_nanos(amount.nanos() / 2);
          run.repo->record_spend(spend_for(workspace, "", half), reservation->id);
          spent += half.nanos();
          break;
        }
      }
    }
  });
  run.add_line("spent_nanos=" + std::to_string(spent.load()));
  run.add_line("reservations=" + std::to_string(reservations.load()));
  run.add_line("exceeded=" + std::to_string(exceeded.load()));
}

void generate_mode(Run& run) {
  const std::string workspace = run.args.at(0);
  auto llm = std::make_shared<fakes::ScriptedLlmProvider>("openai");
  llm->set_responder([](const ChatRequest&) -> Result<ChatResponse> {
    ChatResponse response;
    response.text = "# Budgeted article\n\nA short body that the stress test writes many times over.";
    response.provider = "openai";
    response.model = "gpt-4o-mini";
    response.usage = TokenUsage{1200, 0, 0, 800, 0, false};
    return response;
  });
  GeneratorOptions options;
  options.max_tokens = 1000;
  ContentGenerator generator(Ports{llm, run.repo, nullptr, nullptr},
                             std::make_shared<const PriceTable>(PriceTable::builtin()), options);
  std::atomic<long long> generated{0}, exceeded{0};
  in_threads(run, [&](int t) {
    for (int i = 0;; ++i) {
      ContentPlan plan;
      plan.workspace_id = workspace;
      plan.title = "Budget stress " + std::to_string(t) + "-" + std::to_string(i);
      plan.estimated_word_count = 300;
      try {
        generator.generate(plan);
        ++generated;
      } catch (const Error& error) {
        if (error.code() != ErrorCode::budget_exceeded) throw;
        ++exceeded;
        return;
      }
    }
  });
  run.add_line("generated=" + std::to_string(generated.load()));
  run.add_line("exceeded=" + std::to_string(exceeded.load()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::cerr << "usage: soci_stress_worker MODE URL OUT_FILE GO_FILE THREADS [ARGS...]\n";
    return 2;
  }
  const std::string mode = argv[1];
  Run run;
  run.threads = std::stoi(argv[5]);
  for (int i = 6; i < argc; ++i) run.args.emplace_back(argv[i]);
  try {
    SociRepositoryOptions options;
    options.url = argv[2];
    options.pool_size = static_cast<std::size_t>(run.threads);
    options.lock_timeout = std::chrono::seconds(30);  // SQLite: writers queue on the busy timeout
    run.repo = open_soci_repository(options);
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!std::filesystem::exists(argv[4])) {
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("GO_FILE never appeared");
      std::this_thread::sleep_for(1ms);
    }
    if (mode == "articles") {
      articles_mode(run);
    } else if (mode == "claim") {
      claim_mode(run);
    } else if (mode == "budget") {
      budget_mode(run);
    } else if (mode == "generate") {
      generate_mode(run);
    } else {
      std::cerr << "unknown mode " << mode << "\n";
      return 2;
    }
  } catch (const std::exception& e) {
    run.unexpected_error(e);
  }
  std::ofstream out(argv[3]);
  for (const auto& line : run.lines) out << line << "\n";
  out.close();
  return run.unexpected.load() == 0 && out ? 0 : 1;
}
