// Database URL parsing and the SOCI connect string (no database needed).
#include <gtest/gtest.h>

#include "adapters/soci/database_url.hpp"
#include "contentgen/adapters/soci_repository.hpp"
#include "contentgen/error.hpp"

namespace contentgen::soci_adapter {
namespace {

std::string keyword(const DatabaseTarget& target, const std::string& key) {
  const auto it = target.keywords.find(key);
  return it == target.keywords.end() ? "<unset>" : it->second;
}

void expect_bad_url(const std::string& url) {
  try {
    parse_database_url(url);
    ADD_FAILURE() << "accepted " << url;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_argument) << url;
    EXPECT_EQ(error.details().field, "url");
  }
}

TEST(SociDatabaseUrl, SqliteForms) {
  auto t = parse_database_url("sqlite:data/contentgen.db");
  EXPECT_EQ(t.backend, Backend::sqlite);
  EXPECT_EQ(t.sqlite_path, "data/contentgen.db");
  EXPECT_FALSE(t.in_memory());
  EXPECT_EQ(to_soci_connect_string(t), "db=\"data/contentgen.db\"");

  t = parse_database_url("sqlite:///var/lib/contentgen/a b.db");
  EXPECT_EQ(t.sqlite_path, "/var/lib/contentgen/a b.db");

  t = parse_database_url("sqlite::memory:");
  EXPECT_TRUE(t.in_memory());
  EXPECT_EQ(parse_database_url("sqlite3:/tmp/x.db").sqlite_path, "/tmp/x.db");
  expect_bad_url("sqlite:");
}

TEST(SociDatabaseUrl, PostgresqlUriWithEverything) {
  const auto t = parse_database_url(
      "postgresql://app%40corp:p%40ss%3Aw%2Frd%20x@db.example.com:6543/content%20gen?sslmode=verify-full&application_name=my%20app");
  EXPECT_EQ(t.backend, Backend::postgresql);
  EXPECT_EQ(keyword(t, "user"), "app@corp");
  EXPECT_EQ(keyword(t, "password"), "p@ss:w/rd x");
  EXPECT_EQ(keyword(t, "host"), "db.example.com");
  EXPECT_EQ(keyword(t, "port"), "6543");
  EXPECT_EQ(keyword(t, "dbname"), "content gen");
  EXPECT_EQ(keyword(t, "sslmode"), "verify-full");
  EXPECT_EQ(keyword(t, "application_name"), "my app");
  ASSERT_EQ(t.secrets.size(), 1u);
  EXPECT_EQ(t.secrets[0], "p@ss:w/rd x");
  EXPECT_EQ(t.redacted.find("p%40ss"), std::string::npos) << t.redacted;
  EXPECT_NE(t.redacted.find(":***@"), std::string::npos) << t.redacted;
}

TEST(SociDatabaseUrl, PostgresSchemeMinimalAndMultiHost) {
  auto t = parse_database_url("postgres://localhost/contentgen");
  EXPECT_EQ(keyword(t, "host"), "localhost");
  EXPECT_EQ(keyword(t, "port"), "<unset>");
  EXPECT_EQ(keyword(t, "user"), "<unset>");
  EXPECT_EQ(keyword(t, "dbname"), "contentgen");

  t = parse_database_url("postgresql://u@primary:5432,standby:5433/db?target_session_attrs=read-write");
  EXPECT_EQ(keyword(t, "host"), "primary,standby");
  EXPECT_EQ(keyword(t, "port"), "5432,5433");
  EXPECT_EQ(keyword(t, "target_session_attrs"), "read-write");

  t = parse_database_url("postgresql://[::1]:5433/db");
  EXPECT_EQ(keyword(t, "host"), "::1");
  EXPECT_EQ(keyword(t, "port"), "5433");

  t = parse_database_url("postgresql:///db?host=%2Fvar%2Frun%2Fpostgresql");  // Unix socket directory
  EXPECT_EQ(keyword(t, "host"), "/var/run/postgresql");
  EXPECT_EQ(keyword(t, "dbname"), "db");
}

TEST(SociDatabaseUrl, AnUnencodedAtInThePasswordIsTolerated) {
  const auto t = parse_database_url("postgresql://user:p@ss@host/db");
  EXPECT_EQ(keyword(t, "user"), "user");
  EXPECT_EQ(keyword(t, "password"), "p@ss");
  EXPECT_EQ(keyword(t, "host"), "host");
}

TEST(SociDatabaseUrl, KeywordForm) {
  const auto t = parse_database_url("host=127.0.0.1 port = 5432 dbname=cg user=app password='it\\'s a secret'");
  EXPECT_EQ(t.backend, Backend::postgresql);
  EXPECT_EQ(keyword(t, "host"), "127.0.0.1");
  EXPECT_EQ(keyword(t, "port"), "5432");
  EXPECT_EQ(keyword(t, "password"), "it's a secret");
  EXPECT_EQ(t.redacted.find("secret"), std::string::npos) << t.redacted;
  expect_bad_url("host=x password='unterminated");
}

TEST(SociDatabaseUrl, TheClientKeyPassphraseIsASecretToo) {
  const auto uri = parse_database_url("postgresql://u:pw@h/db?sslmode=verify-full&sslpassword=k3y-pass");
  EXPECT_EQ(keyword(uri, "sslpassword"), "k3y-pass");
  EXPECT_EQ(uri.redacted.find("k3y-pass"), std::string::npos) << uri.redacted;
  EXPECT_NE(uri.redacted.find("sslpassword=***"), std::string::npos) << uri.redacted;
  EXPECT_EQ(uri.secrets, (std::vector<std::string>{"pw", "k3y-pass"}));
  const auto keywords = parse_database_url("host=h sslpassword='k3y pass'");
  EXPECT_EQ(keywords.redacted, "host=h sslpassword=***");
  EXPECT_EQ(keywords.secrets, std::vector<std::string>{"k3y pass"});
  EXPECT_EQ(scrub_secrets("could not decrypt with k3y pass", keywords.secrets), "could not decrypt with ***");
}

TEST(SociDatabaseUrl, MalformedUrlsAreInvalidArgumentWithoutThePassword) {
  expect_bad_url("mysql://u:pw@host/db");
  expect_bad_url("postgresql://u:pw@host:54x2/db");
  expect_bad_url("postgresql://u:pw@host/db?novalue");
  expect_bad_url("postgresql://u:p%zzw@host/db");
  expect_bad_url("");
  try {
    parse_database_url("postgresql://u:hunter2@host:bad/db");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos) << error.what();
  }
}

