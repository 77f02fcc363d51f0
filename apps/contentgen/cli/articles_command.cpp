// contentgen articles list|get|update|delete and images upload|delete.
#include <filesystem>
#include <iomanip>
#include <limits>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "cli/settings.hpp"
#include "contentgen/error.hpp"
#include "contentgen/json.hpp"

namespace contentgen::cli {
namespace {


ConfiguredGenerator open_for_management(const ParsedArgs& args) {
  return open_cli_generator(load_cli_config(args.get("config"), process_environment()), {});
}

int list_articles(const ParsedArgs& args) {
  ListQuery query;
  if (auto status = args.get("status")) {
    query.status = parse_article_status(*status);
    if (!query.status) throw UsageError("--status must be draft, published or archived");
  }
  query.limit = static_cast<std::int32_t>(args.integer("limit", 1, 100).value_or(20));
  query.cursor = args.get_or("cursor", "");
  auto configured = open_for_management(args);
  const ArticlePage page = configured.generator->list(workspace_of(args), query);
  if (args.flag("json")) {
    std::cout << article_page_to_json(page) << "\n";
    return kExitOk;
  }
  for (const auto& a : page.items) {
    std::cout << a.id << "  " << std::left << std::setw(9) << to_string(a.status) << std::right << std::setw(6)
              << a.word_count << " words  " << dollars(a.cost) << "  " << format_rfc3339(a.created_at) << "  " << a.title
              << "\n";
  }
  if (page.items.empty()) std::cout << "(no articles in workspace " << workspace_of(args) << ")\n";
  if (!page.next_cursor.empty()) std::cout << "next page: --cursor " << page.next_cursor << "\n";
  return kExitOk;
}

int get_article(const ParsedArgs& args) {
  auto configured = open_for_management(args);
  const Article article = configured.generator->get(workspace_of(args), args.positionals().at(0));
  if (args.flag("json")) {
    std::cout << article_to_json(article) << "\n";
  } else {
    print_article(std::cout, article);
  }
  return kExitOk;
}

int update_article(const ParsedArgs& args) {
  ArticleUpdate changes;
  changes.title = args.get("title");
  if (auto file = args.get("content-file")) changes.content = read_file(*file, "content-file");
  if (auto status = args.get("status")) {
    changes.status = parse_article_status(*status);
    if (!changes.status) throw UsageError("--status must be draft, published or archived");
  }
  changes.metadata_json = args.get("metadata");
  if (!changes.title && !changes.content && !changes.status && !changes.metadata_json) {
    throw UsageError("nothing to change: give --title, --content-file, --status or --metadata");
  }
  auto version = args.integer("version", 1, std::numeric_limits<std::int64_t>::max());
  auto configured = open_for_management(args);
  const std::string workspace = workspace_of(args);
  const std::string& id = args.positionals().at(0);
  // Without --version: the version read just now (a concurrent writer in between still conflicts).
  if (!version) version = configured.generator->get(workspace, id).version;
  const Article article = configured.generator->update(workspace, id, changes, *version);
  if (args.flag("json")) {
    std::cout << article_to_json(article) << "\n";
  } else {
    std::cout << "updated " << article.id << ": version " << article.version << ", status "
              << to_string(article.status) << ", " << article.word_count << " words\n";
  }
  return kExitOk;
}

int delete_article(const ParsedArgs& args) {
  auto configured = open_for_management(args);
  configured.generator->remove(workspace_of(args), args.positionals().at(0));
  std::cout << "deleted " << args.positionals().at(0) << "\n";
  return kExitOk;
}

int upload_image(const ParsedArgs& args) {
  const std::string& article_id = args.positionals().at(0);
  const std::string& path = args.positionals().at(1);
  const std::string bytes = read_file(path, "file");
  ImageUpload upload;
  upload.bytes = as_bytes(bytes);
  upload.filename = path == "-" ? "" : std::filesystem::path(path).filename().string();
  upload.declared_content_type = args.get_or("content-type", "");
  upload.alt_text = args.get_or("alt", "");
  auto configured = open_for_management(args);
  const ArticleImage image = configured.generator->upload_image(workspace_of(args), article_id, upload);
  if (args.flag("json")) {
    std::cout << image_to_json(image) << "\n";
  } else {
    std::cout << "uploaded " << image.id << ": " << image.content_type << " " << image.width << "x" << image.height
              << ", " << image.size_bytes << " bytes, " << image.url << "\n";
  }
  return kExitOk;
}

int delete_image(const ParsedArgs& args) {
  auto configured = open_for_management(args);
  configured.generator->delete_image(workspace_of(args), args.positionals().at(0), args.positionals().at(1));
  std::cout << "deleted image " << args.positionals().at(1) << "\n";
  return kExitOk;
}

}  // namespace

Command articles_list_command() {
  CommandSpec spec{"articles list", "List a workspace's articles, newest first.", "[options]", {}, 0, 0, ""};
  spec.options = {{"status", "STATUS", "only draft, published or archived articles"},
                  {"limit", "N", "articles per page (1-100, default 20)"},
                  {"cursor", "CURSOR", "the page after the one that printed this cursor"},
                  kWorkspaceOption,
                  kJsonOption};
  return {std::move(spec), list_articles};
}

Command articles_get_command() {
  CommandSpec spec{"articles get", "Print an article: its summary, images and Markdown text.", "ID [options]", {},
                   1, 1, ""};
  spec.options = {kWorkspaceOption, kJsonOption};
  return {std::move(spec), get_article};
}

Command articles_update_command() {
  CommandSpec spec{"articles update", "Change an article's title, text, status or metadata.", "ID [options]", {}, 1,
                   1, ""};
  spec.options = {{"title", "TITLE", "new title"},
                  {"content-file", "FILE", "new Markdown text (\"-\": standard input)"},
                  {"status", "STATUS", "draft, published or archived"},
                  {"metadata", "JSON", "replace the metadata with this JSON object"},
                  {"version", "N", "the version you read (optimistic locking); default: the current one"},
                  kWorkspaceOption,
                  kJsonOption};
  spec.details = "A stale --version fails with exit status 13 (conflict): read the article again and retry.";
  return {std::move(spec), update_article};
}

Command articles_delete_command() {
  CommandSpec spec{"articles delete", "Delete an article and its images.", "ID [options]", {}, 1, 1, ""};
  spec.options = {kWorkspaceOption};
  return {std::move(spec), delete_article};
}

Command images_upload_command() {
  CommandSpec spec{"images upload", "Attach an image (PNG, JPEG, GIF or WebP, checked from its bytes) to an article.",
                   "ARTICLE_ID FILE [options]", {}, 2, 2, ""};
  spec.options = {{"alt", "TEXT", "alternative text"},
                  {"content-type", "TYPE", "declared type; refused when the bytes say otherwise"},
                  kWorkspaceOption,
                  kJsonOption};
  return {std::move(spec), upload_image};
}

Command images_delete_command() {
  CommandSpec spec{"images delete", "Delete an image of an article.", "ARTICLE_ID IMAGE_ID [options]", {}, 2, 2, ""};
  spec.options = {kWorkspaceOption};
  return {std::move(spec), delete_image};
}

}  // namespace contentgen::cli
