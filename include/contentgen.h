/*
 * contentgen.h -- the stable C API of libcontentgen (C99; also compiles as C++).
 *
 * libcontentgen turns a content plan into an SEO article written by an LLM, tracks exactly what
 * it cost (integer nano-USD), stores the article and its images, and announces it with an
 * `article.generated` event. This header is the whole C ABI; docs/c-api.md is its guide.
 *
 * Conventions (after libgit2, SQLite, DuckDB):
 *  - Every exported name starts with contentgen_ / CONTENTGEN_.
 *  - Functions that can fail return an int: CONTENTGEN_OK (0) or a CONTENTGEN_E_* code. Details of
 *    the failure are in contentgen_error_last(), per thread.
 *  - Out-parameters come first and are named out*. On failure they are set to NULL / 0.
 *  - Objects are opaque handles. Each kind has exactly one release function, which accepts NULL.
 *  - Text is UTF-8. Text going in is (pointer, length); a length of CONTENTGEN_NUL_TERMINATED means
 *    "up to the first NUL". Text coming out is NUL-terminated and, where useful, its length is
 *    reported too (it may contain no NUL before the end; lengths count bytes).
 *  - Strings and buffers the library allocates for the caller (char **out) are released with
 *    contentgen_free(). Strings returned as `const char *` are borrowed from a handle and live as
 *    long as it does. Never mix allocators.
 *  - Options structs start with `unsigned int version`; initialise them with the _INIT macro or the
 *    _init() function, then set the fields you need. A NULL options pointer means all defaults.
 *  - No C++ exception ever crosses this boundary.
 *
 * Threading: a contentgen_generator may be used from several threads at once (except that
 * contentgen_generator_close must not race with other calls on it). Article, image and list handles
 * are immutable and may be read concurrently. The last error is thread-local.
 */
#ifndef CONTENTGEN_H
#define CONTENTGEN_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define CONTENTGEN_EXTERN
#elif defined(__GNUC__) || defined(__clang__)
#define CONTENTGEN_EXTERN __attribute__((visibility("default")))
#else
#define CONTENTGEN_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions. The ABI is stable within a major version; while it is 0, within a minor version
 * (SONAME libcontentgen.so.0.1 for 0.1.x).
 * ------------------------------------------------------------------------------------------- */
#define CONTENTGEN_VERSION_MAJOR 0
#define CONTENTGEN_VERSION_MINOR 1
#define CONTENTGEN_VERSION_PATCH 0
#define CONTENTGEN_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, e.g. 100 for 0.1.0. */
#define CONTENTGEN_VERSION_NUMBER \
  (CONTENTGEN_VERSION_MAJOR * 10000 + CONTENTGEN_VERSION_MINOR * 100 + CONTENTGEN_VERSION_PATCH)

/* The version of the library actually loaded (compare with CONTENTGEN_VERSION_NUMBER). */
CONTENTGEN_EXTERN unsigned int contentgen_version_number(void);
/* "0.1.0"; static storage, never NULL. */
CONTENTGEN_EXTERN const char *contentgen_version_string(void);

/* ---------------------------------------------------------------------------------------------
 * Errors. Codes map 1:1 onto the C++ contentgen::ErrorCode (same numbers); they never change.
 *
 *   code                              C++ ErrorCode      typical cause
 *   CONTENTGEN_OK                 0   -                  success
 *   CONTENTGEN_E_INVALID_ARGUMENT 1   invalid_argument   bad input; `field` names it ("llm.timeout_s")
 *   CONTENTGEN_E_NOT_FOUND        2   not_found          missing id, or another workspace's id
 *   CONTENTGEN_E_CONFLICT         3   conflict           stale expected version, duplicate
 *   CONTENTGEN_E_UNAUTHORIZED     4   unauthorized       credentials refused by a provider/store
 *   CONTENTGEN_E_RATE_LIMITED     5   rate_limited       429; see retry_after_ms
 *   CONTENTGEN_E_UPSTREAM         6   upstream           provider/server failure, malformed reply
 *   CONTENTGEN_E_TIMEOUT          7   timeout            a deadline passed
 *   CONTENTGEN_E_BUDGET_EXCEEDED  8   budget_exceeded    the workspace's spending limit
 *   CONTENTGEN_E_UNKNOWN_MODEL    9   unknown_model      no price for the model (never $0)
 *   CONTENTGEN_E_STORAGE         10   storage            database or object store failed
 *   CONTENTGEN_E_UNAVAILABLE     11   unavailable        a dependency is down; retry later
 *   CONTENTGEN_E_CANCELLED       12   cancelled          the caller cancelled
 *   CONTENTGEN_E_INTERNAL        13   internal           a bug in libcontentgen (or out of memory)
 * ------------------------------------------------------------------------------------------- */
