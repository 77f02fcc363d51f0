#include "core/cost/budget_period.hpp"

namespace contentgen::internal {

std::optional<Timestamp> budget_period_start(Budget::Period period, Timestamp now) {
  if (period == Budget::Period::total) return std::nullopt;
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(now)};
  return Timestamp{std::chrono::sys_days{day.year() / day.month() / std::chrono::day{1}}};
}

}  // namespace contentgen::internal
