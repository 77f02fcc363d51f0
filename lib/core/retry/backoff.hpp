#pragma once
// The library's one backoff rule, used by the LLM providers, the S3 store and the event relay:
// initial * 2^retry, capped at `cap`, then reduced by up to 25 % jitter (`random01` in [0, 1); 0 --
// the relay's choice, whose rows are spread by their own failure times -- gives the full delay).
#include <chrono>

namespace contentgen::internal {

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds initial, int retry, std::chrono::milliseconds cap,
                                        double random01) noexcept;

// A uniform value in [0, 1) from a per-thread generator, for backoff_delay's jitter.
double backoff_jitter() noexcept;

}  // namespace contentgen::internal