typedef enum contentgen_error_code {
  CONTENTGEN_OK = 0,
  CONTENTGEN_E_INVALID_ARGUMENT = 1,
  CONTENTGEN_E_NOT_FOUND = 2,
  CONTENTGEN_E_CONFLICT = 3,
  CONTENTGEN_E_UNAUTHORIZED = 4,
  CONTENTGEN_E_RATE_LIMITED = 5,
  CONTENTGEN_E_UPSTREAM = 6,
  CONTENTGEN_E_TIMEOUT = 7,
  CONTENTGEN_E_BUDGET_EXCEEDED = 8,
  CONTENTGEN_E_UNKNOWN_MODEL = 9,
  CONTENTGEN_E_STORAGE = 10,
  CONTENTGEN_E_UNAVAILABLE = 11,
  CONTENTGEN_E_CANCELLED = 12,
  CONTENTGEN_E_INTERNAL = 13
} contentgen_error_code;

/* The details of the last failure on this thread. Every string is non-NULL ("" when absent). The
 * library owns it; it stays valid until the next failing call (or contentgen_error_set/clear) on
 * the same thread. Fields may be appended in later versions, never removed or reordered. */
typedef struct contentgen_error {
  int code;                    /* CONTENTGEN_E_*, or CONTENTGEN_OK when there was no error */
  const char *code_name;       /* "invalid_argument", ..., "ok" */
  const char *message;         /* human-readable; never contains secrets */
  const char *field;           /* invalid_argument: dotted name of the bad field */
  int http_status;             /* status of the upstream reply, 0 when none */
  const char *provider;        /* "openai", "anthropic", "s3", "amqp", ... */
  const char *provider_type;   /* provider's error type, e.g. "invalid_request_error" */
  const char *provider_code;   /* provider's error code, e.g. "insufficient_quota" */
  const char *request_id;      /* upstream request id, for support tickets */
  int64_t retry_after_ms;      /* -1 when the server did not say */
  int retryable;               /* 1 when retrying later can succeed */
} contentgen_error;

/* Never NULL: with no error recorded on this thread, a struct with code CONTENTGEN_OK. */
CONTENTGEN_EXTERN const contentgen_error *contentgen_error_last(void);
CONTENTGEN_EXTERN void contentgen_error_clear(void);
/* "invalid_argument", ... for a code; "ok" for 0; "unknown" otherwise. Static, never NULL. */
CONTENTGEN_EXTERN const char *contentgen_error_code_name(int code);
/* For custom ports (below): records an error on this thread before a callback returns `code`.
 * `message` may be NULL. Returns `code`. */
CONTENTGEN_EXTERN int contentgen_error_set(int code, const char *message);

/* ---------------------------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------------------------- */
/* Releases a string or buffer the library allocated (every `char **out`). NULL is a no-op. */
CONTENTGEN_EXTERN void contentgen_free(void *ptr);

/* Length value meaning "the text is NUL-terminated". */
#define CONTENTGEN_NUL_TERMINATED ((size_t)-1)

