/* Minimal assertions for the C API tests (C99). A failed check prints where and why (with the
 * library's last error) and makes the test exit non-zero at the end. */
#ifndef CONTENTGEN_TEST_CHECK_H
#define CONTENTGEN_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <contentgen.h>

static int check_failures = 0;

static void check_report(const char *file, int line, const char *what) {
  const contentgen_error *e = contentgen_error_last();
  fprintf(stderr, "%s:%d: FAILED: %s\n  last error: [%s] %s (field \"%s\")\n", file, line, what, e->code_name,
          e->message, e->field);
  ++check_failures;
}

#define CHECK(cond)                                    \
  do {                                                 \
    if (!(cond)) check_report(__FILE__, __LINE__, #cond); \
  } while (0)

/* Fatal: the rest of the test cannot run. */
#define REQUIRE(cond)                                  \
  do {                                                 \
    if (!(cond)) {                                     \
      check_report(__FILE__, __LINE__, #cond);         \
      exit(1);                                         \
    }                                                  \
  } while (0)

#define CHECK_OK(call) CHECK((call) == CONTENTGEN_OK)
#define REQUIRE_OK(call) REQUIRE((call) == CONTENTGEN_OK)

#define CHECK_STR(actual, expected)                                                        \
  do {                                                                                     \
    const char *check_a_ = (actual);                                                       \
    const char *check_e_ = (expected);                                                     \
    if (check_a_ == NULL || strcmp(check_a_, check_e_) != 0) {                             \
      fprintf(stderr, "  \"%s\" != \"%s\"\n", check_a_ ? check_a_ : "(null)", check_e_);  \
      check_report(__FILE__, __LINE__, #actual " == " #expected);                         \
    }                                                                                      \
  } while (0)

/* The call fails with `expected_code`, and the last error says so and names `field_name` (NULL: not checked). */
#define CHECK_FAILS(call, expected_code, field_name)                                                          \
  do {                                                                                               \
    int check_rc_ = (call);                                                                          \
    const contentgen_error *check_e_ = contentgen_error_last();                                      \
    const char *check_field_ = (field_name);                                                         \
    if (check_rc_ != (expected_code) || check_e_->code != (expected_code)) {                                           \
      fprintf(stderr, "  returned %d, expected %d\n", check_rc_, (int)(expected_code));                       \
      check_report(__FILE__, __LINE__, #call " fails with " #expected_code);                                \
    } else if (check_field_ != NULL && strcmp(check_e_->field, check_field_) != 0) {                 \
      fprintf(stderr, "  field \"%s\", expected \"%s\"\n", check_e_->field, check_field_);          \
      check_report(__FILE__, __LINE__, #call " names " #field_name);                                \
    }                                                                                                \
  } while (0)

static int check_finish(const char *name) {
  if (check_failures != 0) {
    fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
    return 1;
  }
  printf("%s: all checks passed\n", name);
  return 0;
}

#endif
