// The public fakes themselves: what host applications rely on when they test with them.
#include <gtest/gtest.h>

#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

#include "contentgen/error.hpp"
#include "contentgen/testing/memory_image_store.hpp"
#include "contentgen/testing/recording_event_sink.hpp"
#include "contentgen/testing/scripted_llm_provider.hpp"

namespace contentgen::fakes {
namespace {

using namespace std::chrono_literals;

ChatRequest request(std::string model = "m") {
  ChatRequest r;
  r.model = std::move(model);
  r.messages = {{ChatMessage::Role::user, std::string(40, 'x')}};
  return r;
}

TEST(ScriptedLlmProvider, AnswersInOrderAndRecordsRequests) {
  ScriptedLlmProvider llm;
  llm.reply("first").fail(Error(ErrorCode::rate_limited, "429")).reply("third", FinishReason::length);
  const auto first = llm.complete(request("a"));
  EXPECT_EQ(first.text, "first");
  EXPECT_EQ(first.model, "a");
  EXPECT_EQ(first.provider, "scripted");
  EXPECT_EQ(first.request_id, "scripted-1");
  EXPECT_EQ(first.usage.prompt_tokens, 10);      // 40 bytes / 4
  EXPECT_EQ(first.usage.completion_tokens, 2);   // 5 bytes, rounded up
  try {
    llm.complete(request("b"));
    FAIL() << "scripted error not delivered";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::rate_limited);
  }
  EXPECT_EQ(llm.complete(request("c")).finish_reason, FinishReason::length);
  ASSERT_EQ(llm.requests().size(), 3u);
  EXPECT_EQ(llm.requests()[1].model, "b");
  EXPECT_EQ(llm.remaining(), 0u);
}

TEST(ScriptedLlmProvider, ExhaustedScriptIsAnInternalErrorUnlessAResponderAnswers) {
  ScriptedLlmProvider llm;
  try {
    llm.complete(request());
    FAIL() << "answered without a script";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::internal);
  }
  llm.set_responder([](const ChatRequest& r) -> Result<ChatResponse> {
    ChatResponse response;
    response.text = "echo " + r.model;
    return response;
  });
  EXPECT_EQ(llm.complete(request("z")).text, "echo z");
}

TEST(ScriptedLlmProvider, WhatAResponderThrowsIsDeliveredNotThrown) {
  ScriptedLlmProvider llm;
  llm.set_responder([](const ChatRequest&) -> Result<ChatResponse> { throw std::runtime_error("responder bug"); });
  std::optional<Result<ChatResponse>> outcome;
  EXPECT_NO_THROW(llm.complete_async(request(), [&](Result<ChatResponse> r) { outcome = std::move(r); }));
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(outcome->ok());
  EXPECT_EQ(outcome->error().code(), ErrorCode::internal);
  EXPECT_NE(std::string(outcome->error().what()).find("responder bug"), std::string::npos);
}

TEST(ScriptedLlmProvider, StreamsDeltasOnUtf8Boundaries) {
  ScriptedLlmProvider llm;
  llm.set_stream_chunk_bytes(2);
  llm.reply("aé日b");
  std::vector<std::string> deltas;
  ChatRequest r = request();
  r.on_delta = [&](std::string_view d) { deltas.emplace_back(d); };
  EXPECT_EQ(llm.complete(r).text, "aé日b");
  std::string joined;
  for (const auto& d : deltas) joined += d;
  EXPECT_EQ(joined, "aé日b");
  EXPECT_EQ(deltas, (std::vector<std::string>{"a", "é", "日", "b"}));
}

TEST(ScriptedLlmProvider, HonoursCancellationAndDeadlines) {
  ScriptedLlmProvider llm;
  llm.reply("never").reply("late");
  CancellationSource source;
  source.cancel();
  ChatRequest cancelled = request();
  cancelled.cancel = source.token();
  try {
    llm.complete(cancelled);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
  }
  ChatRequest expired = request();
  expired.deadline = std::chrono::steady_clock::now() - 1ms;
  try {
    llm.complete(expired);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::timeout);
  }
}

TEST(ScriptedLlmProvider, BackgroundDeliveryRunsOnItsOwnThread) {
  ScriptedLlmProvider llm("bg", ScriptedLlmProvider::Delivery::background_thread);
  llm.reply("x");
  std::promise<std::thread::id> where;
  llm.complete_async(request(), [&](Result<ChatResponse>) { where.set_value(std::this_thread::get_id()); });
  EXPECT_NE(where.get_future().get(), std::this_thread::get_id());
}

