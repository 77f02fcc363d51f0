#include "core/retry/backoff.hpp"

#include <algorithm>
#include <random>

namespace contentgen::internal {

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds initial, int retry, std::chrono::milliseconds cap,
                                        double random01) noexcept {
  // Doubles without overflowing: stops once past the cap.
  auto delay = std::max(initial, std::chrono::milliseconds(0));
  for (int i = 0; i < retry && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  const double keep = 1.0 - 0.25 * std::clamp(random01, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(delay.count()) * keep));
}

double backoff_jitter() noexcept {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace contentgen::internal
