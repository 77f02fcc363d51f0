// Argument conversions shared by the entry points, version and memory functions.
#include <cstdlib>
#include <cstring>
#include <new>

#include "handles.hpp"
#include "support.hpp"

namespace contentgen::capi {

std::string_view text(const char* data, std::size_t length, const char* field) {
  if (data == nullptr) {
    if (length == 0 || length == CONTENTGEN_NUL_TERMINATED) return {};
    throw Error::invalid_argument(field, "is NULL but its length is not 0");
  }
  if (length == CONTENTGEN_NUL_TERMINATED) return std::string_view(data);
  return std::string_view(data, length);
}

void require(const void* pointer, const char* field) {
  if (pointer == nullptr) throw Error::invalid_argument(field, "must not be NULL");
}

void check_version(unsigned int version, unsigned int current, const char* field) {
  if (version == 0 || version > current) {
    throw Error::invalid_argument(std::string(field) + ".version",
                                  "is " + std::to_string(version) + "; this library knows versions 1 to " +
                                      std::to_string(current) + " (initialise the struct with its _INIT macro)");
  }
}

void copy_out(std::string_view value, char** out, std::size_t* out_len) {
  require(out, "out");
  auto* copy = static_cast<char*>(std::malloc(value.size() + 1));
  if (copy == nullptr) throw std::bad_alloc();
  if (!value.empty()) std::memcpy(copy, value.data(), value.size());
  copy[value.size()] = '\0';
  *out = copy;
  if (out_len != nullptr) *out_len = value.size();
}

const char* give(const std::string& value, std::size_t* out_len) noexcept {
  if (out_len != nullptr) *out_len = value.size();
  return value.c_str();
}

const char* give_empty(std::size_t* out_len) noexcept {
  if (out_len != nullptr) *out_len = 0;
  return "";
}

TokenUsage usage_from_c(const contentgen_usage* usage) {
  require(usage, "usage");
  check_version(usage->version, CONTENTGEN_USAGE_VERSION, "usage");
  TokenUsage result;
  result.prompt_tokens = usage->prompt_tokens;
  result.cached_tokens = usage->cached_tokens;
  result.cache_write_tokens = usage->cache_write_tokens;
  result.completion_tokens = usage->completion_tokens;
  result.reasoning_tokens = usage->reasoning_tokens;
  result.estimated = usage->estimated != 0;
  return result;
}

void usage_to_c(const TokenUsage& usage, contentgen_usage* out) {
  require(out, "out");
  check_version(out->version, CONTENTGEN_USAGE_VERSION, "out");
  out->prompt_tokens = usage.prompt_tokens;
  out->cached_tokens = usage.cached_tokens;
  out->cache_write_tokens = usage.cache_write_tokens;
  out->completion_tokens = usage.completion_tokens;
  out->reasoning_tokens = usage.reasoning_tokens;
  out->estimated = usage.estimated ? 1 : 0;
}

}  // namespace contentgen::capi

// The header's version macros must describe the library they ship with.
static_assert(CONTENTGEN_VERSION_MAJOR == CONTENTGEN_PROJECT_VERSION_MAJOR &&
                  CONTENTGEN_VERSION_MINOR == CONTENTGEN_PROJECT_VERSION_MINOR &&
                  CONTENTGEN_VERSION_PATCH == CONTENTGEN_PROJECT_VERSION_PATCH,
              "include/contentgen.h CONTENTGEN_VERSION_* differ from project(VERSION) in CMakeLists.txt");

extern "C" {

unsigned int contentgen_version_number(void) { return CONTENTGEN_VERSION_NUMBER; }

const char* contentgen_version_string(void) { return CONTENTGEN_VERSION_STRING; }

void contentgen_free(void* ptr) { std::free(ptr); }

void contentgen_usage_init(contentgen_usage* usage) {
  const contentgen_usage defaults = CONTENTGEN_USAGE_INIT;
  if (usage != nullptr) *usage = defaults;
}

int contentgen_buffer_append(contentgen_buffer* buffer, const void* data, size_t size) {
  return contentgen::capi::guard([&] {
    contentgen::capi::require(buffer, "buffer");
    if (size == 0) return;
    contentgen::capi::require(data, "data");
    buffer->bytes.append(static_cast<const char*>(data), size);
  });
}

}  // extern "C"
