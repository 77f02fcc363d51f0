/* Every error path of the C API: bad JSON, unknown or mistyped configuration keys, bad options,
 * unknown model, invalid plan, not found, another workspace, version conflict, NULL arguments,
 * provider failures with their code and message, and the last-error contract. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "support.h"

static void last_error_contract(void) {
  const contentgen_error *e;
  contentgen_error_clear();
  e = contentgen_error_last();
  REQUIRE(e != NULL);
  CHECK(e->code == CONTENTGEN_OK);
  CHECK_STR(e->code_name, "ok");
  CHECK(e->message != NULL && e->field != NULL && e->provider != NULL && e->provider_code != NULL &&
        e->provider_type != NULL && e->request_id != NULL);
  CHECK(e->retry_after_ms == -1);

  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_INVALID_ARGUMENT), "invalid_argument");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_NOT_FOUND), "not_found");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_CONFLICT), "conflict");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_UNAUTHORIZED), "unauthorized");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_RATE_LIMITED), "rate_limited");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_UPSTREAM), "upstream");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_TIMEOUT), "timeout");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_BUDGET_EXCEEDED), "budget_exceeded");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_UNKNOWN_MODEL), "unknown_model");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_STORAGE), "storage");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_UNAVAILABLE), "unavailable");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_CANCELLED), "cancelled");
  CHECK_STR(contentgen_error_code_name(CONTENTGEN_E_INTERNAL), "internal");
  CHECK_STR(contentgen_error_code_name(99), "unknown");
  CHECK_STR(contentgen_error_code_name(-1), "unknown");

  CHECK(contentgen_error_set(CONTENTGEN_E_RATE_LIMITED, "slow down") == CONTENTGEN_E_RATE_LIMITED);
  e = contentgen_error_last();
  CHECK(e->code == CONTENTGEN_E_RATE_LIMITED);
  CHECK_STR(e->message, "slow down");
  CHECK(e->retryable == 1);
  contentgen_error_set(CONTENTGEN_E_NOT_FOUND, NULL);
  CHECK_STR(contentgen_error_last()->message, "not_found");
  CHECK(contentgen_error_last()->retryable == 0);
}

static void configuration_errors(void) {
  contentgen_generator *generator = (contentgen_generator *)&generator; /* must be reset to NULL */
  const char *bad_json = "{\"llm\": {\"model\": }";
  CHECK_FAILS(contentgen_generator_open(&generator, bad_json, strlen(bad_json), NULL), CONTENTGEN_E_INVALID_ARGUMENT,
              "config");
  CHECK(generator == NULL);
  CHECK(strstr(contentgen_error_last()->message, "line 1") != NULL);
  CHECK_FAILS(contentgen_generator_open(&generator, "{\"llm\": {\"timout_s\": 5}}", CONTENTGEN_NUL_TERMINATED, NULL),
              CONTENTGEN_E_INVALID_ARGUMENT, "llm.timout_s");
  CHECK(strstr(contentgen_error_last()->message, "timeout_s") != NULL);
  CHECK_FAILS(contentgen_generator_open(&generator, "{\"repositry\": {}}", CONTENTGEN_NUL_TERMINATED, NULL),
              CONTENTGEN_E_INVALID_ARGUMENT, "repositry");
  CHECK_FAILS(contentgen_generator_open(&generator, "{\"llm\": {\"max_retries\": \"2\"}}", CONTENTGEN_NUL_TERMINATED,
                                       NULL),
              CONTENTGEN_E_INVALID_ARGUMENT, "llm.max_retries");
  CHECK_FAILS(contentgen_generator_open(&generator, "{\"images\": {\"kind\": \"ftp\"}}", CONTENTGEN_NUL_TERMINATED,
                                       NULL),
              CONTENTGEN_E_INVALID_ARGUMENT, "images.kind");
  CHECK_FAILS(contentgen_generator_open(&generator, "{}", 2, NULL), CONTENTGEN_E_INVALID_ARGUMENT, "llm.provider");
  CHECK_FAILS(contentgen_config_check("{\"events\": {\"kind\": \"jsonl\"}}", CONTENTGEN_NUL_TERMINATED),
              CONTENTGEN_E_INVALID_ARGUMENT, "events.path");
  CHECK_OK(contentgen_config_check("{\"llm\": {\"provider\": \"openai\", \"base_url\": \"http://127.0.0.1:9/v1\"}}",
                                   CONTENTGEN_NUL_TERMINATED));
  /* the length is honoured: only "{}" is read */
  CHECK_OK(contentgen_config_check("{}garbage", 2));
  CHECK_FAILS(contentgen_config_check(NULL, 5), CONTENTGEN_E_INVALID_ARGUMENT, "config");
  CHECK_FAILS(contentgen_generator_open(NULL, "{}", 2, NULL), CONTENTGEN_E_INVALID_ARGUMENT, "out");
  CHECK(contentgen_adapter_available("events", "none") == 1);
  CHECK(contentgen_adapter_available("events", "carrier-pigeon") == 0);
  CHECK(contentgen_adapter_available(NULL, "x") == 0);
}

