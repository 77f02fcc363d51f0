#include "net/uri_encode.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/grammar/string_token.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace contentgen::net {
namespace {

// Boost.URL's defaults are the ones SigV4 wants: upper-case hex, a space is %20 (never '+').
constexpr boost::urls::grammar::lut_chars kUnreservedAndSlash = boost::urls::unreserved_chars + '/';

}  // namespace

void append_uri_encoded(std::string& out, std::string_view bytes, Slash slash) {
  const boost::urls::string_view in(bytes.data(), bytes.size());
  if (slash == Slash::keep) {
    boost::urls::encode(in, kUnreservedAndSlash, {}, boost::urls::string_token::append_to(out));
  } else {
    boost::urls::encode(in, boost::urls::unreserved_chars, {}, boost::urls::string_token::append_to(out));
  }
}

std::string uri_encode(std::string_view bytes, Slash slash) {
  std::string out;
  append_uri_encoded(out, bytes, slash);
  return out;
}

}  // namespace contentgen::net
