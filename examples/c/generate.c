/* examples/c/generate.c -- the C API end to end: open a generator from a configuration file,
 * generate an article (streaming its text), list the workspace, upload an image, relay the events,
 * delete the article.
 *
 *   cc -std=c99 generate.c $(pkg-config --cflags --libs contentgen) -o generate
 *   ./generate contentgen.json            (the configuration: docs/configuration.md)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <contentgen.h>

/* A 1x1 PNG, so that the example needs no image file. */
static const unsigned char pixel_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00,
    0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

static const char *plan_json =
    "{\"workspace_id\": \"example-workspace\", \"title\": \"How to keep an LLM bill predictable\","
    " \"target_keywords\": [\"llm cost\", \"token budget\"], \"estimated_word_count\": 600, \"tone\": \"practical\"}";

/* Prints the library's explanation of the last failure and returns 1. */
static int fail(const char *what) {
  const contentgen_error *e = contentgen_error_last();
  fprintf(stderr, "%s failed: [%s] %s", what, e->code_name, e->message);
  if (e->http_status != 0) fprintf(stderr, " (HTTP %d, request id %s)", e->http_status, e->request_id);
  fputc('\n', stderr);
  return 1;
}

static char *read_file(const char *path, size_t *out_len) {
  FILE *file = fopen(path, "rb");
  char *text = NULL;
  long size;
  if (file == NULL) return NULL;
  if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 && fseek(file, 0, SEEK_SET) == 0) {
    text = malloc((size_t)size + 1);
    if (text != NULL && fread(text, 1, (size_t)size, file) == (size_t)size) {
      text[size] = '\0';
      *out_len = (size_t)size;
    } else {
      free(text);
      text = NULL;
    }
  }
  fclose(file);
  return text;
}

static void print_delta(void *payload, const char *text, size_t len) {
  size_t *streamed = payload;
  *streamed += len;
  fwrite(text, 1, len, stdout);
}

int main(int argc, char **argv) {
  contentgen_generator *generator = NULL;
  contentgen_article *article = NULL;
  contentgen_article_list *page = NULL;
  contentgen_image *image = NULL;
  contentgen_generate_options options = CONTENTGEN_GENERATE_OPTIONS_INIT;
  contentgen_usage usage = CONTENTGEN_USAGE_INIT;
  size_t config_len = 0, streamed = 0, delivered = 0, failed = 0, i;
  char *config;
  char article_id[64];

  if (argc != 2) {
    fprintf(stderr, "usage: %s CONFIG.json\n", argv[0]);
    return 2;
  }
  printf("libcontentgen %s\n", contentgen_version_string());
  config = read_file(argv[1], &config_len);
  if (config == NULL) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  if (contentgen_generator_open(&generator, config, config_len, NULL) != CONTENTGEN_OK) {
    free(config);
    return fail("opening the generator");
  }
  free(config);

  options.on_delta = print_delta;
  options.on_delta_payload = &streamed;
  if (contentgen_generator_generate(&article, generator, plan_json, CONTENTGEN_NUL_TERMINATED, &options) !=
      CONTENTGEN_OK) {
    contentgen_generator_close(generator);
    return fail("generate");
  }
  contentgen_article_usage(&usage, article);
  snprintf(article_id, sizeof article_id, "%s", contentgen_article_id(article, NULL));
  printf("\n\n--\narticle %s\ntitle:  %s\nwords:  %lld\nmodel:  %s (%s)\ntokens: %lld prompt + %lld completion\n"
         "cost:   $%s (%lld nano-USD)\n",
         article_id, contentgen_article_title(article, NULL), (long long)contentgen_article_word_count(article),
         contentgen_article_model(article, NULL), contentgen_article_provider(article, NULL),
         (long long)usage.prompt_tokens, (long long)usage.completion_tokens,
         contentgen_article_cost_usd(article, NULL), (long long)contentgen_article_cost_nanousd(article));
  contentgen_article_free(article);

  if (contentgen_generator_list(&page, generator, "example-workspace", CONTENTGEN_NUL_TERMINATED, NULL) !=
      CONTENTGEN_OK) {
    contentgen_generator_close(generator);
    return fail("list");
  }
  printf("workspace holds %zu article(s) on the first page:\n", contentgen_article_list_count(page));
  for (i = 0; i < contentgen_article_list_count(page); ++i) {
    const contentgen_article *item = contentgen_article_list_at(page, i);
    printf("  %s  %s\n", contentgen_article_id(item, NULL), contentgen_article_title(item, NULL));
  }
  contentgen_article_list_free(page);

  if (contentgen_generator_upload_image(&image, generator, "example-workspace", CONTENTGEN_NUL_TERMINATED, article_id,
                                        CONTENTGEN_NUL_TERMINATED, pixel_png, sizeof pixel_png, "pixel.png",
                                        CONTENTGEN_NUL_TERMINATED, NULL) != CONTENTGEN_OK) {
    contentgen_generator_close(generator);
    return fail("upload image");
  }
  printf("uploaded %s (%s, %dx%d) -> %s\n", contentgen_image_id(image, NULL), contentgen_image_content_type(image, NULL),
         (int)contentgen_image_width(image), (int)contentgen_image_height(image), contentgen_image_url(image, NULL));
  contentgen_image_free(image);

  if (contentgen_generator_relay_events(&delivered, &failed, generator) == CONTENTGEN_OK) {
    printf("events relayed: %zu delivered, %zu failed\n", delivered, failed);
  } else if (contentgen_error_last()->code != CONTENTGEN_E_INVALID_ARGUMENT) { /* no sink configured is fine */
    fail("relay events");
  }

  if (contentgen_generator_delete(generator, "example-workspace", CONTENTGEN_NUL_TERMINATED, article_id,
                                  CONTENTGEN_NUL_TERMINATED) != CONTENTGEN_OK) {
    contentgen_generator_close(generator);
    return fail("delete");
  }
  printf("deleted %s\n", article_id);
  contentgen_generator_close(generator);
  return 0;
}
