#pragma once
// The exception in flight as an Error, for the places that must not let a host's exception escape
// (a port's rule, a thread, a batch whose other items still count). Call only inside a catch block.
#include <string_view>

#include "contentgen/error.hpp"

namespace contentgen::internal {

// An Error as it is; anything else as internal: "<context>: <what()>" (or a note that the
// exception is not a std::exception).
Error current_error(std::string_view context);

}  // namespace contentgen::internal
