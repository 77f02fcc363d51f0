/* The full flow through the C API against the installed library: open from a JSON configuration
 * (SQLite + filesystem images + JSONL events), generate with streaming, idempotency, get, list
 * with a cursor, update with optimistic versions, image upload / delete, relay, delete, cost.
 *
 *   capi_flow scripted   the LLM is a C vtable (support.c)
 *   capi_flow mockllm    the LLM is contentgen-mockllm at $CONTENTGEN_TEST_MOCKLLM_URL (required) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "support.h"

typedef struct stream_sink {
  size_t bytes;
  size_t calls;
  char head[64];
} stream_sink;

static void on_delta(void *payload, const char *text, size_t len) {
  stream_sink *sink = payload;
  size_t room = sizeof sink->head - 1 - strlen(sink->head);
  strncat(sink->head, text, len < room ? len : room);
  sink->bytes += len;
  ++sink->calls;
}

static size_t count_lines_with(const char *path, const char *needle) {
  char line[65536];
  size_t count = 0;
  FILE *file = fopen(path, "r");
  if (file == NULL) return 0;
  while (fgets(line, sizeof line, file) != NULL)
    if (strstr(line, needle) != NULL) ++count;
  fclose(file);
  return count;
}

/* The library's log hook: counts the insecure-TLS warnings of the "http" component. */
static void count_http_warnings(void *user_data, int level, const char *component, const char *message) {
  if (level == CONTENTGEN_LOG_WARNING && strcmp(component, "http") == 0 && strstr(message, "DISABLED") != NULL) {
    ++*(int *)user_data;
  }
}

