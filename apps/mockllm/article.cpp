#include "article.hpp"

#include <array>
#include <random>

namespace mockllm {
namespace {

constexpr std::array<std::string_view, 12> kSectionTitles{
    "Why it matters", "The basics", "Getting started", "Common mistakes", "A practical checklist",
    "What the numbers say", "Tools worth knowing", "A worked example", "Trade-offs to consider",
    "Questions readers ask", "Looking ahead", "Key takeaways"};

constexpr std::array<std::string_view, 48> kWords{
    "practical", "guide", "teams", "customers", "search", "content", "quality", "results", "simple",
    "careful", "planning", "budget", "measure", "growth", "clear", "steps", "readers", "value", "time",
    "process", "strategy", "small", "changes", "important", "details", "helpful", "examples", "review",
    "improve", "consistent", "useful", "approach", "common", "problems", "solutions", "data", "choices",
    "long", "term", "focus", "experience", "trust", "every", "week", "goals", "plan", "work", "better"};

std::string capitalized(std::string_view word) {
  std::string out(word);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string sentence(std::minstd_rand& rng, std::string_view topic) {
  std::uniform_int_distribution<std::size_t> pick(0, kWords.size() - 1);
  std::uniform_int_distribution<int> length(8, 16);
  const int words = length(rng);
  std::string out;
  for (int i = 0; i < words; ++i) {
    std::string_view word = kWords[pick(rng)];
    if (i == words / 2 && !topic.empty()) word = topic;
    out += i == 0 ? capitalized(word) : std::string(word);
    out += i + 1 == words ? "." : " ";
  }
  return out;
}

}  // namespace

std::int64_t count_tokens(std::string_view text) noexcept { return static_cast<std::int64_t>((text.size() + 3) / 4); }

std::string make_article(const Topic& topic, std::int64_t target_tokens, std::uint64_t seed) {
  std::minstd_rand rng(static_cast<std::minstd_rand::result_type>(seed % 2147483646u + 1));
  const std::string_view keyword = topic.keyword.empty() ? std::string_view("content") : std::string_view(topic.keyword);
  const std::size_t budget = static_cast<std::size_t>(std::max<std::int64_t>(target_tokens, 1)) * 4;
  std::string out;
  if (!topic.continuation) out = "# " + (topic.title.empty() ? capitalized(keyword) + ": a practical guide" : topic.title);
  // Sections of two or three paragraphs, sentence by sentence while they fit the budget, so the
  // article always ends on a whole sentence (what finish_reason "stop" looks like).
  for (std::size_t section = 0;; ++section) {
    const std::string heading = (out.empty() ? "## " : "\n\n## ") + std::string(kSectionTitles[section % kSectionTitles.size()]);
    std::string first = "\n\n" + sentence(rng, keyword);
    if (out.size() + heading.size() + first.size() > budget) break;
    out += heading + first;
    const int paragraphs = 2 + static_cast<int>(rng() % 2);
    bool full = false;
    for (int p = 0; p < paragraphs && !full; ++p) {
      for (int s = (p == 0 ? 1 : 0); s < 3; ++s) {
        std::string next = (s == 0 ? "\n\n" : " ") + sentence(rng, s == 0 ? keyword : std::string_view{});
        if (out.size() + next.size() > budget) {
          full = true;
          break;
        }
        out += next;
      }
    }
    if (full) break;
  }
  return utf8_prefix(out, budget);
}

std::string truncate_to_tokens(std::string_view text, std::int64_t max_tokens) {
  return utf8_prefix(text, static_cast<std::size_t>(std::max<std::int64_t>(max_tokens, 0)) * 4);
}

std::string utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // a continuation byte
  return std::string(text.substr(0, end));
}

}  // namespace mockllm
