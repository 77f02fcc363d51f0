#pragma once
// Cooperative cancellation. A CancellationSource is held by whoever may cancel (a UI thread, a
// signal handler thread, the C API); operations receive its CancellationToken. Adapters register a
// callback that aborts their I/O. All members are thread-safe.
#include <cstdint>
#include <functional>
#include <memory>

#include "contentgen/export.hpp"

namespace contentgen {

namespace detail { struct CancellationState; }

class CONTENTGEN_API CancellationRegistration;

class CONTENTGEN_API CancellationToken {
 public:
  CancellationToken() = default;  // a token that is never cancelled
  bool cancelled() const noexcept;
  bool can_be_cancelled() const noexcept { return state_ != nullptr; }
  // Runs `callback` once when cancellation is requested -- immediately, on this thread, if it
  // already was. The callback runs on the cancelling thread; it must be short and must not throw.
  // Dropping the returned registration unregisters it (and waits if it is running right now).
  [[nodiscard]] CancellationRegistration on_cancel(std::function<void()> callback) const;

 private:
  friend class CancellationSource;
  explicit CancellationToken(std::shared_ptr<detail::CancellationState> state) : state_(std::move(state)) {}
  std::shared_ptr<detail::CancellationState> state_;
};

class CONTENTGEN_API CancellationRegistration {
 public:
  CancellationRegistration() = default;
  CancellationRegistration(CancellationRegistration&& other) noexcept;
  CancellationRegistration& operator=(CancellationRegistration&& other) noexcept;
  CancellationRegistration(const CancellationRegistration&) = delete;
  CancellationRegistration& operator=(const CancellationRegistration&) = delete;
  ~CancellationRegistration();
  void reset() noexcept;

 private:
  friend class CancellationToken;
  CancellationRegistration(std::shared_ptr<detail::CancellationState> state, std::uint64_t id)
      : state_(std::move(state)), id_(id) {}
  std::shared_ptr<detail::CancellationState> state_;
  std::uint64_t id_ = 0;
};

class CONTENTGEN_API CancellationSource {
 public:
  CancellationSource();
  CancellationToken token() const { return CancellationToken(state_); }
  // Idempotent; runs every registered callback once, on this thread.
  void cancel() noexcept;
  bool cancelled() const noexcept;

 private:
  std::shared_ptr<detail::CancellationState> state_;
};

}  // namespace contentgen
