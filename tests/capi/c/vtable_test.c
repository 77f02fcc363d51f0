/* Custom ports written in C through the vtables: an LLM provider (request JSON, streaming,
 * cancellation from another thread, deadline), an image store and an event sink; every payload is
 * released exactly once. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "support.h"

/* ---- an image store in C: a small table of key -> bytes ---- */
#define MAX_OBJECTS 16
typedef struct memory_store {
  char *keys[MAX_OBJECTS];
  unsigned char *data[MAX_OBJECTS];
  size_t sizes[MAX_OBJECTS];
  char last_content_type[64];
  int puts, removes, frees;
} memory_store;

static int find_key(memory_store *store, const char *key) {
  int i;
  for (i = 0; i < MAX_OBJECTS; ++i)
    if (store->keys[i] != NULL && strcmp(store->keys[i], key) == 0) return i;
  return -1;
}

static int store_put(void *payload, const char *key, size_t key_len, const void *data, size_t size,
                     const char *content_type) {
  memory_store *store = payload;
  int slot = find_key(store, key), i;
  if (strlen(key) != key_len) return contentgen_error_set(CONTENTGEN_E_INTERNAL, "key is not NUL-terminated");
  for (i = 0; slot < 0 && i < MAX_OBJECTS; ++i)
    if (store->keys[i] == NULL) slot = i;
  if (slot < 0) return contentgen_error_set(CONTENTGEN_E_STORAGE, "the test store is full");
  free(store->keys[slot]);
  free(store->data[slot]);
  store->keys[slot] = malloc(key_len + 1);
  memcpy(store->keys[slot], key, key_len + 1);
  store->data[slot] = malloc(size ? size : 1);
  memcpy(store->data[slot], data, size);
  store->sizes[slot] = size;
  snprintf(store->last_content_type, sizeof store->last_content_type, "%s", content_type);
  ++store->puts;
  return CONTENTGEN_OK;
}

static int store_get(void *payload, const char *key, size_t key_len, contentgen_buffer *out) {
  memory_store *store = payload;
  int slot = find_key(store, key);
  (void)key_len;
  if (slot < 0) return contentgen_error_set(CONTENTGEN_E_NOT_FOUND, "no such object in the test store");
  return contentgen_buffer_append(out, store->data[slot], store->sizes[slot]);
}

static int store_remove(void *payload, const char *key, size_t key_len) {
  memory_store *store = payload;
  int slot = find_key(store, key);
  (void)key_len;
  ++store->removes;
  if (slot >= 0) {
    free(store->keys[slot]);
    free(store->data[slot]);
    store->keys[slot] = NULL;
    store->data[slot] = NULL;
  }
  return CONTENTGEN_OK;
}

static int store_url_for(void *payload, const char *key, size_t key_len, contentgen_buffer *out) {
  (void)payload;
  contentgen_buffer_append(out, "mem://test/", 11);
  return contentgen_buffer_append(out, key, key_len);
}

static void store_free(void *payload) {
  memory_store *store = payload;
  int i;
  for (i = 0; i < MAX_OBJECTS; ++i) {
    free(store->keys[i]);
    free(store->data[i]);
    store->keys[i] = NULL;
    store->data[i] = NULL;
  }
  ++store->frees;
}

/* ---- an event sink in C ---- */
typedef struct recording_sink {
  int published, frees, fail_next;
  char last[4096];
} recording_sink;

static int sink_publish(void *payload, const char *json, size_t len) {
  recording_sink *sink = payload;
  if (sink->fail_next) {
    sink->fail_next = 0;
    return contentgen_error_set(CONTENTGEN_E_UNAVAILABLE, "the test broker is down");
  }
  if (strlen(json) != len) return contentgen_error_set(CONTENTGEN_E_INTERNAL, "event is not NUL-terminated");
  snprintf(sink->last, sizeof sink->last, "%s", json);
  ++sink->published;
  return CONTENTGEN_OK;
}

static void sink_free(void *payload) { ++((recording_sink *)payload)->frees; }

/* ---- cancellation from another thread ---- */
typedef struct generate_job {
  contentgen_generator *generator;
  const char *plan;
  contentgen_generate_options *options;
  int result;
  contentgen_error_code last_code;
} generate_job;

static void *run_generate(void *arg) {
  generate_job *job = arg;
  contentgen_article *article = NULL;
  job->result = contentgen_generator_generate(&article, job->generator, job->plan, CONTENTGEN_NUL_TERMINATED,
                                              job->options);
  job->last_code = (contentgen_error_code)contentgen_error_last()->code;
  contentgen_article_free(article);
  return NULL;
}

