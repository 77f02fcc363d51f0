#pragma once
// Result<T>: the value or the Error of an asynchronous operation, handed to completion handlers.
// Synchronous APIs throw instead; value() turns a Result back into that style.
#include <utility>
#include <variant>

#include "contentgen/error.hpp"

namespace contentgen {

template <class T>
class Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}     // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // The value; throws the Error when there is none.
  T& value() & { throw_if_error(); return std::get<0>(state_); }
  const T& value() const& { throw_if_error(); return std::get<0>(state_); }
  T&& value() && { throw_if_error(); return std::get<0>(std::move(state_)); }

  // The error; only valid when !ok().
  const Error& error() const { return std::get<1>(state_); }

 private:
  void throw_if_error() const {
    if (!ok()) throw std::get<1>(state_);
  }
  std::variant<T, Error> state_;
};

}  // namespace contentgen
