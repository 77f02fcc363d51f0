/* Shared pieces of the C API tests: temporary directories, configurations, a scripted LLM
 * provider written in C (through the vtable), and a real PNG. C99 + POSIX. */
#ifndef CONTENTGEN_TEST_SUPPORT_H
#define CONTENTGEN_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include <contentgen.h>

/* A new directory under $TMPDIR (or /tmp); free() the result. */
char *support_temp_dir(const char *tag);
/* rm -rf */
void support_remove_tree(const char *path);

/* A configuration with SQLite, filesystem images and JSONL events under `dir`, and `llm_section`
 * (a JSON object text, or NULL to leave the LLM to a custom provider). free() the result. */
char *support_config(const char *dir, const char *llm_section, const char *extra_sections);

/* The "llm" section for the mock LLM server named by CONTENTGEN_TEST_MOCKLLM_URL, or NULL when the
 * variable is unset. free() the result. */
char *support_mockllm_section(void);

/* A scripted LLM provider implemented in C. Every call answers "# <title>\n\n" followed by
 * `words` words, in streamed pieces when the request streams. */
typedef struct scripted_llm {
  int calls;                 /* complete() calls so far */
  int frees;                 /* free() calls (must end at exactly 1) */
  int words;                 /* words per reply */
  int fail_with;             /* != 0: every call fails with this code */
  int wait_for_cancel;       /* 1: spin until the call is cancelled (up to 10 s) */
  char last_request[8192];   /* the last request JSON (truncated) */
  int64_t prompt_tokens, completion_tokens;
} scripted_llm;

/* A vtable over `state` (which must outlive the generator; its `frees` counts the release). */
contentgen_llm_provider scripted_llm_vtable(scripted_llm *state);

/* A valid 1x1 RGBA PNG (68 bytes). */
extern const unsigned char support_png[];
extern const size_t support_png_size;

/* A plan JSON for workspace `workspace` with title `title`; free() the result. */
char *support_plan(const char *workspace, const char *title, const char *plan_id);

/* Generates an article for support_plan(workspace, title, plan_id); NULL on failure (the last error
 * says why). */
contentgen_article *support_generate(contentgen_generator *generator, const char *workspace, const char *title,
                                     const char *plan_id);

#endif