/* ---------------------------------------------------------------------------------------------
 * Token usage (plain data). prompt_tokens INCLUDES cached and cache-write tokens; completion_tokens
 * INCLUDES reasoning tokens (see docs/architecture.md#cost).
 * ------------------------------------------------------------------------------------------- */
#define CONTENTGEN_USAGE_VERSION 1
typedef struct contentgen_usage {
  unsigned int version;        /* CONTENTGEN_USAGE_VERSION */
  int64_t prompt_tokens;
  int64_t cached_tokens;
  int64_t cache_write_tokens;
  int64_t completion_tokens;
  int64_t reasoning_tokens;
  int estimated;               /* 1: estimated by the library, 0: billed figures */
} contentgen_usage;
#define CONTENTGEN_USAGE_INIT {CONTENTGEN_USAGE_VERSION, 0, 0, 0, 0, 0, 0}
CONTENTGEN_EXTERN void contentgen_usage_init(contentgen_usage *usage);

/* ---------------------------------------------------------------------------------------------
 * Cancellation: a handle another thread can trip to abort a running generate.
 * ------------------------------------------------------------------------------------------- */
typedef struct contentgen_cancellation contentgen_cancellation;
CONTENTGEN_EXTERN int contentgen_cancellation_new(contentgen_cancellation **out);
/* Thread-safe and idempotent. The generate it was passed to fails with CONTENTGEN_E_CANCELLED. */
CONTENTGEN_EXTERN void contentgen_cancellation_cancel(contentgen_cancellation *cancellation);
CONTENTGEN_EXTERN int contentgen_cancellation_is_cancelled(const contentgen_cancellation *cancellation);
/* Must not be freed while a generate using it is running. */
CONTENTGEN_EXTERN void contentgen_cancellation_free(contentgen_cancellation *cancellation);

/* ---------------------------------------------------------------------------------------------
 * Custom ports: implement an LLM provider, an image store or an event sink in the host language.
 * Each is a versioned vtable: `version` first, function pointers, `payload` last (passed back to
 * every function), and a required `free` that releases the payload. Callbacks return CONTENTGEN_OK
 * or a CONTENTGEN_E_* code, optionally after contentgen_error_set() to give the message. They may
 * be called from any thread that uses the generator, concurrently, and must not unwind (longjmp,
 * C++ exceptions) through the library.
 * ------------------------------------------------------------------------------------------- */

/* A byte sink the library hands to a callback to receive data. */
typedef struct contentgen_buffer contentgen_buffer;
CONTENTGEN_EXTERN int contentgen_buffer_append(contentgen_buffer *buffer, const void *data, size_t size);

/* One LLM call in progress; valid only during the `complete` callback it was passed to. */
typedef struct contentgen_llm_call contentgen_llm_call;

/* The request as JSON: {"model", "messages": [{"role": "system"|"user"|"assistant", "content"}],
 * "temperature"?, "max_tokens"?, "stop": [...], "response_format": "text"|"json_object",
 * "stream": bool, "timeout_ms"?}. Borrowed from the call; never NULL. */
CONTENTGEN_EXTERN const char *contentgen_llm_call_request_json(const contentgen_llm_call *call, size_t *out_len);
/* 1 when the caller cancelled or the deadline ("timeout_ms") passed: stop early and return
 * CONTENTGEN_E_CANCELLED (the caller sees CANCELLED or TIMEOUT accordingly). */
CONTENTGEN_EXTERN int contentgen_llm_call_is_cancelled(const contentgen_llm_call *call);
/* Streams a piece of the reply text to the caller (when the request has "stream": true; otherwise
 * a no-op). The final response must still carry the whole text. */
CONTENTGEN_EXTERN int contentgen_llm_call_emit_delta(contentgen_llm_call *call, const char *text, size_t len);

