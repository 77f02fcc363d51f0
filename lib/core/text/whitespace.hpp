#pragma once
// Whitespace normalization shared by adapters (internal).
#include <string>
#include <string_view>

namespace contentgen::internal {

// `text` trimmed, with every run of spaces, tabs, CRs and LFs turned into one space: a value made
// to fit on one line (SigV4 canonical header values, database messages in errors).
std::string collapse_whitespace(std::string_view text);

}  // namespace contentgen::internal
