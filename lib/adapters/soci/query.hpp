#pragma once
// Query: one SQL statement with named bound parameters and into() targets, executed once
// (PostgreSQL: PQexecParams, one round trip, no server-side prepared statement left behind).
// Unlike SOCI's `sql << "...", use(x)` idiom, nothing runs in a destructor, and a bound value must
// be an lvalue that outlives run() -- which the API makes hard to get wrong:
//
//   long long version = 0;
//   Query q(sql, statements.update_article);
//   q.use(article.id, "id").into(version);
//   if (!q.run()) ...  // no row
#include <soci/soci.h>

#include <string>
#include <utility>

namespace contentgen::soci_adapter {

class Query {
 public:
  Query(soci::session& sql, std::string text) : statement_(sql), text_(std::move(text)) {}

  template <class T>
  Query& into(T& target) {
    statement_.exchange(soci::into(target));
    return *this;
  }
  template <class T>
  Query& use(const T& value, const std::string& name) {
    statement_.exchange(soci::use(value, name));
    return *this;
  }
  // Rvalues would dangle before run(): refuse them at compile time.
  template <class T>
  Query& use(const T&& value, const std::string& name) = delete;

  // Executes; true when at least one row came back (for statements with into()).
  bool run() {
    statement_.alloc();
    statement_.prepare(text_, soci::details::st_one_time_query);
    statement_.define_and_bind();
    return statement_.execute(true);
  }

 private:
  soci::statement statement_;
  std::string text_;
};

}  // namespace contentgen::soci_adapter
