#include "core/domain/current_error.hpp"

#include <exception>
#include <string>

namespace contentgen::internal {

Error current_error(std::string_view context) {
  try {
    throw;
  } catch (const Error& error) {
    return error;
  } catch (const std::exception& error) {
    return Error(ErrorCode::internal, std::string(context) + ": " + error.what());
  } catch (...) {
    return Error(ErrorCode::internal, std::string(context) + ": an exception that is not a std::exception");
  }
}

}  // namespace contentgen::internal
