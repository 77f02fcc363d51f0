#pragma once
// Checks of what a caller puts into an HttpRequest besides the URL (internal to lib/net). Beast
// writes method and header fields verbatim, so a CR or LF in a header value (an API key read with
// its trailing newline, a content type taken from an upload) would end the header early and
// inject lines of the caller's choosing into the request.
#include "net/http_client.hpp"

namespace contentgen::net {

// Throws Error{invalid_argument} (field "method" or "headers") when the method or a header name
// is not an HTTP token, or a header value holds CR, LF or NUL. Messages name the offending header
// but never repeat a value (it may be a credential).
void check_request_fields(const HttpRequest& request);

}  // namespace contentgen::net
