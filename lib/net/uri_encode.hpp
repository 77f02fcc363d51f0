#pragma once
// Percent-encoding of URL parts as RFC 3986 and SigV4/S3 define it (query parameters of the LLM
// providers, S3 paths and queries): every byte except the unreserved set A-Z a-z 0-9 - . _ ~
// becomes %XX (upper-case hex), UTF-8 is encoded byte by byte, and nothing is normalized. S3 object keys are encoded once with '/' kept, which is both the wire path and the
// canonical path (S3 does not double-encode); query names and values encode '/' too.
#include <string>
#include <string_view>

namespace contentgen::net {

enum class Slash { keep, encode };

std::string uri_encode(std::string_view bytes, Slash slash);
void append_uri_encoded(std::string& out, std::string_view bytes, Slash slash);

}  // namespace contentgen::net