#define CONTENTGEN_LLM_RESPONSE_VERSION 1
typedef struct contentgen_llm_response {
  unsigned int version;        /* CONTENTGEN_LLM_RESPONSE_VERSION */
  const char *text;            /* the whole reply (Markdown) */
  size_t text_len;             /* or CONTENTGEN_NUL_TERMINATED */
  const char *finish_reason;   /* "stop" | "length" | "content_filter" | "other"; NULL: "stop" */
  const char *model;           /* model that answered; NULL: the requested one */
  const char *request_id;      /* NULL: none */
  contentgen_usage usage;      /* billed usage of this call */
} contentgen_llm_response;
#define CONTENTGEN_LLM_RESPONSE_INIT {CONTENTGEN_LLM_RESPONSE_VERSION, NULL, 0, NULL, NULL, NULL, CONTENTGEN_USAGE_INIT}
CONTENTGEN_EXTERN void contentgen_llm_response_init(contentgen_llm_response *response);
/* Records the reply (copied: the strings need not outlive this call). Call once, then return
 * CONTENTGEN_OK from `complete`. */
CONTENTGEN_EXTERN int contentgen_llm_call_respond(contentgen_llm_call *call, const contentgen_llm_response *response);

#define CONTENTGEN_LLM_PROVIDER_VERSION 1
typedef struct contentgen_llm_provider {
  unsigned int version;        /* CONTENTGEN_LLM_PROVIDER_VERSION */
  const char *name;            /* short name recorded on articles, e.g. "my-llm"; copied; NULL: "custom" */
  /* Answers one call: contentgen_llm_call_respond() then return CONTENTGEN_OK, or return an error
   * code. Runs on the thread that called the generator, blocking it. */
  int (*complete)(void *payload, contentgen_llm_call *call);
  void (*free)(void *payload);  /* required; called exactly once */
  void *payload;
} contentgen_llm_provider;

#define CONTENTGEN_IMAGE_STORE_VERSION 1
typedef struct contentgen_image_store {
  unsigned int version;        /* CONTENTGEN_IMAGE_STORE_VERSION */
  /* Keys are '/'-separated UTF-8 paths chosen by the library, NUL-terminated at key[key_len]. */
  /* Stores the bytes under key, replacing any object there; durable when it returns OK. */
  int (*put)(void *payload, const char *key, size_t key_len, const void *data, size_t size,
             const char *content_type);
  /* Appends the object's bytes to `out`; CONTENTGEN_E_NOT_FOUND when there is none. */
  int (*get)(void *payload, const char *key, size_t key_len, contentgen_buffer *out);
  /* Removes the object; a missing key is not an error. */
  int (*remove)(void *payload, const char *key, size_t key_len);
  /* Appends the URL where a reader can fetch the object (no I/O expected). */
  int (*url_for)(void *payload, const char *key, size_t key_len, contentgen_buffer *out);
  void (*free)(void *payload);  /* required; called exactly once */
  void *payload;
} contentgen_image_store;

#define CONTENTGEN_EVENT_SINK_VERSION 1
typedef struct contentgen_event_sink {
  unsigned int version;        /* CONTENTGEN_EVENT_SINK_VERSION */
  /* Publishes one event, a CloudEvents 1.0 JSON object (one line); return OK only once it is
   * durably accepted. Called by the relay; delivery is at-least-once (de-duplicate on "id"). */
  int (*publish)(void *payload, const char *event_json, size_t len);
  void (*free)(void *payload);  /* required; called exactly once */
  void *payload;
} contentgen_event_sink;

/* ---------------------------------------------------------------------------------------------
 * Generator: opened from the JSON configuration of docs/configuration.md.
 * ------------------------------------------------------------------------------------------- */
typedef struct contentgen_generator contentgen_generator;

/* The library never writes to stderr: what it has to say (an insecure TLS setting, the event sink
 * going down, housekeeping that failed without failing a call) goes to this callback, from any of
 * its threads, possibly concurrently. `component` ("http", "relay", "generator") and `message` (one
 * line) are valid during the call only. */
#define CONTENTGEN_LOG_DEBUG 0
#define CONTENTGEN_LOG_INFO 1
#define CONTENTGEN_LOG_WARNING 2
#define CONTENTGEN_LOG_ERROR 3
typedef void (*contentgen_log_fn)(void *user_data, int level, const char *component, const char *message);

