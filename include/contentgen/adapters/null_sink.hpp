#pragma once
// NullEventSink: accepts every event and keeps nothing -- for hosts that do not want events. The
// relay still marks the outbox rows delivered, so the outbox does not grow. It only counts what it
// discarded. Thread-safe.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "contentgen/export.hpp"
#include "contentgen/ports/event_sink.hpp"

namespace contentgen {

class CONTENTGEN_API NullEventSink final : public EventSink {
 public:
  NullEventSink() = default;
  ~NullEventSink() override;

  void publish(const Event& event) override;
  std::vector<std::optional<Error>> publish_batch(std::span<const Event> events) override;

  std::uint64_t discarded() const noexcept { return discarded_.load(); }

 private:
  std::atomic<std::uint64_t> discarded_{0};
};

CONTENTGEN_API std::unique_ptr<NullEventSink> make_null_event_sink();

}  // namespace contentgen