// SOCI 4.0.3 re-tokenizes the connect string on whitespace and strips only "..." quotes; libpq
// then needs its own '...' quoting. Values with spaces are wrapped in both.
TEST(SociDatabaseUrl, ConnectStringSurvivesSocisTokenizer) {
  const auto t = parse_database_url("postgresql://u:a%20b'c%5Cd@h:1/db?options=-c%20search_path%3Dx");
  const std::string connect = to_soci_connect_string(t);
  EXPECT_NE(connect.find("password=\"'a b\\'c\\\\d'\""), std::string::npos) << connect;
  EXPECT_NE(connect.find("options=\"'-c search_path=x'\""), std::string::npos) << connect;
  EXPECT_NE(connect.find("host='h'"), std::string::npos) << connect;

  // Whitespace and a double quote together cannot be expressed for SOCI: refused, not mangled.
  const auto impossible = parse_database_url("postgresql://u:a%20%22b@h/db");
  EXPECT_THROW(to_soci_connect_string(impossible), Error);
}

TEST(SociDatabaseUrl, ScrubSecretsReplacesEveryOccurrence) {
  EXPECT_EQ(scrub_secrets("pw=hunter2 again hunter2", {"hunter2"}), "pw=*** again ***");
  EXPECT_EQ(scrub_secrets("nothing here", {""}), "nothing here");
}

TEST(SociDatabaseUrl, PublicRedaction) {
  EXPECT_EQ(redact_database_url("postgresql://u:secret@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(redact_database_url("sqlite:/tmp/x.db"), "sqlite:/tmp/x.db");
  EXPECT_EQ(redact_database_url("nonsense"), "(unparseable database URL)");
}

}  // namespace
}  // namespace contentgen::soci_adapter
