#pragma once
// Plausible Markdown articles (an H1, several H2 sections of paragraphs) sized to a token budget,
// so that word counts, continuation logic and cost figures downstream are meaningful.
#include <cstdint>
#include <string>
#include <string_view>

namespace mockllm {

// Tokens are counted the way the mock reports usage: ceil(bytes / 4).
std::int64_t count_tokens(std::string_view text) noexcept;

// An article about `topic` of about `target_tokens` tokens (never more), deterministic for `seed`.
std::string make_article(std::string_view topic, std::int64_t target_tokens, std::uint64_t seed);

// The first `max_tokens` tokens of `text` (cut mid-sentence: what finish_reason "length" looks like).
std::string truncate_to_tokens(std::string_view text, std::int64_t max_tokens);

}  // namespace mockllm
