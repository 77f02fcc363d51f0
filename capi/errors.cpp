// The thread-local last error, the exception barrier's conversions, and the contentgen_error_*
// entry points.
#include <cstring>
#include <new>

#include "support.hpp"

namespace contentgen::capi {
namespace {

const char* const kCodeNames[] = {"ok",          "invalid_argument", "not_found", "conflict",  "unauthorized",
                                  "rate_limited", "upstream",        "timeout",   "budget_exceeded",
                                  "unknown_model", "storage",        "unavailable", "cancelled", "internal"};
constexpr int kLastCode = CONTENTGEN_E_INTERNAL;

// The storage behind contentgen_error_last(): the strings live here, the view points into them.
struct ErrorSlot {
  std::string message, field, provider, provider_type, provider_code, request_id;
  contentgen_error view{};
  std::uint64_t epoch = 0;

  ErrorSlot() { clear(); }
  void clear() noexcept {
    message.clear();
    field.clear();
    provider.clear();
    provider_type.clear();
    provider_code.clear();
    request_id.clear();
    view = contentgen_error{};
    view.code = CONTENTGEN_OK;
    view.code_name = kCodeNames[0];
    view.message = "no error";
    view.field = view.provider = view.provider_type = view.provider_code = view.request_id = "";
    view.retry_after_ms = -1;
  }
  void point() noexcept {
    view.message = message.c_str();
    view.field = field.c_str();
    view.provider = provider.c_str();
    view.provider_type = provider_type.c_str();
    view.provider_code = provider_code.c_str();
    view.request_id = request_id.c_str();
  }
};

ErrorSlot& slot() noexcept {
  thread_local ErrorSlot instance;
  return instance;
}

int code_of(ErrorCode code) noexcept {
  const int value = static_cast<int>(code);
  return value >= 1 && value <= kLastCode ? value : CONTENTGEN_E_INTERNAL;
}

// When even copying the message fails (out of memory), the error still has a code and a message.
int record_fallback(int code) noexcept {
  ErrorSlot& s = slot();
  s.clear();
  s.view.code = code;
  s.view.code_name = kCodeNames[code];
  s.view.message = code == CONTENTGEN_E_INTERNAL ? "out of memory" : kCodeNames[code];
  s.view.retryable = is_retryable(static_cast<ErrorCode>(code)) ? 1 : 0;
  return code;
}

}  // namespace

int record(const Error& error) noexcept {
  const int code = code_of(error.code());
  try {
    ErrorSlot& s = slot();
    const ErrorDetails& d = error.details();
    s.message = error.what();
    s.field = d.field;
    s.provider = d.provider;
    s.provider_type = d.provider_type;
    s.provider_code = d.provider_code;
    s.request_id = d.request_id;
    s.view.code = code;
    s.view.code_name = kCodeNames[code];
    s.view.http_status = d.http_status;
    s.view.retry_after_ms = d.retry_after ? static_cast<std::int64_t>(d.retry_after->count()) : -1;
    s.view.retryable = is_retryable(error.code()) ? 1 : 0;
    s.point();
    return code;
  } catch (...) {
    return record_fallback(code);
  }
}

Error to_error(std::exception_ptr exception) {
  try {
    std::rethrow_exception(std::move(exception));
  } catch (const Error& e) {
    return e;
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::internal, "out of memory");
  } catch (const std::exception& e) {
    return Error(ErrorCode::internal, std::string("internal error: ") + e.what());
  } catch (...) {
    return Error(ErrorCode::internal, "internal error: unknown exception");
  }
}

int record_current_exception() noexcept {
  try {
    return record(to_error(std::current_exception()));
  } catch (...) {
    return record_fallback(CONTENTGEN_E_INTERNAL);
  }
}

std::uint64_t error_epoch() noexcept { return slot().epoch; }

Error callback_error(int code, std::uint64_t epoch, const std::string& who) {
  const ErrorCode mapped = code >= 1 && code <= kLastCode ? static_cast<ErrorCode>(code) : ErrorCode::internal;
  const ErrorSlot& s = slot();
  if (s.epoch != epoch && s.view.code == code) {
    ErrorDetails details;
    details.field = s.field;
    return Error(mapped, s.message, std::move(details));
  }
  return Error(mapped, who + " failed with code " + std::to_string(code) + " (" +
                           (code >= 1 && code <= kLastCode ? kCodeNames[code] : "not a contentgen code") + ")");
}

}  // namespace contentgen::capi

using namespace contentgen::capi;

extern "C" {

const contentgen_error* contentgen_error_last(void) { return &slot().view; }

void contentgen_error_clear(void) { slot().clear(); }

const char* contentgen_error_code_name(int code) {
  return code >= 0 && code <= kLastCode ? kCodeNames[code] : "unknown";
}

int contentgen_error_set(int code, const char* message) {
  ErrorSlot& s = slot();
  ++s.epoch;
  if (code < 1 || code > kLastCode) {
    record_fallback(CONTENTGEN_E_INTERNAL);
    return code;
  }
  try {
    s.clear();
    s.message = message != nullptr ? message : kCodeNames[code];
    s.view.code = code;
    s.view.code_name = kCodeNames[code];
    s.view.retryable = is_retryable(static_cast<contentgen::ErrorCode>(code)) ? 1 : 0;
    s.point();
  } catch (...) {
    record_fallback(code);
  }
  return code;
}

}  // extern "C"
