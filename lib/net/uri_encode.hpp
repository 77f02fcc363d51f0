#pragma once
// Percent-encoding as SigV4 and S3 define it: every byte except the unreserved set
// A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex), UTF-8 is encoded byte by byte, and nothing is
// normalized. S3 object keys are encoded once with '/' kept, which is both the wire path and the
// canonical path (S3 does not double-encode); query names and values encode '/' too.
#include <string>
#include <string_view>

namespace contentgen::s3 {

enum class Slash { keep, encode };

std::string uri_encode(std::string_view bytes, Slash slash);
void append_uri_encoded(std::string& out, std::string_view bytes, Slash slash);

}  // namespace contentgen::s3
