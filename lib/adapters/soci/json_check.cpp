#include "adapters/soci/json_check.hpp"

#include <boost/json.hpp>

#include "contentgen/error.hpp"

namespace contentgen::soci_adapter {

void require_json_object(std::string_view text, std::string_view field) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec);
  if (ec) throw Error::invalid_argument(std::string(field), "not valid JSON (" + ec.message() + ")");
  if (!value.is_object()) throw Error::invalid_argument(std::string(field), "must be a JSON object");
}

}  // namespace contentgen::soci_adapter