int main(int argc, char **argv) {
  const int use_mock = argc > 1 && strcmp(argv[1], "mockllm") == 0;
  scripted_llm llm_state;
  contentgen_llm_provider llm;
  contentgen_open_options open_options = CONTENTGEN_OPEN_OPTIONS_INIT;
  contentgen_generate_options generate_options = CONTENTGEN_GENERATE_OPTIONS_INIT;
  contentgen_list_options list_options = CONTENTGEN_LIST_OPTIONS_INIT;
  contentgen_generator *generator = NULL;
  contentgen_article *first = NULL, *again = NULL, *second, *third, *fetched = NULL, *updated = NULL;
  contentgen_article_list *page = NULL;
  contentgen_image *image = NULL;
  contentgen_usage usage = CONTENTGEN_USAGE_INIT;
  stream_sink stream;
  char *dir, *config, *plan, *json = NULL, *llm_section = NULL, events_path[4200], cursor[512];
  size_t length = 0, delivered = 0, failed = 0;
  int64_t nanos = 0;
  char article_id[64], image_id[64];

  memset(&llm_state, 0, sizeof llm_state);
  memset(&stream, 0, sizeof stream);
  CHECK(contentgen_version_number() == CONTENTGEN_VERSION_NUMBER);
  CHECK_STR(contentgen_version_string(), CONTENTGEN_VERSION_STRING);

  dir = support_temp_dir("flow");
  REQUIRE(dir != NULL);
  if (use_mock) {
    llm_section = support_mockllm_section();
    REQUIRE(llm_section != NULL); /* CONTENTGEN_TEST_MOCKLLM_URL must be set */
  } else {
    llm = scripted_llm_vtable(&llm_state);
    open_options.llm = &llm;
  }
  /* The library never writes to stderr: its warnings go to the host's log callback. */
  {
    int warnings = 0;
    contentgen_generator *logged = NULL;
    contentgen_open_options log_options = CONTENTGEN_OPEN_OPTIONS_INIT;
    char *insecure = support_config(dir,
                                    "{\"provider\": \"openai\", \"base_url\": \"https://127.0.0.1:9/v1\", "
                                    "\"auth\": \"none\", \"insecure_skip_verify\": true}",
                                    NULL);
    REQUIRE(insecure != NULL);
    log_options.log = count_http_warnings;
    log_options.log_user_data = &warnings;
    REQUIRE_OK(contentgen_generator_open(&logged, insecure, strlen(insecure), &log_options));
    CHECK(warnings == 1);
    contentgen_generator_close(logged);
    free(insecure);
  }

  config = support_config(dir, llm_section, NULL);
  REQUIRE_OK(contentgen_generator_open(&generator, config, strlen(config), use_mock ? NULL : &open_options));

  /* generate, streaming */
  plan = support_plan("ws-a", "Writing stable C APIs", "plan-1");
  generate_options.on_delta = on_delta;
  generate_options.on_delta_payload = &stream;
  generate_options.metadata_json = "{\"source\": \"flow_test\"}";
  REQUIRE_OK(contentgen_generator_generate(&first, generator, plan, strlen(plan), &generate_options));
  CHECK(strlen(contentgen_article_id(first, &length)) == 36 && length == 36);
  snprintf(article_id, sizeof article_id, "%s", contentgen_article_id(first, NULL));
  CHECK_STR(contentgen_article_workspace_id(first, NULL), "ws-a");
  CHECK_STR(contentgen_article_plan_id(first, NULL), "plan-1");
  CHECK_STR(contentgen_article_status(first, NULL), "draft");
  CHECK(contentgen_article_version(first) == 1);
  CHECK(contentgen_article_word_count(first) > 10);
  CHECK(contentgen_article_llm_calls(first) >= 1);
  CHECK(strlen(contentgen_article_title(first, NULL)) > 0);
  CHECK(strlen(contentgen_article_slug(first, NULL)) > 0);
  CHECK(strstr(contentgen_article_content_html(first, NULL), "<h1>") != NULL);
  CHECK(strstr(contentgen_article_metadata_json(first, NULL), "flow_test") != NULL);
  CHECK(strlen(contentgen_article_created_at(first, NULL)) == strlen("2026-01-01T00:00:00.000000Z"));
  CHECK(contentgen_article_cost_nanousd(first) > 0);
  CHECK_OK(contentgen_article_usage(&usage, first));
  CHECK(usage.prompt_tokens > 0 && usage.completion_tokens > 0);
  CHECK(stream.bytes > 0 && stream.calls > 1);
  CHECK(strncmp(stream.head, "#", 1) == 0);
  if (!use_mock) {
    CHECK_STR(contentgen_article_provider(first, NULL), "scripted-c");
    CHECK_STR(contentgen_article_model(first, NULL), "gpt-4o-mini");
    CHECK_STR(contentgen_article_title(first, NULL), "Scripted Title");
    /* 1000 prompt tokens at $0.15/M + 500 completion tokens at $0.60/M = $0.00045 */
    CHECK(contentgen_article_cost_nanousd(first) == 450000);
    CHECK_STR(contentgen_article_cost_usd(first, NULL), "0.000450000");
    CHECK(strstr(llm_state.last_request, "\"stream\":true") != NULL);
    CHECK(strstr(llm_state.last_request, "Writing stable C APIs") != NULL);
  }
  CHECK_OK(contentgen_article_json(&json, &length, first));
  CHECK(json != NULL && strlen(json) == length);
  CHECK(json != NULL && strstr(json, "\"cost_nanousd\":") != NULL && strstr(json, article_id) != NULL);
  contentgen_free(json);
  json = NULL;

  /* idempotency: the same plan id returns the same article without paying again */
  {
    int calls_before = llm_state.calls;
    REQUIRE_OK(contentgen_generator_generate(&again, generator, plan, CONTENTGEN_NUL_TERMINATED, NULL));
    CHECK_STR(contentgen_article_id(again, NULL), article_id);
    if (!use_mock) CHECK(llm_state.calls == calls_before);
    contentgen_article_free(again);
  }
  free(plan);

  second = support_generate(generator, "ws-a", "Second article", "plan-2");
  third = support_generate(generator, "ws-a", "Third article", NULL);
  REQUIRE(second != NULL && third != NULL);
  again = support_generate(generator, "ws-b", "Other workspace", NULL);
  CHECK(again != NULL);
  contentgen_article_free(again);

  /* list: newest first, two per page */
  list_options.limit = 2;
  REQUIRE_OK(contentgen_generator_list(&page, generator, "ws-a", CONTENTGEN_NUL_TERMINATED, &list_options));
  CHECK(contentgen_article_list_count(page) == 2);
  CHECK_STR(contentgen_article_id(contentgen_article_list_at(page, 0), NULL), contentgen_article_id(third, NULL));
  CHECK(contentgen_article_list_at(page, 2) == NULL);
  snprintf(cursor, sizeof cursor, "%s", contentgen_article_list_next_cursor(page, NULL));
  CHECK(strlen(cursor) > 0);
  CHECK_OK(contentgen_article_list_json(&json, NULL, page));
  CHECK(json != NULL && strstr(json, "\"next_cursor\"") != NULL);
  contentgen_free(json);
  json = NULL;
  contentgen_article_list_free(page);
  page = NULL;
  list_options.cursor = cursor;
  REQUIRE_OK(contentgen_generator_list(&page, generator, "ws-a", 4, &list_options));
  CHECK(contentgen_article_list_count(page) == 1);
  CHECK_STR(contentgen_article_id(contentgen_article_list_at(page, 0), NULL), article_id);
  CHECK_STR(contentgen_article_list_next_cursor(page, NULL), "");
  contentgen_article_list_free(page);
  page = NULL;

  /* update: optimistic concurrency */
  REQUIRE_OK(contentgen_generator_update(&updated, generator, "ws-a", 4, article_id, CONTENTGEN_NUL_TERMINATED,
                                         "{\"title\": \"Renamed\", \"status\": \"published\"}",
                                         CONTENTGEN_NUL_TERMINATED, 1));
  CHECK_STR(contentgen_article_title(updated, NULL), "Renamed");
  CHECK_STR(contentgen_article_status(updated, NULL), "published");
  CHECK(contentgen_article_version(updated) == 2);
  contentgen_article_free(updated);
  updated = NULL;
  CHECK_FAILS(contentgen_generator_update(NULL, generator, "ws-a", 4, article_id, CONTENTGEN_NUL_TERMINATED,
                                          "{\"title\": \"Stale\"}", CONTENTGEN_NUL_TERMINATED, 1),
              CONTENTGEN_E_CONFLICT, NULL);
  list_options.cursor = NULL;
  list_options.status = "published";
  REQUIRE_OK(contentgen_generator_list(&page, generator, "ws-a", 4, &list_options));
  CHECK(contentgen_article_list_count(page) == 1);
  contentgen_article_list_free(page);
  page = NULL;

  /* images */
  REQUIRE_OK(contentgen_generator_upload_image(&image, generator, "ws-a", 4, article_id, CONTENTGEN_NUL_TERMINATED,
                                               support_png, support_png_size, "photo.png", CONTENTGEN_NUL_TERMINATED,
                                               NULL));
  snprintf(image_id, sizeof image_id, "%s", contentgen_image_id(image, NULL));
  CHECK_STR(contentgen_image_content_type(image, NULL), "image/png");
  CHECK_STR(contentgen_image_article_id(image, NULL), article_id);
  CHECK_STR(contentgen_image_original_filename(image, NULL), "photo.png");
  CHECK(contentgen_image_width(image) == 1 && contentgen_image_height(image) == 1);
  CHECK(contentgen_image_size_bytes(image) == (int64_t)support_png_size);
  CHECK(strlen(contentgen_image_sha256(image, NULL)) == 64);
  CHECK(strncmp(contentgen_image_url(image, NULL), "file://", 7) == 0);
  CHECK(strstr(contentgen_image_storage_key(image, NULL), image_id) != NULL);
  contentgen_image_free(image);
  image = NULL;
  REQUIRE_OK(contentgen_generator_get(&fetched, generator, "ws-a", 4, article_id, CONTENTGEN_NUL_TERMINATED));
  CHECK(contentgen_article_image_count(fetched) == 1);
  CHECK_STR(contentgen_image_id(contentgen_article_image_at(fetched, 0), NULL), image_id);
  contentgen_image_free((contentgen_image *)contentgen_article_image_at(fetched, 0)); /* borrowed: a no-op */
  CHECK_STR(contentgen_image_id(contentgen_article_image_at(fetched, 0), NULL), image_id);
  contentgen_article_free(fetched);
  fetched = NULL;
  CHECK_OK(contentgen_generator_delete_image(generator, "ws-a", 4, article_id, 36, image_id, 36));
  CHECK_FAILS(contentgen_generator_delete_image(generator, "ws-a", 4, article_id, 36, image_id, 36),
              CONTENTGEN_E_NOT_FOUND, NULL);
  REQUIRE_OK(contentgen_generator_get(&fetched, generator, "ws-a", 4, article_id, 36));
  CHECK(contentgen_article_image_count(fetched) == 0);
  contentgen_article_free(fetched);
  fetched = NULL;

  /* spend: the workspace's ledger, exactly */
  {
    contentgen_spend_summary spend;
    CHECK_OK(contentgen_generator_spend(&spend, generator, "ws-a", 4, NULL));
    CHECK(spend.calls >= 1 && spend.total_nanousd >= contentgen_article_cost_nanousd(first));
    CHECK(spend.estimated_nanousd == 0 && spend.estimated_calls == 0);
    CHECK_OK(contentgen_generator_spend(&spend, generator, "ws-a", CONTENTGEN_NUL_TERMINATED, "2999-01-01T00:00:00Z"));
    CHECK(spend.calls == 0 && spend.total_nanousd == 0);
    CHECK_FAILS(contentgen_generator_spend(&spend, generator, "ws-a", 4, "soon"), CONTENTGEN_E_INVALID_ARGUMENT, "since");
    CHECK_FAILS(contentgen_generator_spend(NULL, generator, "ws-a", 4, NULL), CONTENTGEN_E_INVALID_ARGUMENT, "out");
  }

  /* events: everything so far goes to the JSONL file */
  CHECK_OK(contentgen_generator_relay_events(&delivered, &failed, generator));
  CHECK(failed == 0);
  CHECK(delivered >= 4 + 1 + 2); /* 4 generated, 1 updated, image uploaded + deleted */
  snprintf(events_path, sizeof events_path, "%s/events.jsonl", dir);
  CHECK(count_lines_with(events_path, "\"type\":\"article.generated\"") == 4);
  CHECK(count_lines_with(events_path, "\"type\":\"image.uploaded\"") == 1);
  CHECK_OK(contentgen_generator_relay_events(&delivered, NULL, generator));
  CHECK(delivered == 0);

  /* delete */
  CHECK_OK(contentgen_generator_delete(generator, "ws-a", 4, article_id, 36));
  CHECK_FAILS(contentgen_generator_get(&fetched, generator, "ws-a", 4, article_id, 36), CONTENTGEN_E_NOT_FOUND, NULL);
  CHECK(fetched == NULL);
  CHECK_FAILS(contentgen_generator_delete(generator, "ws-a", 4, article_id, 36), CONTENTGEN_E_NOT_FOUND, NULL);

  /* cost */
  usage.prompt_tokens = 1000;
  usage.cached_tokens = 0;
  usage.cache_write_tokens = 0;
  usage.completion_tokens = 500;
  usage.reasoning_tokens = 0;
  CHECK_OK(contentgen_cost(&nanos, "gpt-4o-mini", CONTENTGEN_NUL_TERMINATED, &usage));
  CHECK(nanos == 450000);
  nanos = 0;
  CHECK_OK(contentgen_generator_cost(&nanos, generator, "gpt-4o-mini-2024-07-18", CONTENTGEN_NUL_TERMINATED, &usage));
  CHECK(nanos == 450000);
  CHECK_OK(contentgen_prices_json(&json, &length, generator));
  CHECK(json != NULL && strstr(json, "\"gpt-4o-mini\"") != NULL);
  contentgen_free(json);

  contentgen_article_free(first);
  contentgen_article_free(second);
  contentgen_article_free(third);
  contentgen_generator_close(generator);
  if (!use_mock) CHECK(llm_state.frees == 1);
  free(config);
  free(llm_section);
  support_remove_tree(dir);
  free(dir);
  return check_finish(use_mock ? "capi_flow (mockllm)" : "capi_flow (scripted)");
}
