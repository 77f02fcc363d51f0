#pragma once
// Plausible Markdown articles (an H1, several H2 sections of paragraphs) sized to a token budget,
// so that word counts, continuation logic and cost figures downstream are meaningful.
#include <cstdint>
#include <string>
#include <string_view>

namespace mockllm {

// Tokens are counted the way the mock reports usage: ceil(bytes / 4).
std::int64_t count_tokens(std::string_view text) noexcept;

struct Topic {
  std::string title;          // the H1; empty: "<Keyword>: a practical guide"
  std::string keyword;        // woven into sentences
  bool continuation = false;  // continuing an earlier reply: no H1
};

// An article about `topic` of about `target_tokens` tokens (never more), deterministic for `seed`.
std::string make_article(const Topic& topic, std::int64_t target_tokens, std::uint64_t seed);

// The first `max_tokens` tokens of `text` (cut mid-sentence: what finish_reason "length" looks
// like), never inside a UTF-8 sequence.
std::string truncate_to_tokens(std::string_view text, std::int64_t max_tokens);

// The longest prefix of `text` of at most `max_bytes` that ends on a UTF-8 character boundary.
std::string utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace mockllm