static void vtable_errors(void) {
  scripted_llm state;
  contentgen_llm_provider llm;
  contentgen_open_options options = CONTENTGEN_OPEN_OPTIONS_INIT;
  contentgen_generator *generator = NULL;

  /* a vtable of an unknown version is refused -- and still released exactly once */
  memset(&state, 0, sizeof state);
  llm = scripted_llm_vtable(&state);
  llm.version = 99;
  options.llm = &llm;
  CHECK_FAILS(contentgen_generator_open(&generator, "{}", 2, &options), CONTENTGEN_E_INVALID_ARGUMENT,
              "llm_provider.version");
  CHECK(state.frees == 1);

  /* a configuration error after the port was handed over releases it too */
  memset(&state, 0, sizeof state);
  llm = scripted_llm_vtable(&state);
  CHECK_FAILS(contentgen_generator_open(&generator, "{\"bogus\": 1}", CONTENTGEN_NUL_TERMINATED, &options),
              CONTENTGEN_E_INVALID_ARGUMENT, "bogus");
  CHECK(state.frees == 1);

  /* the provider both configured and supplied */
  memset(&state, 0, sizeof state);
  llm = scripted_llm_vtable(&state);
  CHECK_FAILS(contentgen_generator_open(&generator,
                                        "{\"llm\": {\"provider\": \"openai\", \"base_url\": \"http://127.0.0.1:9/v1\"}, "
                                        "\"repository\": {\"url\": \"sqlite::memory:\"}}",
                                        CONTENTGEN_NUL_TERMINATED, &options),
              CONTENTGEN_E_INVALID_ARGUMENT, "llm.provider");
  CHECK(state.frees == 1);

  /* options of an unknown version */
  options.version = 0;
  CHECK_FAILS(contentgen_generator_open(&generator, "{}", 2, &options), CONTENTGEN_E_INVALID_ARGUMENT,
              "options.version");
}

