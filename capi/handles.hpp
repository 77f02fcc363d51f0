#pragma once
// The opaque handles of include/contentgen.h, defined. Internal to capi/.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contentgen.h"
#include "contentgen/article.hpp"
#include "contentgen/cancellation.hpp"
#include "contentgen/config.hpp"
#include "contentgen/ports/article_repository.hpp"
#include "contentgen/ports/llm_provider.hpp"

struct contentgen_cancellation {
  contentgen::CancellationSource source;
};

struct contentgen_buffer {
  std::string bytes;
};

// An image, with the strings the getters hand out as const char*. `owned`: released by
// contentgen_image_free (from upload); images inside an article are not.
struct contentgen_image {
  contentgen::ArticleImage image;
  std::string created_at;
  bool owned = false;

  contentgen_image(contentgen::ArticleImage value, bool is_owned);
};

struct contentgen_article {
  contentgen::Article article;
  std::string cost_usd;
  std::string created_at;
  std::string updated_at;
  std::vector<contentgen_image> images;

  explicit contentgen_article(contentgen::Article value);
};

struct contentgen_article_list {
  std::vector<contentgen_article> items;
  std::string next_cursor;
};

struct contentgen_generator {
  contentgen::ConfiguredGenerator configured;
};

// One call of a custom LLM provider (capi/custom_llm.cpp).
struct contentgen_llm_call {
  const contentgen::ChatRequest* request = nullptr;
  std::string request_json;
  std::optional<contentgen::ChatResponse> response;
};
