#pragma once
// A ContentGenerator wired to the public fakes, with a fixed clock, for the generator tests.
#include <gtest/gtest.h>

#include <memory>

#include "contentgen/generator.hpp"
#include "contentgen/testing/memory_article_repository.hpp"
#include "contentgen/testing/memory_image_store.hpp"
#include "contentgen/testing/recording_event_sink.hpp"
#include "contentgen/testing/scripted_llm_provider.hpp"

namespace contentgen::testsupport {

class GeneratorTest : public ::testing::Test {
 protected:
  using Delivery = fakes::ScriptedLlmProvider::Delivery;

  std::shared_ptr<fakes::ScriptedLlmProvider> llm = std::make_shared<fakes::ScriptedLlmProvider>();
  std::shared_ptr<fakes::MemoryArticleRepository> repo = std::make_shared<fakes::MemoryArticleRepository>();
  std::shared_ptr<fakes::MemoryImageStore> store = std::make_shared<fakes::MemoryImageStore>();
  std::shared_ptr<fakes::RecordingEventSink> sink = std::make_shared<fakes::RecordingEventSink>();
  Timestamp now = *parse_rfc3339("2026-03-14T10:00:00.123456Z");

  GeneratorOptions options() {
    GeneratorOptions o;
    o.clock = [this] { return now; };
    return o;
  }
  Ports ports() { return Ports{llm, repo, store, sink}; }
  std::unique_ptr<ContentGenerator> make(GeneratorOptions o) {
    return std::make_unique<ContentGenerator>(ports(), std::make_shared<const PriceTable>(PriceTable::builtin()),
                                              std::move(o));
  }
  ContentGenerator& generator() {
    if (!generator_) generator_ = make(options());
    return *generator_;
  }
  void use_provider(Delivery delivery) {
    generator_.reset();
    llm = std::make_shared<fakes::ScriptedLlmProvider>("scripted", delivery);
  }

  static ContentPlan plan(std::string id = "plan-1") {
    ContentPlan p;
    p.id = std::move(id);
    p.workspace_id = "acme";
    p.title = "Cách viết bài chuẩn SEO";
    p.target_keywords = {"viết bài chuẩn seo"};
    p.language = "vi";
    return p;
  }
  // A reply with explicit usage, so costs are known: on gpt-4o-mini, prompt p and completion c
  // cost p x 150 + c x 600 nano-USD.
  static fakes::ScriptedReply reply(std::string text, std::int64_t prompt, std::int64_t completion,
                                    FinishReason finish = FinishReason::stop) {
    fakes::ScriptedReply r;
    r.text = std::move(text);
    r.finish_reason = finish;
    r.usage = TokenUsage{prompt, 0, 0, completion, 0, false};
    return r;
  }
  static Error expect_error(const std::function<void()>& action, ErrorCode code, const std::string& field = "") {
    try {
      action();
    } catch (const Error& e) {
      EXPECT_EQ(to_string(e.code()), to_string(code)) << e.what();
      if (!field.empty()) {
        EXPECT_EQ(e.details().field, field) << e.what();
      }
      return e;
    }
    ADD_FAILURE() << "expected " << to_string(code) << ", nothing thrown";
    return Error(ErrorCode::internal, "nothing thrown");
  }

  // Declared last: destroyed first, while the fakes it uses are still alive.
  std::unique_ptr<ContentGenerator> generator_;
};

}  // namespace contentgen::testsupport
