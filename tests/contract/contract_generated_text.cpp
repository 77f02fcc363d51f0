// Contract: what generate() and update() return is byte for byte what get() returns, on every
// backend -- content, title and metadata -- however odd the text (NUL from a model, 4-byte UTF-8,
// right-to-left marks) and whatever key order or spacing the metadata arrived in.
#include "contentgen/error.hpp"
#include "contentgen/generator.hpp"
#include "contentgen/testing/memory_image_store.hpp"
#include "contentgen/testing/scripted_llm_provider.hpp"
#include "contract/article_repository_contract.hpp"
#include "contract/contract_support.hpp"

namespace contentgen::contract {
namespace {

// A model's reply with a NUL in the title, another in the text, an escape and a bell, a lone
// continuation byte, and text every backend must keep exactly.
const std::string kReply = std::string("# Ti\0tle\n\nText with a NUL \0 byte, \x1b[1mbold\x07, \x80 stray; ", 54) +
                           "emoji 😀 𝄞, RTL \u200f mark, مرحبا, tab\tand CRLF\r\nend.";

ContentGenerator generator_over(const std::shared_ptr<ArticleRepository>& repo) {
  auto llm = std::make_shared<fakes::ScriptedLlmProvider>();
  llm->set_responder([](const ChatRequest&) -> Result<ChatResponse> {
    ChatResponse r;
    r.text = kReply;
    r.model = "gpt-4o-mini";
    r.usage.prompt_tokens = 10;
    r.usage.completion_tokens = 20;
    return r;
  });
  return ContentGenerator({llm, repo, std::make_shared<fakes::MemoryImageStore>(), nullptr},
                          std::make_shared<const PriceTable>(PriceTable::builtin()));
}

void expect_same_bytes(const Article& returned, const Article& stored) {
  EXPECT_EQ(returned.title, stored.title);
  EXPECT_EQ(returned.slug, stored.slug);
  EXPECT_EQ(returned.content, stored.content);
  EXPECT_EQ(returned.content_html, stored.content_html);
  EXPECT_EQ(returned.metadata_json, stored.metadata_json);
}

TEST_P(ArticleRepositoryContract, GeneratedTextRoundTripsByteForByte) {
  ContentGenerator generator = generator_over(repo);
  ContentPlan plan;
  plan.workspace_id = ws_a;
  plan.title = "Fallback title";
  GenerateOptions options;
  options.metadata_json = R"({ "z": 1, "a": {"y": "😀", "b": "\u200f"}, "n": [1, 2.5, "x", null, true] })";
  const Article generated = generator.generate(plan, options);

  EXPECT_EQ(generated.content.find('\0'), std::string::npos);
  EXPECT_EQ(generated.content.find('\x1b'), std::string::npos);
  EXPECT_EQ(generated.title, "Title");
  EXPECT_NE(generated.content.find("emoji 😀 𝄞, RTL \u200f mark, مرحبا, tab\tand CRLF\r\nend."), std::string::npos);
  EXPECT_NE(generated.content.find("\xEF\xBF\xBD stray"), std::string::npos) << "a stray byte becomes U+FFFD";
  EXPECT_EQ(generated.metadata_json, "{\"a\":{\"b\":\"\u200f\",\"y\":\"😀\"},\"contentgen_removed_characters\":5,"
                                     "\"n\":[1,2.5E0,\"x\",null,true],\"z\":1}");
  const auto stored = repo->get(ws_a, generated.id);
  ASSERT_TRUE(stored);
  expect_same_bytes(generated, *stored);

  ArticleUpdate changes;
  changes.content = "# Новый заголовок \u202e\n\nמילים and 😀😀 words.";
  changes.metadata_json = R"({"b": [ {"y": 2, "x": 1} ], "a": "\t"})";
  const Article updated = generator.update(ws_a, generated.id, changes, 1);
  EXPECT_EQ(updated.metadata_json, R"({"a":"\t","b":[{"x":1,"y":2}]})");
  const auto stored_update = repo->get(ws_a, generated.id);
  ASSERT_TRUE(stored_update);
  expect_same_bytes(updated, *stored_update);
}

TEST_P(ArticleRepositoryContract, ControlCharactersInCallerInputAreRefusedNamingTheField) {
  ContentGenerator generator = generator_over(repo);
  ContentPlan plan;
  plan.workspace_id = ws_a;
  plan.title = "Fallback title";
  const Article generated = generator.generate(plan);
  const auto refused = [&](const ArticleUpdate& changes, const std::string& field) {
    CONTRACT_EXPECT_ERROR(generator.update(ws_a, generated.id, changes, 1), ErrorCode::invalid_argument, field);
  };
  ArticleUpdate nul_content;
  nul_content.content = std::string("a\0b", 3);
  refused(nul_content, "changes.content");
  for (const char* metadata : {R"({"a": "\u0000"})", R"({"\u0001": 1})", R"({"a": "\ud800"})", "[1]"}) {
    ArticleUpdate changes;
    changes.metadata_json = metadata;
    refused(changes, "changes.metadata_json");
  }
  GenerateOptions options;
  options.metadata_json = R"({"a": "\u0000"})";
  CONTRACT_EXPECT_ERROR(generator.generate(plan, options), ErrorCode::invalid_argument, "options.metadata_json");
  EXPECT_EQ(repo->get(ws_a, generated.id)->version, 1) << "nothing refused was stored";
}

}  // namespace
}  // namespace contentgen::contract
