#include "core/text/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "contentgen/error.hpp"

namespace contentgen::internal {
namespace {

constexpr const char* extension_names[] = {"table", "strikethrough", "autolink", "tasklist"};

struct ParserDeleter {
  void operator()(cmark_parser* p) const noexcept { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const noexcept { cmark_node_free(n); }
};
struct IterDeleter {
  void operator()(cmark_iter* i) const noexcept { cmark_iter_free(i); }
};

std::unique_ptr<cmark_parser, ParserDeleter> make_parser() {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(CMARK_OPT_DEFAULT));
  if (!parser) throw Error(ErrorCode::internal, "cmark-gfm could not create a parser");
  for (const char* name : extension_names) {
    cmark_syntax_extension* extension = cmark_find_syntax_extension(name);
    if (extension == nullptr) throw Error(ErrorCode::internal, std::string("cmark-gfm extension missing: ") + name);
    cmark_parser_attach_syntax_extension(parser.get(), extension);
  }
  return parser;
}

bool is_inline(cmark_node* node) {
  return (static_cast<unsigned>(cmark_node_get_type(node)) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
}

std::string_view literal(cmark_node* node) {
  const char* text = cmark_node_get_literal(node);
  return text == nullptr ? std::string_view{} : std::string_view(text);
}

// An autolink ("https://x.y", "www.x.y", "a@b.c") is a link whose only text is its own target:
// that text is a URL, not words.
bool is_autolink(cmark_node* link) {
  cmark_node* child = cmark_node_first_child(link);
  if (child == nullptr || cmark_node_next(child) != nullptr || cmark_node_get_type(child) != CMARK_NODE_TEXT)
    return false;
  const std::string_view text = literal(child);
  const char* url_text = cmark_node_get_url(link);
  std::string_view url = url_text == nullptr ? std::string_view{} : std::string_view(url_text);
  if (text == url) return true;
  for (std::string_view scheme : {"http://", "https://", "mailto:"})
    if (url.starts_with(scheme) && url.substr(scheme.size()) == text) return true;
  return false;
}

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

void extract_text(cmark_node* document, MarkdownRendering& out) {
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(document));
  cmark_node* skipping = nullptr;  // an image or autolink whose text is not counted
  cmark_node* capturing_h1 = nullptr;
  bool h1_done = false;
  std::string h1;
  for (auto event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE; event = cmark_iter_next(iter.get())) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    const auto type = cmark_node_get_type(node);
    if (skipping != nullptr) {
      if (node == skipping && event == CMARK_EVENT_EXIT) skipping = nullptr;
      continue;
    }
    if (event == CMARK_EVENT_ENTER) {
      if (type == CMARK_NODE_IMAGE || (type == CMARK_NODE_LINK && is_autolink(node))) {
        skipping = node;
        continue;
      }
      if (type == CMARK_NODE_HEADING && !h1_done && capturing_h1 == nullptr && cmark_node_get_heading_level(node) == 1)
        capturing_h1 = node;
    }
    std::string_view piece;
    switch (type) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        piece = literal(node);
        break;
      case CMARK_NODE_CODE_BLOCK:
        out.plain_text += literal(node);
        out.plain_text += '\n';
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        piece = " ";
        break;
      default:
        if (event == CMARK_EVENT_EXIT && !is_inline(node)) out.plain_text += '\n';
        break;
    }
    out.plain_text += piece;
    if (capturing_h1 != nullptr) {
      h1 += piece;
      if (node == capturing_h1 && event == CMARK_EVENT_EXIT) {
        capturing_h1 = nullptr;
        h1_done = true;
        out.first_h1 = trim(h1);
      }
    }
  }
}

}  // namespace

MarkdownRendering render_markdown(std::string_view markdown) {
  auto parser = make_parser();
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));
  if (!document) throw Error(ErrorCode::internal, "cmark-gfm could not parse the article");

  MarkdownRendering out;
  out.plain_text.reserve(markdown.size());
  extract_text(document.get(), out);
  char* html = cmark_render_html(document.get(), CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser.get()));
  if (html == nullptr) throw Error(ErrorCode::internal, "cmark-gfm could not render HTML");
  out.html = html;
  cmark_get_default_mem_allocator()->free(html);
  return out;
}

}  // namespace contentgen::internal
