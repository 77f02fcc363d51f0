#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

char *support_temp_dir(const char *tag) {
  const char *base = getenv("TMPDIR");
  char *path = malloc(4096);
  if (path == NULL) return NULL;
  snprintf(path, 4096, "%s/contentgen-capi-%s-XXXXXX", base != NULL && *base != '\0' ? base : "/tmp", tag);
  if (mkdtemp(path) == NULL) {
    free(path);
    return NULL;
  }
  return path;
}

void support_remove_tree(const char *path) {
  char command[4200];
  if (path == NULL || strstr(path, "contentgen-capi-") == NULL || strchr(path, '\'') != NULL) return;
  snprintf(command, sizeof command, "rm -rf '%s'", path);
  if (system(command) != 0) fprintf(stderr, "could not remove %s\n", path);
}

char *support_config(const char *dir, const char *llm_section, const char *extra_sections) {
  size_t size = 4096 + (llm_section ? strlen(llm_section) : 0) + (extra_sections ? strlen(extra_sections) : 0);
  char *json = malloc(size);
  if (json == NULL) return NULL;
  snprintf(json, size,
           "{%s%s%s"
           "\"repository\": {\"url\": \"sqlite:%s/contentgen.db\", \"sqlite_synchronous\": \"NORMAL\"},"
           "\"images\": {\"kind\": \"filesystem\", \"root\": \"%s/images\", \"fsync\": false},"
           "\"events\": {\"kind\": \"jsonl\", \"path\": \"%s/events.jsonl\", \"fsync\": false}%s%s}",
           llm_section ? "\"llm\": " : "", llm_section ? llm_section : "", llm_section ? "," : "", dir, dir, dir,
           extra_sections ? "," : "", extra_sections ? extra_sections : "");
  return json;
}

char *support_mockllm_section(void) {
  const char *url = getenv("CONTENTGEN_TEST_MOCKLLM_URL");
  char *json;
  if (url == NULL || *url == '\0') return NULL;
  json = malloc(strlen(url) + 256);
  if (json == NULL) return NULL;
  sprintf(json, "{\"provider\": \"openai\", \"base_url\": \"%s\", \"auth\": \"none\", \"max_retries\": 0}", url);
  return json;
}

static int scripted_complete(void *payload, contentgen_llm_call *call) {
  scripted_llm *state = payload;
  size_t request_len = 0;
  const char *request = contentgen_llm_call_request_json(call, &request_len);
  contentgen_llm_response response = CONTENTGEN_LLM_RESPONSE_INIT;
  char *text;
  size_t used;
  int i;

  ++state->calls;
  snprintf(state->last_request, sizeof state->last_request, "%s", request);
  if (state->wait_for_cancel) {
    const struct timespec pause = {0, 1000000};
    for (i = 0; i < 10000 && !contentgen_llm_call_is_cancelled(call); ++i) nanosleep(&pause, NULL);
    if (contentgen_llm_call_is_cancelled(call)) return contentgen_error_set(CONTENTGEN_E_CANCELLED, "noticed the cancel");
  }
  if (state->fail_with != 0) return contentgen_error_set(state->fail_with, "scripted failure from C");

  text = malloc((size_t)state->words * 8 + 64);
  if (text == NULL) return contentgen_error_set(CONTENTGEN_E_INTERNAL, "out of memory in the test");
  used = (size_t)sprintf(text, "# Scripted Title\n\n");
  contentgen_llm_call_emit_delta(call, text, used);
  for (i = 0; i < state->words; ++i) {
    size_t start = used;
    used += (size_t)sprintf(text + used, "%s", (i % 12 == 11) ? "word.\n\n" : "word ");
    contentgen_llm_call_emit_delta(call, text + start, used - start);
  }
  response.text = text;
  response.text_len = used;
  response.finish_reason = "stop";
  response.request_id = "scripted-c";
  response.usage.prompt_tokens = state->prompt_tokens;
  response.usage.completion_tokens = state->completion_tokens;
  i = contentgen_llm_call_respond(call, &response);
  free(text);
  return i;
}

static void scripted_free(void *payload) {
  scripted_llm *state = payload;
  ++state->frees;
}

contentgen_llm_provider scripted_llm_vtable(scripted_llm *state) {
  contentgen_llm_provider vtable;
  vtable.version = CONTENTGEN_LLM_PROVIDER_VERSION;
  vtable.name = "scripted-c";
  vtable.complete = scripted_complete;
  vtable.free = scripted_free;
  vtable.payload = state;
  if (state->words == 0) state->words = 120;
  if (state->prompt_tokens == 0) state->prompt_tokens = 1000;
  if (state->completion_tokens == 0) state->completion_tokens = 500;
  return vtable;
}

const unsigned char support_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00,
    0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
const size_t support_png_size = sizeof support_png;

char *support_plan(const char *workspace, const char *title, const char *plan_id) {
  char *json = malloc(1024 + strlen(title));
  if (json == NULL) return NULL;
  if (plan_id != NULL) {
    sprintf(json,
            "{\"id\": \"%s\", \"workspace_id\": \"%s\", \"title\": \"%s\", \"target_keywords\": [\"c api\", "
            "\"testing\"], \"estimated_word_count\": 300, \"language\": \"en\", \"tone\": \"plain\"}",
            plan_id, workspace, title);
  } else {
    sprintf(json,
            "{\"workspace_id\": \"%s\", \"title\": \"%s\", \"target_keywords\": [\"c api\"], "
            "\"estimated_word_count\": 300}",
            workspace, title);
  }
  return json;
}

contentgen_article *support_generate(contentgen_generator *generator, const char *workspace, const char *title,
                                     const char *plan_id) {
  contentgen_article *article = NULL;
  char *plan = support_plan(workspace, title, plan_id);
  if (plan != NULL) contentgen_generator_generate(&article, generator, plan, CONTENTGEN_NUL_TERMINATED, NULL);
  free(plan);
  return article;
}
