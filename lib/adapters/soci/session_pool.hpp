#pragma once
// SessionPool: a soci::connection_pool with what the repository needs around it (internal):
// per-connection setup (SQLite pragmas, PostgreSQL timeouts), transparent re-connection of a
// connection that was lost, transactions, and SQL errors translated to contentgen::Error.
//
//   read(op, fn)     fn(session&) in autocommit; retried once on a fresh connection when the pooled
//                    one turns out to be dead (a read has no effect to repeat).
//   write(op, fn)    fn(session&) inside one transaction (BEGIN IMMEDIATE on SQLite), committed
//                    when fn returns, rolled back when it throws. Retried only when BEGIN itself
//                    found the connection dead; a connection lost later is Error{unavailable}.
//   execute(op, fn)  fn(session&) in autocommit for a single write statement; never retried.
//
// Thread-safe: each call leases its own connection.
#include <soci/soci.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "adapters/soci/database_url.hpp"
#include "adapters/soci/dialect.hpp"
#include "contentgen/adapters/soci_repository.hpp"
#include "contentgen/error.hpp"

namespace contentgen::soci_adapter {

class SessionPool {
 public:
  SessionPool(DatabaseTarget target, const SociRepositoryOptions& options);
  ~SessionPool();
  SessionPool(const SessionPool&) = delete;
  SessionPool& operator=(const SessionPool&) = delete;

  const Dialect& dialect() const { return dialect_; }
  const DatabaseTarget& target() const { return target_; }

  template <class F>
  auto read(std::string_view operation, F&& fn) -> std::invoke_result_t<F&, soci::session&>;
  template <class F>
  auto write(std::string_view operation, F&& fn) -> std::invoke_result_t<F&, soci::session&>;
  template <class F>
  auto execute(std::string_view operation, F&& fn) -> std::invoke_result_t<F&, soci::session&>;

 private:
  struct Slot {
    bool broken = false;  // lost or never set up: reconnect before the next use
  };
  class Lease {
   public:
    explicit Lease(SessionPool& pool);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    soci::session& session() { return pool_.pool_.at(position_); }
    // After a failed statement: whether the connection is gone (then it is reconnected on next use).
    bool connection_lost();
    void rollback_quietly();

   private:
    SessionPool& pool_;
    std::size_t position_ = 0;
  };

  void connect(std::size_t position);
  void set_up(soci::session& session);
  Error translate(const soci::soci_error& error, std::string_view operation, bool lost) const;

  DatabaseTarget target_;
  std::string connect_string_;
  SociRepositoryOptions options_;
  Dialect dialect_;
  soci::connection_pool pool_;
  std::vector<Slot> slots_;  // slot i is touched only by the holder of lease i
};

template <class F>
auto SessionPool::read(std::string_view operation, F&& fn) -> std::invoke_result_t<F&, soci::session&> {
  for (int attempt = 0;; ++attempt) {
    Lease lease(*this);
    try {
      return fn(lease.session());
    } catch (const soci::soci_error& error) {
      const bool lost = lease.connection_lost();
      if (lost && attempt == 0) continue;
      throw translate(error, operation, lost);
    }
  }
}

template <class F>
auto SessionPool::write(std::string_view operation, F&& fn) -> std::invoke_result_t<F&, soci::session&> {
  for (int attempt = 0;; ++attempt) {
    Lease lease(*this);
    soci::session& sql = lease.session();
    try {
      sql << dialect_.begin_write();
    } catch (const soci::soci_error& error) {
      const bool lost = lease.connection_lost();
      if (lost && attempt == 0) continue;  // nothing was sent but BEGIN: safe on a fresh connection
      throw translate(error, operation, lost);
    }
    bool committing = false;
    try {
      if constexpr (std::is_void_v<std::invoke_result_t<F&, soci::session&>>) {
        fn(sql);
        committing = true;
        sql << "COMMIT";
        return;
      } else {
        auto result = fn(sql);
        committing = true;
        sql << "COMMIT";
        return result;
      }
    } catch (const soci::soci_error& error) {
      const bool lost = lease.connection_lost();
      if (!lost) lease.rollback_quietly();
      Error translated = translate(error, operation, lost);
      if (committing && lost)
        translated = Error(ErrorCode::unavailable,
                           std::string(operation) +
                               ": connection lost during COMMIT; the change may or may not have been applied",
                           translated.details());
      throw translated;
    } catch (...) {
      lease.rollback_quietly();
      throw;
    }
  }
}

template <class F>
auto SessionPool::execute(std::string_view operation, F&& fn) -> std::invoke_result_t<F&, soci::session&> {
  Lease lease(*this);
  try {
    return fn(lease.session());
  } catch (const soci::soci_error& error) {
    throw translate(error, operation, lease.connection_lost());
  }
}

}  // namespace contentgen::soci_adapter
