#include <gtest/gtest.h>

#include <set>

#include "cli/args.hpp"
#include "cli/exit_codes.hpp"

namespace contentgen::cli {
namespace {

constexpr ErrorCode kAll[] = {ErrorCode::invalid_argument, ErrorCode::not_found,     ErrorCode::conflict,
                              ErrorCode::unauthorized,     ErrorCode::rate_limited,  ErrorCode::upstream,
                              ErrorCode::timeout,          ErrorCode::budget_exceeded, ErrorCode::unknown_model,
                              ErrorCode::storage,          ErrorCode::unavailable,   ErrorCode::cancelled,
                              ErrorCode::internal};

TEST(ExitCodes, OnePerErrorClassAndNoneCollides) {
  std::set<int> seen = {kExitOk, kExitBatchFailures, kExitUsage, kExitInterrupted};
  for (const auto code : kAll) {
    const int status = exit_code_for(code);
    EXPECT_TRUE(seen.insert(status).second) << to_string(code);
    EXPECT_GT(status, 2);
    EXPECT_LT(status, 126);  // 126+ mean "cannot execute" / signals to shells
  }
  EXPECT_EQ(exit_code_for(ErrorCode::invalid_argument), 11);
  EXPECT_EQ(exit_code_for(ErrorCode::internal), 23);
}

TEST(ExitCodes, ErrorLineIsOneLineWithFieldAndHint) {
  const Error e = Error::invalid_argument("plan.title", "must not be empty\nreally");
  const std::string line = error_line(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.rfind("contentgen: invalid_argument: ", 0), 0u);
  EXPECT_NE(line.find("plan.title"), std::string::npos);
  EXPECT_NE(line.find("-- hint: "), std::string::npos);
}

TEST(ExitCodes, EveryClassButCancelledHasAHint) {
  for (const auto code : kAll) {
    const std::string hint = hint_for(Error(code, "x"));
    EXPECT_EQ(hint.empty(), code == ErrorCode::cancelled) << to_string(code);
  }
  ErrorDetails details;
  details.retry_after = std::chrono::milliseconds(2500);
  EXPECT_NE(hint_for(Error(ErrorCode::rate_limited, "slow", details)).find("retry after 3 s"), std::string::npos);
}

TEST(ExitCodes, ReportExceptionMapsEachKind) {
  EXPECT_EQ(report_exception(std::make_exception_ptr(UsageError("bad flag"))), kExitUsage);
  EXPECT_EQ(report_exception(std::make_exception_ptr(Error(ErrorCode::conflict, "stale"))), 13);
  EXPECT_EQ(report_exception(std::make_exception_ptr(std::runtime_error("boom"))), 23);
}

}  // namespace
}  // namespace contentgen::cli
