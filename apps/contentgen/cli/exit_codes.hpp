#pragma once
// Exit statuses of the contentgen command (docs/cli.md#exit-codes) and the one-line error report.
#include <exception>
#include <string>

#include "contentgen/error.hpp"

namespace contentgen::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitBatchFailures = 1;   // a batch finished, but some plans failed
inline constexpr int kExitUsage = 2;           // bad command line
inline constexpr int kExitInterrupted = 130;   // Ctrl-C / SIGTERM (128 + SIGINT)

// 10 + the ErrorCode's number: invalid_argument 11, not_found 12, ..., internal 23.
int exit_code_for(ErrorCode code) noexcept;

// "<code>: <message> [<field>] -- hint: <what to do>" (one line, no newline).
std::string describe(const Error& error);
// "contentgen: " + describe(error).
std::string error_line(const Error& error);
// What a user can do about an error of this kind (may be empty).
std::string hint_for(const Error& error);

// Prints the error line for whatever `error` is on stderr and returns the exit status for it.
int report_exception(const std::exception_ptr& error);

}  // namespace contentgen::cli