static void operation_errors(const char *dir) {
  scripted_llm state;
  contentgen_llm_provider llm;
  contentgen_open_options options = CONTENTGEN_OPEN_OPTIONS_INIT;
  contentgen_generate_options generate_options = CONTENTGEN_GENERATE_OPTIONS_INIT;
  contentgen_list_options list_options = CONTENTGEN_LIST_OPTIONS_INIT;
  contentgen_generator *generator = NULL;
  contentgen_article *article = NULL, *other = NULL;
  contentgen_article_list *list = NULL;
  contentgen_image *image = NULL;
  contentgen_usage usage = CONTENTGEN_USAGE_INIT;
  int64_t nanos = 7;
  char *config = support_config(dir, NULL, NULL);
  char *plan = support_plan("ws-1", "Errors", NULL);
  char id[64];
  size_t delivered = 0;

  memset(&state, 0, sizeof state);
  llm = scripted_llm_vtable(&state);
  options.llm = &llm;
  REQUIRE_OK(contentgen_generator_open(&generator, config, CONTENTGEN_NUL_TERMINATED, &options));

  /* invalid plans */
  CHECK_FAILS(contentgen_generator_generate(&article, generator, "{\"workspace_id\": \"w\", \"titel\": \"x\"}",
                                            CONTENTGEN_NUL_TERMINATED, NULL),
              CONTENTGEN_E_INVALID_ARGUMENT, "plan.titel");
  CHECK_FAILS(contentgen_generator_generate(&article, generator, "{\"workspace_id\": \"w\"}", CONTENTGEN_NUL_TERMINATED,
                                            NULL),
              CONTENTGEN_E_INVALID_ARGUMENT, "plan.title");
  CHECK_FAILS(contentgen_generator_generate(&article, generator, "[}", 2, NULL), CONTENTGEN_E_INVALID_ARGUMENT, "plan");
  CHECK_FAILS(contentgen_generator_generate(&article, NULL, plan, CONTENTGEN_NUL_TERMINATED, NULL),
              CONTENTGEN_E_INVALID_ARGUMENT, "generator");
  CHECK(state.calls == 0);

  /* unknown model: never $0 */
  generate_options.model = "no-such-model-anywhere";
  CHECK_FAILS(contentgen_generator_generate(&article, generator, plan, CONTENTGEN_NUL_TERMINATED, &generate_options),
              CONTENTGEN_E_UNKNOWN_MODEL, NULL);
  CHECK(article == NULL);
  usage.prompt_tokens = 10;
  CHECK_FAILS(contentgen_cost(&nanos, "no-such-model-anywhere", CONTENTGEN_NUL_TERMINATED, &usage),
              CONTENTGEN_E_UNKNOWN_MODEL, NULL);
  CHECK(nanos == 0);
  usage.cached_tokens = 11; /* more cached than prompt tokens */
  CHECK_FAILS(contentgen_cost(&nanos, "gpt-4o-mini", CONTENTGEN_NUL_TERMINATED, &usage),
              CONTENTGEN_E_INVALID_ARGUMENT, NULL);
  usage.version = 0;
  CHECK_FAILS(contentgen_cost(&nanos, "gpt-4o-mini", CONTENTGEN_NUL_TERMINATED, &usage),
              CONTENTGEN_E_INVALID_ARGUMENT, "usage.version");
  generate_options.model = NULL;
  generate_options.temperature = NAN; /* not "the default" (< 0): a bad value */
  CHECK_FAILS(contentgen_generator_generate(&article, generator, plan, CONTENTGEN_NUL_TERMINATED, &generate_options),
              CONTENTGEN_E_INVALID_ARGUMENT, "options.temperature");
  generate_options.temperature = 2.5;
  CHECK_FAILS(contentgen_generator_generate(&article, generator, plan, CONTENTGEN_NUL_TERMINATED, &generate_options),
              CONTENTGEN_E_INVALID_ARGUMENT, "options.temperature");
  generate_options.temperature = -1.0;
  generate_options.version = 42;
  CHECK_FAILS(contentgen_generator_generate(&article, generator, plan, CONTENTGEN_NUL_TERMINATED, &generate_options),
              CONTENTGEN_E_INVALID_ARGUMENT, "options.version");

  /* provider failures keep their code and message */
  state.fail_with = CONTENTGEN_E_RATE_LIMITED;
  CHECK_FAILS(contentgen_generator_generate(&article, generator, plan, CONTENTGEN_NUL_TERMINATED, NULL),
              CONTENTGEN_E_RATE_LIMITED, NULL);
  CHECK(strstr(contentgen_error_last()->message, "scripted failure from C") != NULL);
  CHECK(contentgen_error_last()->retryable == 1);
  state.fail_with = 1234; /* not a contentgen code */
  CHECK_FAILS(contentgen_generator_generate(&article, generator, plan, CONTENTGEN_NUL_TERMINATED, NULL),
              CONTENTGEN_E_INTERNAL, NULL);
  state.fail_with = 0;

  REQUIRE_OK(contentgen_generator_generate(&article, generator, plan, CONTENTGEN_NUL_TERMINATED, NULL));
  snprintf(id, sizeof id, "%s", contentgen_article_id(article, NULL));

  /* not found, and another workspace behaves exactly like not found */
  CHECK_FAILS(contentgen_generator_get(&other, generator, "ws-1", 4, "00000000-0000-7000-8000-000000000000",
                                       CONTENTGEN_NUL_TERMINATED),
              CONTENTGEN_E_NOT_FOUND, NULL);
  CHECK_FAILS(contentgen_generator_get(&other, generator, "ws-2", 4, id, CONTENTGEN_NUL_TERMINATED),
              CONTENTGEN_E_NOT_FOUND, NULL);
  CHECK(other == NULL);
  CHECK_FAILS(contentgen_generator_update(&other, generator, "ws-2", 4, id, 36, "{\"title\": \"x\"}",
                                          CONTENTGEN_NUL_TERMINATED, 1),
              CONTENTGEN_E_NOT_FOUND, NULL);
  CHECK_FAILS(contentgen_generator_delete(generator, "ws-2", 4, id, 36), CONTENTGEN_E_NOT_FOUND, NULL);
  CHECK_FAILS(contentgen_generator_upload_image(&image, generator, "ws-2", 4, id, 36, support_png, support_png_size,
                                                "a.png", 5, NULL),
              CONTENTGEN_E_NOT_FOUND, NULL);

  /* version conflict */
  CHECK_FAILS(contentgen_generator_update(&other, generator, "ws-1", 4, id, 36, "{\"title\": \"x\"}",
                                          CONTENTGEN_NUL_TERMINATED, 5),
              CONTENTGEN_E_CONFLICT, NULL);
  CHECK_FAILS(contentgen_generator_update(&other, generator, "ws-1", 4, id, 36, "{\"status\": \"gone\"}",
                                          CONTENTGEN_NUL_TERMINATED, 1),
              CONTENTGEN_E_INVALID_ARGUMENT, "update.status");

  /* images that are not images */
  CHECK_FAILS(contentgen_generator_upload_image(&image, generator, "ws-1", 4, id, 36, "plain text, not an image", 24,
                                                "x.png", 5, NULL),
              CONTENTGEN_E_INVALID_ARGUMENT, NULL);
  {
    contentgen_image_options image_options = CONTENTGEN_IMAGE_OPTIONS_INIT;
    image_options.declared_content_type = "image/jpeg"; /* but the bytes are a PNG */
    CHECK_FAILS(contentgen_generator_upload_image(&image, generator, "ws-1", 4, id, 36, support_png, support_png_size,
                                                  "x.jpg", 5, &image_options),
                CONTENTGEN_E_INVALID_ARGUMENT, NULL);
  }
  CHECK(image == NULL);

  /* list options */
  list_options.status = "deleted";
  CHECK_FAILS(contentgen_generator_list(&list, generator, "ws-1", 4, &list_options), CONTENTGEN_E_INVALID_ARGUMENT,
              "status");
  list_options.status = NULL;
  list_options.cursor = "not-a-cursor";
  CHECK_FAILS(contentgen_generator_list(&list, generator, "ws-1", 4, &list_options), CONTENTGEN_E_INVALID_ARGUMENT,
              "cursor");
  list_options.cursor = NULL;
  list_options.limit = 1000;
  CHECK_FAILS(contentgen_generator_list(&list, generator, "ws-1", 4, &list_options), CONTENTGEN_E_INVALID_ARGUMENT,
              "limit");
  CHECK(list == NULL);

  /* text with a NULL pointer but a length */
  CHECK_FAILS(contentgen_generator_get(&other, generator, NULL, 4, id, 36), CONTENTGEN_E_INVALID_ARGUMENT,
              "workspace_id");

  contentgen_article_free(article);
  contentgen_generator_close(generator);
  CHECK(state.frees == 1);

  /* relay without a sink */
  memset(&state, 0, sizeof state);
  llm = scripted_llm_vtable(&state);
  free(config);
  config = malloc(strlen(dir) + 128);
  sprintf(config, "{\"repository\": {\"url\": \"sqlite:%s/other.db\"}}", dir);
  REQUIRE_OK(contentgen_generator_open(&generator, config, CONTENTGEN_NUL_TERMINATED, &options));
  CHECK_FAILS(contentgen_generator_relay_events(&delivered, NULL, generator), CONTENTGEN_E_INVALID_ARGUMENT,
              "events.kind");
  /* no image store configured: uploads fail (how is the generator's business), nothing is stored */
  REQUIRE_OK(contentgen_generator_generate(&article, generator, plan, CONTENTGEN_NUL_TERMINATED, NULL));
  CHECK(contentgen_generator_upload_image(&image, generator, "ws-1", 4, contentgen_article_id(article, NULL), 36,
                                          support_png, support_png_size, "a.png", 5, NULL) != CONTENTGEN_OK);
  CHECK(image == NULL);
  contentgen_article_free(article);
  contentgen_generator_close(generator);
  CHECK(state.frees == 1);

  /* NULL is fine for every release function */
  contentgen_generator_close(NULL);
  contentgen_article_free(NULL);
  contentgen_article_list_free(NULL);
  contentgen_image_free(NULL);
  contentgen_cancellation_free(NULL);
  contentgen_free(NULL);
  CHECK(contentgen_article_version(NULL) == 0);
  CHECK_STR(contentgen_article_title(NULL, NULL), "");
  CHECK(contentgen_article_list_count(NULL) == 0);

  free(plan);
  free(config);
}

int main(void) {
  char *dir = support_temp_dir("errors");
  REQUIRE(dir != NULL);
  last_error_contract();
  configuration_errors();
  vtable_errors();
  operation_errors(dir);
  support_remove_tree(dir);
  free(dir);
  return check_finish("capi_errors");
}