#define CONTENTGEN_OPEN_OPTIONS_VERSION 2
typedef struct contentgen_open_options {
  unsigned int version;        /* CONTENTGEN_OPEN_OPTIONS_VERSION */
  /* Custom ports, used instead of the config's llm.provider / images.kind / events.kind (which
   * must then be absent). The structs are copied; the library takes over each payload and calls
   * its `free` exactly once -- when the generator is closed, or before contentgen_generator_open
   * returns if it fails. NULL: from the configuration. */
  const contentgen_llm_provider *llm;
  const contentgen_image_store *images;
  const contentgen_event_sink *events;
  /* Since version 2. NULL: the library's messages are dropped. */
  contentgen_log_fn log;
  void *log_user_data;
} contentgen_open_options;
#define CONTENTGEN_OPEN_OPTIONS_INIT {CONTENTGEN_OPEN_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL}
CONTENTGEN_EXTERN void contentgen_open_options_init(contentgen_open_options *options);

/* Opens the ports the configuration names (database, store, sink, provider) and a generator over
 * them. Errors: INVALID_ARGUMENT with `field` = the dotted key (bad JSON, unknown key, wrong type,
 * an adapter missing from this build), STORAGE/UNAVAILABLE when a port cannot be opened. Release
 * with contentgen_generator_close. */
CONTENTGEN_EXTERN int contentgen_generator_open(contentgen_generator **out, const char *config_json, size_t config_len,
                                               const contentgen_open_options *options);
/* Stops the background relay (if any), waits for nothing else, releases everything. NULL-safe. */
CONTENTGEN_EXTERN void contentgen_generator_close(contentgen_generator *generator);

/* Validates a configuration without opening anything (environment variables are read). */
CONTENTGEN_EXTERN int contentgen_config_check(const char *config_json, size_t config_len);
/* 1 when this build contains the adapter for (section, kind): ("llm", "openai"), ("repository",
 * "sqlite"), ("repository", "postgresql"), ("images", "s3"), ("events", "amqp"), ... */
CONTENTGEN_EXTERN int contentgen_adapter_available(const char *section, const char *kind);

/* ---------------------------------------------------------------------------------------------
 * Articles and images (read-only handles)
 * ------------------------------------------------------------------------------------------- */
typedef struct contentgen_article contentgen_article;
typedef struct contentgen_image contentgen_image;
typedef struct contentgen_article_list contentgen_article_list;

/* String getters: borrowed, NUL-terminated, valid until the handle is released; never NULL for a
 * non-NULL handle. `out_len` may be NULL. Timestamps are RFC 3339 UTC with microseconds. */
