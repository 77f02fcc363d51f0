#pragma once
// What every entry point of the C API needs: the exception barrier, the thread-local last error,
// and conversions of C arguments (pointer + length text, versioned structs) into C++ values.
// Internal to capi/.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "contentgen.h"
#include "contentgen/error.hpp"
#include "contentgen/usage.hpp"

namespace contentgen::capi {

// Records `error` as this thread's last error; returns its C code. Never throws.
int record(const Error& error) noexcept;
// Records whatever exception is in flight (inside a catch block); returns its C code.
int record_current_exception() noexcept;
// The same conversion without recording: an exception -> Error (for Result<T> handlers).
Error to_error(std::exception_ptr exception);

// Runs `body`; returns CONTENTGEN_OK, or the code of the exception it threw (recorded as the last
// error). The one barrier no C++ exception gets past.
template <class Body>
int guard(Body&& body) noexcept {
  try {
    body();
    return CONTENTGEN_OK;
  } catch (...) {
    return record_current_exception();
  }
}

// Counts contentgen_error_set() calls on this thread, so that an adapter can tell whether a
// callback described its own failure.
std::uint64_t error_epoch() noexcept;
// The Error for a callback that returned `code`: the message it set with contentgen_error_set
// (when it did, since `epoch`), else a generic one naming `who`.
Error callback_error(int code, std::uint64_t epoch, const std::string& who);

// C text (pointer, length or CONTENTGEN_NUL_TERMINATED) as a view. NULL with length 0 is "".
std::string_view text(const char* data, std::size_t length, const char* field);
// Throws invalid_argument naming `field` when `pointer` is NULL.
void require(const void* pointer, const char* field);
// Options structs: version 1..current. Throws invalid_argument naming `field`.
void check_version(unsigned int version, unsigned int current, const char* field);
// A malloc'ed NUL-terminated copy for `char **out` (released by contentgen_free).
void copy_out(std::string_view value, char** out, std::size_t* out_len);
// A borrowed string for a getter: sets *out_len, returns data (never NULL).
const char* give(const std::string& value, std::size_t* out_len) noexcept;
const char* give_empty(std::size_t* out_len) noexcept;

TokenUsage usage_from_c(const contentgen_usage* usage);
void usage_to_c(const TokenUsage& usage, contentgen_usage* out);

}  // namespace contentgen::capi
