#include "contentgen/cancellation.hpp"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace contentgen {
namespace detail {

struct CancellationState {
  std::atomic<bool> cancelled{false};
  std::mutex mutex;
  std::condition_variable callback_done;
  std::map<std::uint64_t, std::function<void()>> callbacks;
  std::uint64_t next_id = 1;
  std::uint64_t running_id = 0;  // callback being run by cancel(), so unregistering can wait for it
  std::thread::id running_thread;
};

}  // namespace detail

CancellationSource::CancellationSource() : state_(std::make_shared<detail::CancellationState>()) {}

bool CancellationSource::cancelled() const noexcept { return state_->cancelled.load(std::memory_order_acquire); }

void CancellationSource::cancel() noexcept {
  std::unique_lock lock(state_->mutex);
  if (state_->cancelled.exchange(true, std::memory_order_acq_rel)) return;
  state_->running_thread = std::this_thread::get_id();
  while (!state_->callbacks.empty()) {
    auto node = state_->callbacks.extract(state_->callbacks.begin());
    state_->running_id = node.key();
    lock.unlock();
    try {
      node.mapped()();
    } catch (...) {
      // Callbacks must not throw; one that does must not stop the others.
    }
    // Destroy the callback before re-locking: what it captured may own a registration on this
    // very token, whose reset() takes the mutex.
    node = {};
    lock.lock();
    state_->running_id = 0;
    state_->callback_done.notify_all();
  }
}

bool CancellationToken::cancelled() const noexcept {
  return state_ && state_->cancelled.load(std::memory_order_acquire);
}

CancellationRegistration CancellationToken::on_cancel(std::function<void()> callback) const {
  if (!state_) return {};
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->cancelled.load(std::memory_order_acquire)) {
      const auto id = state_->next_id++;
      state_->callbacks.emplace(id, std::move(callback));
      return CancellationRegistration(state_, id);
    }
  }
  callback();
  return {};
}

CancellationRegistration::CancellationRegistration(CancellationRegistration&& other) noexcept
    : state_(std::move(other.state_)), id_(std::exchange(other.id_, 0)) {}

CancellationRegistration& CancellationRegistration::operator=(CancellationRegistration&& other) noexcept {
  if (this != &other) {
    reset();
    state_ = std::move(other.state_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

CancellationRegistration::~CancellationRegistration() { reset(); }

void CancellationRegistration::reset() noexcept {
  if (!state_) return;
  std::unique_lock lock(state_->mutex);
  state_->callbacks.erase(id_);
  // If cancel() is running our callback on another thread right now, wait for it to finish so the
  // caller may destroy what the callback touches.
  if (state_->running_thread != std::this_thread::get_id())
    state_->callback_done.wait(lock, [&] { return state_->running_id != id_; });
  lock.unlock();
  state_.reset();
  id_ = 0;
}

}  // namespace contentgen
