#pragma once
// Markdown (GitHub flavour) through cmark-gfm, parsed once for everything the generator needs
// (internal).
#include <string>
#include <string_view>

namespace contentgen::internal {

struct MarkdownRendering {
  // HTML with the table, strikethrough, autolink and tasklist extensions. Raw HTML in the Markdown
  // is NOT passed through (cmark-gfm's safe mode: "<!-- raw HTML omitted -->"), and javascript:
  // style link targets are dropped.
  std::string html;
  // Text of the first level-1 heading (ATX or setext), whitespace-trimmed; empty when none.
  std::string first_h1;
  // The reader-visible text: markup, link targets, bare URLs, image alt text, raw HTML and
  // thematic breaks removed; one newline after every block so blocks never merge into one word.
  std::string plain_text;
};

MarkdownRendering render_markdown(std::string_view markdown);

}  // namespace contentgen::internal