typedef struct text_sink {
  char text[65536];
  size_t len;
} text_sink;

static void collect(void *payload, const char *text, size_t len) {
  text_sink *sink = payload;
  if (sink->len + len < sizeof sink->text) {
    memcpy(sink->text + sink->len, text, len);
    sink->len += len;
    sink->text[sink->len] = '\0';
  }
}

int main(void) {
  scripted_llm llm_state;
  memory_store store;
  recording_sink sink;
  contentgen_llm_provider llm;
  contentgen_image_store store_vtable;
  contentgen_event_sink sink_vtable;
  contentgen_open_options options = CONTENTGEN_OPEN_OPTIONS_INIT;
  contentgen_generate_options generate_options;
  contentgen_generator *generator = NULL;
  contentgen_article *article = NULL, *fetched = NULL;
  contentgen_image *image = NULL;
  contentgen_cancellation *cancellation = NULL;
  text_sink streamed;
  char *dir = support_temp_dir("vtable"), *config, *plan, key[512];
  size_t delivered = 0, failed = 0, content_len = 0;
  const char *content;
  pthread_t thread;
  generate_job job;
  const struct timespec pause = {0, 50 * 1000000};

  REQUIRE(dir != NULL);
  memset(&llm_state, 0, sizeof llm_state);
  memset(&store, 0, sizeof store);
  memset(&sink, 0, sizeof sink);
  memset(&streamed, 0, sizeof streamed);
  llm = scripted_llm_vtable(&llm_state);
  store_vtable.version = CONTENTGEN_IMAGE_STORE_VERSION;
  store_vtable.put = store_put;
  store_vtable.get = store_get;
  store_vtable.remove = store_remove;
  store_vtable.url_for = store_url_for;
  store_vtable.free = store_free;
  store_vtable.payload = &store;
  sink_vtable.version = CONTENTGEN_EVENT_SINK_VERSION;
  sink_vtable.publish = sink_publish;
  sink_vtable.free = sink_free;
  sink_vtable.payload = &sink;
  contentgen_open_options_init(&options);
  options.llm = &llm;
  options.images = &store_vtable;
  options.events = &sink_vtable;

  config = malloc(strlen(dir) + 512);
  sprintf(config,
          "{\"llm\": {\"model\": \"gpt-4o\", \"temperature\": 0.25, \"max_tokens\": 777},"
          " \"repository\": {\"url\": \"sqlite:%s/db.sqlite\"},"
          " \"events\": {\"source\": \"contentgen://test/vtable\"}}",
          dir);
  REQUIRE_OK(contentgen_generator_open(&generator, config, CONTENTGEN_NUL_TERMINATED, &options));

  /* the LLM vtable sees the request as JSON, and streams */
  plan = support_plan("ws-v", "Vtables in C", NULL);
  contentgen_generate_options_init(&generate_options);
  generate_options.on_delta = collect;
  generate_options.on_delta_payload = &streamed;
  REQUIRE_OK(contentgen_generator_generate(&article, generator, plan, CONTENTGEN_NUL_TERMINATED, &generate_options));
  CHECK(llm_state.calls == 1);
  CHECK(strstr(llm_state.last_request, "\"model\":\"gpt-4o\"") != NULL);
  CHECK(strstr(llm_state.last_request, "\"temperature\":2.5E-1") != NULL ||
        strstr(llm_state.last_request, "\"temperature\":0.25") != NULL);
  CHECK(strstr(llm_state.last_request, "\"max_tokens\":777") != NULL);
  CHECK(strstr(llm_state.last_request, "\"role\":\"system\"") != NULL);
  CHECK(strstr(llm_state.last_request, "\"role\":\"user\"") != NULL);
  CHECK(strstr(llm_state.last_request, "\"stream\":true") != NULL);
  CHECK_STR(contentgen_article_provider(article, NULL), "scripted-c");
  CHECK_STR(contentgen_article_model(article, NULL), "gpt-4o");
  content = contentgen_article_content(article, &content_len);
  CHECK(streamed.len > 0);
  CHECK(strncmp(streamed.text, "# Scripted Title", 16) == 0);
  CHECK(strstr(streamed.text, "word word") != NULL);
  CHECK(content_len > 0 && strstr(content, "word word") != NULL);
  /* 1000 prompt tokens at $2.50/M + 500 completion tokens at $10/M = $0.0075 */
  CHECK(contentgen_article_cost_nanousd(article) == 7500000);

  /* a request without streaming says so */
  fetched = support_generate(generator, "ws-v", "No stream", NULL);
  CHECK(fetched != NULL);
  contentgen_article_free(fetched);
  CHECK(strstr(llm_state.last_request, "\"stream\":false") != NULL);

  /* the image store vtable */
  REQUIRE_OK(contentgen_generator_upload_image(&image, generator, "ws-v", 4, contentgen_article_id(article, NULL),
                                               CONTENTGEN_NUL_TERMINATED, support_png, support_png_size, "p.png",
                                               CONTENTGEN_NUL_TERMINATED, NULL));
  CHECK(store.puts == 1);
  CHECK_STR(store.last_content_type, "image/png");
  snprintf(key, sizeof key, "%s", contentgen_image_storage_key(image, NULL));
  CHECK(find_key(&store, key) >= 0);
  CHECK(strncmp(contentgen_image_url(image, NULL), "mem://test/workspaces/ws-v/articles/", 36) == 0);
  REQUIRE_OK(contentgen_generator_get(&fetched, generator, "ws-v", 4, contentgen_article_id(article, NULL),
                                      CONTENTGEN_NUL_TERMINATED));
  CHECK(contentgen_article_image_count(fetched) == 1);
  contentgen_article_free(fetched);
  CHECK_OK(contentgen_generator_delete_image(generator, "ws-v", 4, contentgen_article_id(article, NULL), 36,
                                            contentgen_image_id(image, NULL), CONTENTGEN_NUL_TERMINATED));
  CHECK(find_key(&store, key) < 0);
  contentgen_image_free(image);

  /* the event sink vtable: CloudEvents JSON with the configured source; failures are retried later */
  sink.fail_next = 1;
  CHECK_OK(contentgen_generator_relay_events(&delivered, &failed, generator));
  CHECK(failed == 1);
  CHECK(sink.published == (int)delivered);
  CHECK(strstr(sink.last, "\"specversion\":\"1.0\"") != NULL);
  CHECK(strstr(sink.last, "\"source\":\"contentgen://test/vtable\"") != NULL);

  /* cancellation from another thread */
  llm_state.wait_for_cancel = 1;
  REQUIRE_OK(contentgen_cancellation_new(&cancellation));
  contentgen_generate_options_init(&generate_options);
  generate_options.cancellation = cancellation;
  job.generator = generator;
  job.plan = plan;
  job.options = &generate_options;
  job.result = -1;
  REQUIRE(pthread_create(&thread, NULL, run_generate, &job) == 0);
  nanosleep(&pause, NULL);
  CHECK(contentgen_cancellation_is_cancelled(cancellation) == 0);
  contentgen_cancellation_cancel(cancellation);
  contentgen_cancellation_cancel(cancellation); /* idempotent */
  CHECK(contentgen_cancellation_is_cancelled(cancellation) == 1);
  pthread_join(thread, NULL);
  CHECK(job.result == CONTENTGEN_E_CANCELLED);
  CHECK(job.last_code == CONTENTGEN_E_CANCELLED);
  contentgen_cancellation_free(cancellation);

  /* a deadline: the provider sees is_cancelled() once it passed; the caller gets TIMEOUT */
  contentgen_generate_options_init(&generate_options);
  generate_options.timeout_ms = 100;
  CHECK_FAILS(contentgen_generator_generate(&fetched, generator, plan, CONTENTGEN_NUL_TERMINATED, &generate_options),
              CONTENTGEN_E_TIMEOUT, NULL);
  llm_state.wait_for_cancel = 0;

  /* a timeout too long for the clock is no deadline at all, not one that already passed */
  generate_options.timeout_ms = INT64_MAX;
  free(plan);
  plan = support_plan("ws-v", "Forever", NULL);
  REQUIRE_OK(contentgen_generator_generate(&fetched, generator, plan, CONTENTGEN_NUL_TERMINATED, &generate_options));
  CHECK(strstr(llm_state.last_request, "\"timeout_ms\"") == NULL);
  contentgen_article_free(fetched);

  contentgen_article_free(article);
  contentgen_generator_close(generator);
  CHECK(llm_state.frees == 1);
  CHECK(store.frees == 1);
  CHECK(sink.frees == 1);

  free(plan);
  free(config);
  support_remove_tree(dir);
  free(dir);
  return check_finish("capi_vtable");
}
