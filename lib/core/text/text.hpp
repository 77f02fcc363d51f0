#pragma once
// Text measures of an article (internal): words and slugs, both through ICU.
#include <cstdint>
#include <string>
#include <string_view>

namespace contentgen::internal {

// Words of plain text (use MarkdownRendering::plain_text, not Markdown): ICU word boundaries, so
// punctuation and symbols are not words, numbers are, Vietnamese syllables count one each, and
// Chinese/Japanese/Thai runs are split with ICU's dictionaries instead of counting as one "word".
// Thread-safe (one cached BreakIterator per thread; creating one is slow).
std::int64_t count_words(std::string_view plain_text);

// ASCII slug of a title: ICU "Any-Latin; Latin-ASCII; Lower" ("Grüße aus Köln — Привет" ->
// "grusse-aus-koln-privet"), then runs of anything but [a-z0-9] become one '-', trimmed, at most
// 80 characters (cut at a '-'). "article" when nothing is left. Thread-safe (one cached
// Transliterator per thread).
std::string make_slug(std::string_view title);

}  // namespace contentgen::internal