CONTENTGEN_EXTERN const char *contentgen_article_id(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_workspace_id(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_plan_id(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_title(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_slug(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_content(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_content_html(const contentgen_article *article, size_t *out_len);
/* "draft" | "published" | "archived" */
CONTENTGEN_EXTERN const char *contentgen_article_status(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_provider(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_model(const contentgen_article *article, size_t *out_len);
/* "stop" | "length" | "content_filter" | "other" (of the last LLM call) */
CONTENTGEN_EXTERN const char *contentgen_article_finish_reason(const contentgen_article *article, size_t *out_len);
/* Exact cost as a decimal string with nine fraction digits, e.g. "0.004225000". */
CONTENTGEN_EXTERN const char *contentgen_article_cost_usd(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_metadata_json(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_html_url(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_created_at(const contentgen_article *article, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_article_updated_at(const contentgen_article *article, size_t *out_len);
/* Number getters: 0 for a NULL handle. */
CONTENTGEN_EXTERN int64_t contentgen_article_cost_nanousd(const contentgen_article *article);
CONTENTGEN_EXTERN int64_t contentgen_article_version(const contentgen_article *article);
CONTENTGEN_EXTERN int64_t contentgen_article_word_count(const contentgen_article *article);
CONTENTGEN_EXTERN int64_t contentgen_article_llm_calls(const contentgen_article *article);
/* Fills `out` (whose version the caller set) with the usage summed over every LLM call. */
CONTENTGEN_EXTERN int contentgen_article_usage(contentgen_usage *out, const contentgen_article *article);
/* Images (loaded by get and update; empty on generate and in list pages). Borrowed from the article. */
CONTENTGEN_EXTERN size_t contentgen_article_image_count(const contentgen_article *article);
CONTENTGEN_EXTERN const contentgen_image *contentgen_article_image_at(const contentgen_article *article, size_t index);
/* The whole article as JSON (docs/configuration.md#json-forms). Free with contentgen_free. */
CONTENTGEN_EXTERN int contentgen_article_json(char **out, size_t *out_len, const contentgen_article *article);
CONTENTGEN_EXTERN void contentgen_article_free(contentgen_article *article);

CONTENTGEN_EXTERN const char *contentgen_image_id(const contentgen_image *image, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_image_article_id(const contentgen_image *image, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_image_workspace_id(const contentgen_image *image, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_image_storage_key(const contentgen_image *image, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_image_url(const contentgen_image *image, size_t *out_len);
/* Sniffed from the bytes: "image/png" | "image/jpeg" | "image/gif" | "image/webp" */
CONTENTGEN_EXTERN const char *contentgen_image_content_type(const contentgen_image *image, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_image_sha256(const contentgen_image *image, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_image_original_filename(const contentgen_image *image, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_image_alt_text(const contentgen_image *image, size_t *out_len);
CONTENTGEN_EXTERN const char *contentgen_image_created_at(const contentgen_image *image, size_t *out_len);
CONTENTGEN_EXTERN int64_t contentgen_image_size_bytes(const contentgen_image *image);
CONTENTGEN_EXTERN int32_t contentgen_image_width(const contentgen_image *image);
CONTENTGEN_EXTERN int32_t contentgen_image_height(const contentgen_image *image);
CONTENTGEN_EXTERN int contentgen_image_json(char **out, size_t *out_len, const contentgen_image *image);
/* Releases an image returned by contentgen_generator_upload_image. Images borrowed from an article
 * belong to it: passing one here does nothing. NULL-safe. */
CONTENTGEN_EXTERN void contentgen_image_free(contentgen_image *image);

/* ---------------------------------------------------------------------------------------------
 * Operations
 * ------------------------------------------------------------------------------------------- */
/* Receives the article text as the LLM writes it. Runs on the thread that delivers the reply (the
 * caller's for custom providers, an I/O thread for network providers), in order, never
 * concurrently for one generate; must be quick and must not call back into the generator. */
typedef void (*contentgen_delta_fn)(void *payload, const char *text, size_t len);

#define CONTENTGEN_GENERATE_OPTIONS_VERSION 1
typedef struct contentgen_generate_options {
  unsigned int version;          /* CONTENTGEN_GENERATE_OPTIONS_VERSION */
  const char *model;             /* NULL: llm.model of the configuration */
  double temperature;            /* < 0: the configured default */
  int64_t max_tokens;            /* <= 0: the configured default / derived from the plan */
  /* NULL: "plan:<plan id>" when the plan has an id. A key that already produced an article returns
   * that article without calling the LLM again. */
  const char *idempotency_key;
  const char *metadata_json;     /* a JSON object stored on the article; NULL: {} */
  contentgen_delta_fn on_delta;  /* NULL: no streaming */
  void *on_delta_payload;
  contentgen_cancellation *cancellation;  /* NULL: not cancellable */
  int64_t timeout_ms;            /* whole generate; <= 0 (or too long for the clock): none */
} contentgen_generate_options;
#define CONTENTGEN_GENERATE_OPTIONS_INIT \
  {CONTENTGEN_GENERATE_OPTIONS_VERSION, NULL, -1.0, 0, NULL, NULL, NULL, NULL, NULL, 0}
CONTENTGEN_EXTERN void contentgen_generate_options_init(contentgen_generate_options *options);

/* Plan JSON: {"id"?, "workspace_id", "title", "target_keywords"?, "estimated_word_count"?,
 * "language"?, "tone"?, "notes"?, "outline"?}. Writes the article, stores it with its
 * article.generated event and spend, and returns it. Errors: INVALID_ARGUMENT (field "plan.*"),
 * UNKNOWN_MODEL, BUDGET_EXCEEDED, CANCELLED, TIMEOUT, the provider's (RATE_LIMITED, UPSTREAM,
 * UNAUTHORIZED, UNAVAILABLE), STORAGE. Release the article with contentgen_article_free. */
CONTENTGEN_EXTERN int contentgen_generator_generate(contentgen_article **out, contentgen_generator *generator,
                                                   const char *plan_json, size_t plan_len,
                                                   const contentgen_generate_options *options);

/* The article with its images. NOT_FOUND for a missing id and for another workspace's id alike. */
CONTENTGEN_EXTERN int contentgen_generator_get(contentgen_article **out, contentgen_generator *generator,
                                              const char *workspace_id, size_t workspace_id_len,
                                              const char *article_id, size_t article_id_len);

/* What the workspace's spend ledger holds (at or after `since`, an RFC 3339 time; NULL: all), in
 * exact nano-USD. `estimated_nanousd` is the part whose usage the provider did not report: a call
 * whose process died is first settled at its worst case and counted there (docs/architecture.md#cost).
 * Errors: INVALID_ARGUMENT (field "workspace_id" or "since"). */
typedef struct contentgen_spend_summary {
  int64_t total_nanousd;
  int64_t estimated_nanousd;
  int64_t calls;
  int64_t estimated_calls;
} contentgen_spend_summary;
CONTENTGEN_EXTERN int contentgen_generator_spend(contentgen_spend_summary *out, contentgen_generator *generator,
                                                const char *workspace_id, size_t workspace_id_len,
                                                const char *since);

#define CONTENTGEN_LIST_OPTIONS_VERSION 1
typedef struct contentgen_list_options {
  unsigned int version;          /* CONTENTGEN_LIST_OPTIONS_VERSION */
  const char *status;            /* "draft" | "published" | "archived"; NULL: all */
  int32_t limit;                 /* 1..100; 0: 20 */
  const char *cursor;            /* from contentgen_article_list_next_cursor; NULL/"": first page */
} contentgen_list_options;
#define CONTENTGEN_LIST_OPTIONS_INIT {CONTENTGEN_LIST_OPTIONS_VERSION, NULL, 0, NULL}
CONTENTGEN_EXTERN void contentgen_list_options_init(contentgen_list_options *options);

/* One page, newest first. Errors: INVALID_ARGUMENT (field "status", "limit" or "cursor"). */
CONTENTGEN_EXTERN int contentgen_generator_list(contentgen_article_list **out, contentgen_generator *generator,
                                               const char *workspace_id, size_t workspace_id_len,
                                               const contentgen_list_options *options);
CONTENTGEN_EXTERN size_t contentgen_article_list_count(const contentgen_article_list *list);
/* Borrowed from the list; NULL when index >= count. */
CONTENTGEN_EXTERN const contentgen_article *contentgen_article_list_at(const contentgen_article_list *list, size_t index);
/* "" on the last page. Borrowed from the list. */
CONTENTGEN_EXTERN const char *contentgen_article_list_next_cursor(const contentgen_article_list *list, size_t *out_len);
/* {"items": [...], "next_cursor": "..."}. Free with contentgen_free. */
CONTENTGEN_EXTERN int contentgen_article_list_json(char **out, size_t *out_len, const contentgen_article_list *list);
CONTENTGEN_EXTERN void contentgen_article_list_free(contentgen_article_list *list);

/* Changes JSON: {"title"?, "content"? (Markdown), "status"?, "metadata"? (object)}. Succeeds only
 * if the stored version equals expected_version (else CONFLICT); returns the new state
 * (version + 1). `out` may be NULL when the caller does not want it. */
CONTENTGEN_EXTERN int contentgen_generator_update(contentgen_article **out, contentgen_generator *generator,
                                                 const char *workspace_id, size_t workspace_id_len,
                                                 const char *article_id, size_t article_id_len,
                                                 const char *changes_json, size_t changes_len,
                                                 int64_t expected_version);

/* Deletes the article, its images and their objects; emits article.deleted. NOT_FOUND if missing. */
CONTENTGEN_EXTERN int contentgen_generator_delete(contentgen_generator *generator, const char *workspace_id,
                                                 size_t workspace_id_len, const char *article_id,
                                                 size_t article_id_len);

#define CONTENTGEN_IMAGE_OPTIONS_VERSION 1
typedef struct contentgen_image_options {
  unsigned int version;          /* CONTENTGEN_IMAGE_OPTIONS_VERSION */
  const char *declared_content_type;  /* NULL: none; else must agree with the sniffed type */
  const char *alt_text;          /* NULL: "" */
} contentgen_image_options;
#define CONTENTGEN_IMAGE_OPTIONS_INIT {CONTENTGEN_IMAGE_OPTIONS_VERSION, NULL, NULL}
CONTENTGEN_EXTERN void contentgen_image_options_init(contentgen_image_options *options);

/* Stores an image of the article: the type is sniffed from the bytes (PNG, JPEG, GIF, WebP); the
 * filename is informational only. Errors: INVALID_ARGUMENT (unsupported or forged type, too large:
 * limits.max_image_bytes), NOT_FOUND (article), STORAGE. Release with contentgen_image_free. */
CONTENTGEN_EXTERN int contentgen_generator_upload_image(contentgen_image **out, contentgen_generator *generator,
                                                       const char *workspace_id, size_t workspace_id_len,
                                                       const char *article_id, size_t article_id_len,
                                                       const void *data, size_t size, const char *filename,
                                                       size_t filename_len, const contentgen_image_options *options);

CONTENTGEN_EXTERN int contentgen_generator_delete_image(contentgen_generator *generator, const char *workspace_id,
                                                       size_t workspace_id_len, const char *article_id,
                                                       size_t article_id_len, const char *image_id,
                                                       size_t image_id_len);

/* Delivers every due outbox event to the configured event sink, once (one pass; safe alongside a
 * background relay and other processes). Outs may be NULL. INVALID_ARGUMENT (field "events.kind")
 * when no sink is configured. */
CONTENTGEN_EXTERN int contentgen_generator_relay_events(size_t *out_delivered, size_t *out_failed,
                                                       contentgen_generator *generator);

/* ---------------------------------------------------------------------------------------------
 * Cost (exact, integer nano-USD: 1 USD = 1,000,000,000)
 * ------------------------------------------------------------------------------------------- */
/* The cost of one call under the built-in price table. UNKNOWN_MODEL for a model without a price;
 * INVALID_ARGUMENT when the usage does not add up (cached > prompt, reasoning > completion). */
CONTENTGEN_EXTERN int contentgen_cost(int64_t *out_nanousd, const char *model, size_t model_len,
                                      const contentgen_usage *usage);
/* The same under the generator's price table (built-in + prices.file / inline prices). */
CONTENTGEN_EXTERN int contentgen_generator_cost(int64_t *out_nanousd, const contentgen_generator *generator,
                                                const char *model, size_t model_len, const contentgen_usage *usage);
/* The price table as JSON ({"models": [...], "aliases": [...]}, prices as decimal strings per 1M
 * tokens): the generator's, or the built-in one when generator is NULL. Free with contentgen_free. */
CONTENTGEN_EXTERN int contentgen_prices_json(char **out, size_t *out_len, const contentgen_generator *generator);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CONTENTGEN_H */
