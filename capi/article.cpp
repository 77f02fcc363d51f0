// Article, image and list handles: constructors and getters.
#include "handles.hpp"
#include "support.hpp"
#include "contentgen/json.hpp"
#include "contentgen/time.hpp"

using namespace contentgen::capi;

contentgen_image::contentgen_image(contentgen::ArticleImage value, bool is_owned)
    : image(std::move(value)), created_at(contentgen::format_rfc3339(image.created_at)), owned(is_owned) {}

contentgen_article::contentgen_article(contentgen::Article value)
    : article(std::move(value)),
      cost_usd(article.cost.to_string()),
      created_at(contentgen::format_rfc3339(article.created_at)),
      updated_at(contentgen::format_rfc3339(article.updated_at)) {
  images.reserve(article.images.size());
  for (const auto& image : article.images) images.emplace_back(image, false);
}

namespace {

// The static strings of enum fields need no storage in the handle.
const char* give_view(std::string_view value, std::size_t* out_len) noexcept {
  if (out_len != nullptr) *out_len = value.size();
  return value.data();
}

}  // namespace

#define CONTENTGEN_ARTICLE_STRING(name, expression)                                          \
  const char* contentgen_article_##name(const contentgen_article* article, size_t* out_len) { \
    if (article == nullptr) return give_empty(out_len);                                       \
    return give(expression, out_len);                                                         \
  }
#define CONTENTGEN_IMAGE_STRING(name, expression)                                      \
  const char* contentgen_image_##name(const contentgen_image* image, size_t* out_len) { \
    if (image == nullptr) return give_empty(out_len);                                   \
    return give(expression, out_len);                                                   \
  }

extern "C" {

CONTENTGEN_ARTICLE_STRING(id, article->article.id)
CONTENTGEN_ARTICLE_STRING(workspace_id, article->article.workspace_id)
CONTENTGEN_ARTICLE_STRING(plan_id, article->article.plan_id)
CONTENTGEN_ARTICLE_STRING(title, article->article.title)
CONTENTGEN_ARTICLE_STRING(slug, article->article.slug)
CONTENTGEN_ARTICLE_STRING(content, article->article.content)
CONTENTGEN_ARTICLE_STRING(content_html, article->article.content_html)
CONTENTGEN_ARTICLE_STRING(provider, article->article.provider)
CONTENTGEN_ARTICLE_STRING(model, article->article.model)
CONTENTGEN_ARTICLE_STRING(cost_usd, article->cost_usd)
CONTENTGEN_ARTICLE_STRING(metadata_json, article->article.metadata_json)
CONTENTGEN_ARTICLE_STRING(html_url, article->article.html_url)
CONTENTGEN_ARTICLE_STRING(created_at, article->created_at)
CONTENTGEN_ARTICLE_STRING(updated_at, article->updated_at)

const char* contentgen_article_status(const contentgen_article* article, size_t* out_len) {
  if (article == nullptr) return give_empty(out_len);
  return give_view(contentgen::to_string(article->article.status), out_len);
}

const char* contentgen_article_finish_reason(const contentgen_article* article, size_t* out_len) {
  if (article == nullptr) return give_empty(out_len);
  return give_view(contentgen::to_string(article->article.finish_reason), out_len);
}

int64_t contentgen_article_cost_nanousd(const contentgen_article* article) {
  return article != nullptr ? article->article.cost.nanos() : 0;
}
int64_t contentgen_article_version(const contentgen_article* article) {
  return article != nullptr ? article->article.version : 0;
}
int64_t contentgen_article_word_count(const contentgen_article* article) {
  return article != nullptr ? article->article.word_count : 0;
}
int64_t contentgen_article_llm_calls(const contentgen_article* article) {
  return article != nullptr ? article->article.llm_calls : 0;
}

int contentgen_article_usage(contentgen_usage* out, const contentgen_article* article) {
  return guard([&] {
    require(article, "article");
    usage_to_c(article->article.usage, out);
  });
}

size_t contentgen_article_image_count(const contentgen_article* article) {
  return article != nullptr ? article->images.size() : 0;
}

const contentgen_image* contentgen_article_image_at(const contentgen_article* article, size_t index) {
  if (article == nullptr || index >= article->images.size()) return nullptr;
  return &article->images[index];
}

int contentgen_article_json(char** out, size_t* out_len, const contentgen_article* article) {
  if (out != nullptr) *out = nullptr;
  if (out_len != nullptr) *out_len = 0;
  return guard([&] {
    require(article, "article");
    copy_out(contentgen::article_to_json(article->article), out, out_len);
  });
}

void contentgen_article_free(contentgen_article* article) { delete article; }

CONTENTGEN_IMAGE_STRING(id, image->image.id)
CONTENTGEN_IMAGE_STRING(article_id, image->image.article_id)
CONTENTGEN_IMAGE_STRING(workspace_id, image->image.workspace_id)
CONTENTGEN_IMAGE_STRING(storage_key, image->image.storage_key)
CONTENTGEN_IMAGE_STRING(url, image->image.url)
CONTENTGEN_IMAGE_STRING(content_type, image->image.content_type)
CONTENTGEN_IMAGE_STRING(sha256, image->image.sha256)
CONTENTGEN_IMAGE_STRING(original_filename, image->image.original_filename)
CONTENTGEN_IMAGE_STRING(alt_text, image->image.alt_text)
CONTENTGEN_IMAGE_STRING(created_at, image->created_at)

int64_t contentgen_image_size_bytes(const contentgen_image* image) {
  return image != nullptr ? image->image.size_bytes : 0;
}
int32_t contentgen_image_width(const contentgen_image* image) { return image != nullptr ? image->image.width : 0; }
int32_t contentgen_image_height(const contentgen_image* image) { return image != nullptr ? image->image.height : 0; }

int contentgen_image_json(char** out, size_t* out_len, const contentgen_image* image) {
  if (out != nullptr) *out = nullptr;
  if (out_len != nullptr) *out_len = 0;
  return guard([&] {
    require(image, "image");
    copy_out(contentgen::image_to_json(image->image), out, out_len);
  });
}

void contentgen_image_free(contentgen_image* image) {
  if (image != nullptr && image->owned) delete image;
}

size_t contentgen_article_list_count(const contentgen_article_list* list) {
  return list != nullptr ? list->items.size() : 0;
}

const contentgen_article* contentgen_article_list_at(const contentgen_article_list* list, size_t index) {
  if (list == nullptr || index >= list->items.size()) return nullptr;
  return &list->items[index];
}

const char* contentgen_article_list_next_cursor(const contentgen_article_list* list, size_t* out_len) {
  if (list == nullptr) return give_empty(out_len);
  return give(list->next_cursor, out_len);
}

int contentgen_article_list_json(char** out, size_t* out_len, const contentgen_article_list* list) {
  if (out != nullptr) *out = nullptr;
  if (out_len != nullptr) *out_len = 0;
  return guard([&] {
    require(list, "list");
    contentgen::ArticlePage page;
    page.next_cursor = list->next_cursor;
    page.items.reserve(list->items.size());
    for (const auto& item : list->items) page.items.push_back(item.article);
    copy_out(contentgen::article_page_to_json(page), out, out_len);
  });
}

void contentgen_article_list_free(contentgen_article_list* list) { delete list; }

}  // extern "C"