TEST(MemoryImageStore, PutGetRemoveAndFaults) {
  MemoryImageStore store("https://cdn.example/");
  const std::string text = "hello";
  const auto stored = store.put("a/b.txt", as_bytes(text), "text/plain");
  EXPECT_EQ(stored.url, "https://cdn.example/a/b.txt");
  EXPECT_EQ(stored.size_bytes, 5);
  EXPECT_EQ(as_chars(store.get("a/b.txt")), "hello");
  EXPECT_EQ(store.url_for("x"), "https://cdn.example/x");
  store.remove("a/b.txt");
  store.remove("a/b.txt");  // missing: not an error
  EXPECT_THROW(store.get("a/b.txt"), Error);

  store.faults().fail_next(MemoryImageStore::Op::put, Error(ErrorCode::storage, "full"), 2);
  EXPECT_THROW(store.put("k", as_bytes(text), "t"), Error);
  EXPECT_THROW(store.put("k", as_bytes(text), "t"), Error);
  EXPECT_NO_THROW(store.put("k", as_bytes(text), "t"));
  EXPECT_EQ(store.faults().calls(MemoryImageStore::Op::put), 4);
}

TEST(MemoryImageStore, RejectsKeysThatAreNotRelativePaths) {
  MemoryImageStore store;
  // The same rules as the real stores, the common ones included (control characters, bad UTF-8).
  for (const char* key : {"", "/abs", "a//b", "a/../b", "./a", "a/", "a/\x01b", "a/\xFF", "a/b\nc"}) {
    try {
      store.put(key, {}, "t");
      ADD_FAILURE() << "accepted key " << key;
    } catch (const Error& e) {
      EXPECT_EQ(e.details().field, "key");
    }
  }
}

TEST(RecordingEventSink, RecordsAndWaits) {
  RecordingEventSink sink;
  Event e;
  e.id = "1";
  e.type = EventType::image_uploaded;
  std::thread later([&] {
    std::this_thread::sleep_for(10ms);
    sink.publish(e);
  });
  EXPECT_TRUE(sink.wait_for(1, 5s));
  later.join();
  EXPECT_EQ(sink.events_of(EventType::image_uploaded).size(), 1u);
  EXPECT_TRUE(sink.events_of(EventType::article_generated).empty());
  sink.faults().fail_always(RecordingEventSink::Op::publish, Error(ErrorCode::unavailable, "broker down"));
  const Event batch[] = {e, e};
  const auto outcomes = sink.publish_batch(batch);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_TRUE(outcomes[0].has_value());
  EXPECT_EQ(sink.size(), 1u);
  EXPECT_FALSE(sink.wait_for(2, 1ms));
}

// A host sink that breaks the rule and throws something other than contentgen::Error.
class SinkThrowingOnce : public EventSink {
 public:
  void publish(const Event& event) override {
    if (event.id == "bad") throw std::runtime_error("serializer bug");
    if (event.id == "odd") throw 42;  // a host's exception that is not a std::exception
    accepted.push_back(event.id);
  }
  std::vector<std::string> accepted;
};

TEST(EventSink, DefaultBatchReportsEachEventsFateWhateverPublishThrows) {
  SinkThrowingOnce sink;
  Event good, bad, odd, later;
  good.id = "good";
  bad.id = "bad";
  odd.id = "odd";
  later.id = "later";
  const Event batch[] = {good, bad, odd, later};
  const auto outcomes = sink.publish_batch(batch);
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_FALSE(outcomes[0].has_value());
  ASSERT_TRUE(outcomes[1].has_value());
  EXPECT_EQ(outcomes[1]->code(), ErrorCode::internal);
  EXPECT_NE(std::string(outcomes[1]->what()).find("serializer bug"), std::string::npos);
  ASSERT_TRUE(outcomes[2].has_value());
  EXPECT_EQ(outcomes[2]->code(), ErrorCode::internal);
  EXPECT_FALSE(outcomes[3].has_value());
  EXPECT_EQ(sink.accepted, (std::vector<std::string>{"good", "later"}));
}

}  // namespace
}  // namespace contentgen::fakes
