// generate_async: hundreds in flight without a thread each, executors, and the destructor's wait.
#include <atomic>
#include <future>
#include <optional>
#include <set>
#include <thread>

#include "contentgen/error.hpp"
#include "unit/generator_fixture.hpp"

namespace contentgen::testsupport {
namespace {

using namespace std::chrono_literals;

struct Outcomes {
  std::mutex mutex;
  std::vector<Result<Article>> results;
  void add(Result<Article> r) {
    std::lock_guard lock(mutex);
    results.push_back(std::move(r));
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return results.size();
  }
};

TEST_F(GeneratorTest, HundredsOfGenerationsWaitOnTheProviderAtOnceWithoutThreads) {
  use_provider(Delivery::manual);
  llm->set_responder([](const ChatRequest&) -> Result<ChatResponse> {
    ChatResponse r;
    r.text = "# Parallel\n\nBody of the article.";
    r.usage = TokenUsage{100, 0, 0, 10, 0, false};
    return r;
  });
  Outcomes outcomes;
  constexpr int count = 300;
  for (int i = 0; i < count; ++i)
    generator().generate_async(plan("p" + std::to_string(i)), {}, [&](Result<Article> r) { outcomes.add(std::move(r)); });
  // Every call is outstanding at the same time, and generate_async returned for all of them on
  // this one thread: nothing blocks per call.
  EXPECT_EQ(llm->parked(), static_cast<std::size_t>(count));
  EXPECT_EQ(outcomes.size(), 0u);
  EXPECT_EQ(llm->deliver_parked(), static_cast<std::size_t>(count));
  ASSERT_EQ(outcomes.size(), static_cast<std::size_t>(count));
  std::set<std::string> ids;
  for (auto& r : outcomes.results) {
    ASSERT_TRUE(r.ok()) << r.error().what();
    ids.insert(r.value().id);
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(count));
  EXPECT_EQ(repo->article_count(), static_cast<std::size_t>(count));
  EXPECT_EQ(repo->spend_total("acme", std::nullopt).nanos(), count * (100 * 150 + 10 * 600));
}

TEST_F(GeneratorTest, AsyncValidationErrorsAreDeliveredNotThrown) {
  std::optional<Result<Article>> outcome;
  ContentPlan bad = plan();
  bad.title.clear();
  EXPECT_NO_THROW(generator().generate_async(bad, {}, [&](Result<Article> r) { outcome = std::move(r); }));
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(outcome->ok());
  EXPECT_EQ(outcome->error().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(outcome->error().details().field, "plan.title");
}

TEST_F(GeneratorTest, AsyncContinuationsOnABackgroundProviderWithAnExecutor) {
  use_provider(Delivery::background_thread);
  std::atomic<int> executed{0};
  std::vector<std::thread> workers;
  std::mutex workers_mutex;
  GeneratorOptions o = options();
  o.blocking_executor = [&](std::function<void()> work) {
    ++executed;
    std::lock_guard lock(workers_mutex);
    workers.emplace_back(std::move(work));
  };
  generator_ = make(o);
  // Operations interleave on the provider, so answer by the request, not by a shared script.
  llm->set_responder([](const ChatRequest& request) -> Result<ChatResponse> {
    ChatResponse r;
    const bool first_call = request.messages.size() == 2;
    r.text = first_call ? "# Part\n\nfirst " : "second.";
    r.finish_reason = first_call ? FinishReason::length : FinishReason::stop;
    return r;
  });
  Outcomes outcomes;
  for (int i = 0; i < 10; ++i)
    generator().generate_async(plan("bg" + std::to_string(i)), {}, [&](Result<Article> r) { outcomes.add(std::move(r)); });
  generator_.reset();  // waits for all ten
  {
    std::lock_guard lock(workers_mutex);
    for (auto& t : workers) t.join();
  }
  ASSERT_EQ(outcomes.size(), 10u);
  for (auto& r : outcomes.results) {
    ASSERT_TRUE(r.ok()) << r.error().what();
    EXPECT_EQ(r.value().llm_calls, 2);
    EXPECT_EQ(r.value().content, "# Part\n\nfirst second.");
  }
  EXPECT_GE(executed.load(), 30) << "start, continuation and save each ran on the executor";
}

TEST_F(GeneratorTest, DestructorWaitsForOperationsInFlight) {
  use_provider(Delivery::manual);
  llm->reply("# Late\n\nreply");
  std::atomic<bool> delivered{false};
  generator().generate_async(plan(), {}, [&](Result<Article> r) { delivered = r.ok(); });
  std::atomic<bool> destroyed{false};
  std::thread destroyer([&] {
    generator_.reset();
    destroyed = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(destroyed.load()) << "the destructor returned while a generation was in flight";
  ASSERT_TRUE(llm->wait_parked(1, 5s));
  llm->deliver_parked();
  destroyer.join();
  EXPECT_TRUE(destroyed.load());
  EXPECT_TRUE(delivered.load());
}

TEST_F(GeneratorTest, ConcurrentSyncGeneratesFromManyThreads) {
  use_provider(Delivery::background_thread);
  llm->set_responder([](const ChatRequest& request) -> Result<ChatResponse> {
    ChatResponse r;
    r.text = "# Threads\n\nSome words here, " + std::to_string(request.messages.size()) + " messages.";
    r.usage = TokenUsage{10, 0, 0, 5, 0, false};
    return r;
  });
  ContentGenerator& shared = generator();  // created before the threads start
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i)
        if (!shared.generate(plan("t" + std::to_string(t) + "-" + std::to_string(i))).id.empty()) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 80);
  EXPECT_EQ(repo->article_count(), 80u);
}

TEST_F(GeneratorTest, AnExecutorThatRefusesWorkEndsTheOperationThroughItsHandler) {
  GeneratorOptions o = options();
  o.blocking_executor = [](std::function<void()>) { throw Error(ErrorCode::unavailable, "the pool is shutting down"); };
  generator_ = make(o);
  llm->reply("# Never\n\nasked");
  std::optional<Result<Article>> outcome;
  generator().generate_async(plan(), {}, [&](Result<Article> r) { outcome = std::move(r); });
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(outcome->ok());
  EXPECT_EQ(outcome->error().code(), ErrorCode::unavailable);
  EXPECT_EQ(llm->call_count(), 0u);
  generator_.reset();  // returns: the refused operation is not counted as in flight
}

TEST_F(GeneratorTest, AnExecutorThatRefusesTheWorkAfterAReplyDoesNotThrowIntoTheProvider) {
  // The reply arrives on the provider's own thread; the executor refuses what follows it. The
  // refusal must end the operation there, not escape into the provider's thread.
  use_provider(Delivery::background_thread);
  std::atomic<int> calls{0};
  GeneratorOptions o = options();
  o.blocking_executor = [&](std::function<void()> work) {
    if (++calls > 1) throw Error(ErrorCode::unavailable, "the pool is shutting down");
    work();
  };
  generator_ = make(o);
  llm->reply(reply("# Paid\n\nfor", 1000, 100));
  std::promise<Result<Article>> promise;
  generator().generate_async(plan(), {}, [&](Result<Article> r) { promise.set_value(std::move(r)); });
  auto future = promise.get_future();
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  const Result<Article> outcome = future.get();
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code(), ErrorCode::unavailable);
  EXPECT_EQ(repo->article_count(), 0u);
  EXPECT_EQ(repo->spend_total("acme", std::nullopt).nanos(), 1000 * 150 + 100 * 600) << "the call was paid";
}

// A host's provider that breaks the port's rules by throwing, and not even a std::exception.
class ThrowingProvider : public LlmProvider {
 public:
  std::string_view name() const noexcept override { return "throwing"; }
  void complete_async(ChatRequest, ChatHandler) override { throw 42; }
};

TEST_F(GeneratorTest, AnythingAProviderThrowsBecomesAnInternalError) {
  auto throwing = std::make_shared<ThrowingProvider>();
  auto gen = std::make_unique<ContentGenerator>(Ports{throwing, repo, store, sink}, nullptr, options());
  repo->set_budget("acme", Budget{Money::parse("1"), Budget::Period::total});
  expect_error([&] { gen->generate(plan()); }, ErrorCode::internal);
  EXPECT_TRUE(repo->live_reservations("acme", now).empty()) << "the reservation is released";
  gen.reset();  // returns: the operation ended
}

// Records the thread each create() runs on.
class ThreadRecordingRepository : public fakes::MemoryArticleRepository {
 public:
  void create(const NewArticle& record) override {
    {
      std::lock_guard lock(mutex_);
      threads_.push_back(std::this_thread::get_id());
    }
    MemoryArticleRepository::create(record);
  }
  std::vector<std::thread::id> threads() const {
    std::lock_guard lock(mutex_);
    return threads_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::thread::id> threads_;
};

TEST_F(GeneratorTest, SyncGenerateRunsItsBlockingStepsOnTheCallingThread) {
  // The reply arrives on the provider's thread; saving the article (and everything else that
  // blocks) happens on the thread that called generate(), which waits anyway.
  use_provider(Delivery::background_thread);
  auto recording = std::make_shared<ThreadRecordingRepository>();
  repo = recording;
  std::atomic<int> executor_calls{0};
  GeneratorOptions o = options();
  o.blocking_executor = [&](std::function<void()> work) {  // for generate_async only
    ++executor_calls;
    work();
  };
  generator_ = make(o);
  llm->reply(reply("# Part\n\nfirst ", 10, 5, FinishReason::length)).reply(reply("second.", 10, 5));
  const Article article = generator().generate(plan());
  EXPECT_EQ(article.llm_calls, 2);
  ASSERT_EQ(recording->threads().size(), 1u);
  EXPECT_EQ(recording->threads()[0], std::this_thread::get_id());
  EXPECT_EQ(executor_calls.load(), 0);
}

TEST_F(GeneratorTest, RacingGeneratesOfOneKeyMakeOneCall) {
  use_provider(Delivery::manual);
  llm->set_responder([](const ChatRequest&) -> Result<ChatResponse> {
    ChatResponse r;
    r.text = "# Race\n\nbody";
    r.usage = TokenUsage{100, 0, 0, 10, 0, false};
    return r;
  });
  Outcomes outcomes;
  // The first claims the key before its call; the second finds it in progress and pays nothing.
  generator().generate_async(plan("same"), {}, [&](Result<Article> r) { outcomes.add(std::move(r)); });
  generator().generate_async(plan("same"), {}, [&](Result<Article> r) { outcomes.add(std::move(r)); });
  EXPECT_EQ(llm->parked(), 1u);
  ASSERT_EQ(outcomes.size(), 1u);
  ASSERT_FALSE(outcomes.results[0].ok());
  EXPECT_EQ(outcomes.results[0].error().code(), ErrorCode::conflict);
  EXPECT_TRUE(outcomes.results[0].error().details().retry_after.has_value());
  llm->deliver_parked();
  ASSERT_EQ(outcomes.size(), 2u);
  ASSERT_TRUE(outcomes.results[1].ok());
  EXPECT_EQ(repo->article_count(), 1u);
  EXPECT_EQ(repo->spend_total("acme", std::nullopt).nanos(), 100 * 150 + 10 * 600) << "one call was paid";
  generator().generate_async(plan("same"), {}, [&](Result<Article> r) { outcomes.add(std::move(r)); });
  ASSERT_EQ(outcomes.size(), 3u);
  ASSERT_TRUE(outcomes.results[2].ok());
  EXPECT_EQ(outcomes.results[2].value().id, outcomes.results[1].value().id);
}

}  // namespace
}  // namespace contentgen::testsupport
