#include "adapters/soci/database_url.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <cctype>

#include "contentgen/adapters/soci_repository.hpp"
#include "contentgen/error.hpp"

namespace contentgen::soci_adapter {
namespace {

constexpr std::string_view redacted_password = "***";

[[noreturn]] void bad_url(const std::string& why) { throw Error::invalid_argument("url", why); }

// libpq keywords whose value is a secret: the password, and the passphrase of an encrypted
// client key (sslpassword).
bool is_secret_keyword(std::string_view key) { return key == "password" || key == "sslpassword"; }

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// RFC 3986 percent-decoding ('+' is not special in libpq URIs).
std::string percent_decode(std::string_view text, std::string_view what) {
  const auto valid = boost::urls::make_pct_string_view(text);
  if (!valid) bad_url("malformed percent-encoding in the " + std::string(what) + " of a postgresql:// URL");
  return valid->decode();
}

std::string percent_encode_for_display(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

// A libpq URI: postgresql://[user[:password]@][host[:port][,host[:port]...]][/dbname][?key=value&...]
DatabaseTarget parse_postgresql_uri(std::string_view url, std::size_t scheme_length) {
  DatabaseTarget target;
  target.backend = Backend::postgresql;
  std::string_view rest = url.substr(scheme_length);

  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view path;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  // The user part ends at the LAST '@' (an unencoded '@' in a password is common enough).
  std::string_view userinfo;
  bool has_password = false;
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    std::string_view user = userinfo;
    if (const auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      has_password = true;
      const std::string password = percent_decode(userinfo.substr(colon + 1), "password");
      target.keywords["password"] = password;
    }
    if (!user.empty()) target.keywords["user"] = percent_decode(user, "user");
  }

  // Hosts: comma-separated host[:port], host may be [IPv6].
  std::string hosts;
  std::string ports;
  bool any_port = false;
  std::string_view hostspec = rest;
  bool first = true;
  while (!hostspec.empty() || first) {
    const auto comma = hostspec.find(',');
    std::string_view one = hostspec.substr(0, comma);
    hostspec = comma == std::string_view::npos ? std::string_view{} : hostspec.substr(comma + 1);
    std::string_view host = one;
    std::string_view port;
    if (one.starts_with('[')) {
      const auto close = one.find(']');
      if (close == std::string_view::npos) bad_url("unterminated [IPv6] host in a postgresql:// URL");
      host = one.substr(1, close - 1);
      const std::string_view after = one.substr(close + 1);
      if (!after.empty()) {
        if (!after.starts_with(':')) bad_url("unexpected text after an [IPv6] host in a postgresql:// URL");
        port = after.substr(1);
      }
    } else if (const auto colon = one.rfind(':'); colon != std::string_view::npos) {
      host = one.substr(0, colon);
      port = one.substr(colon + 1);
    }
    for (const char c : port)
      if (c < '0' || c > '9') bad_url("the port of a postgresql:// URL must be a number");
    if (!first) {
      hosts += ',';
      ports += ',';
    }
    hosts += percent_decode(host, "host");
    ports += port;
    any_port = any_port || !port.empty();
    first = false;
    if (comma == std::string_view::npos) break;
  }
  if (!hosts.empty() && hosts.find_first_not_of(',') != std::string::npos) target.keywords["host"] = hosts;
  if (any_port) target.keywords["port"] = ports;
  if (!path.empty()) target.keywords["dbname"] = percent_decode(path, "database name");

  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) bad_url("a postgresql:// URL parameter must be key=value");
    const std::string key = percent_decode(pair.substr(0, eq), "parameters");
    target.keywords[key] = percent_decode(pair.substr(eq + 1), "parameters");
  }

  // Redacted display: the URL as given, with the password part (and any password= parameter) masked.
  std::string display(url.substr(0, scheme_length));
  if (!userinfo.empty()) {
    const auto colon = userinfo.find(':');
    display += std::string(userinfo.substr(0, colon));
    if (has_password) display += ":" + std::string(redacted_password);
    display += '@';
  }
  display += std::string(rest);
  if (!path.empty()) display += "/" + std::string(path);
  bool first_param = true;
  for (const auto& [key, value] : target.keywords) {
    if (key == "user" || key == "password" || key == "host" || key == "port" || key == "dbname") continue;
    display += first_param ? '?' : '&';
    display += percent_encode_for_display(key) + "=" +
               (is_secret_keyword(key) ? std::string(redacted_password) : percent_encode_for_display(value));
    first_param = false;
  }
  target.redacted = display;
  return target;
}

// The libpq keyword form: key = value pairs; value bare or single-quoted with backslash escapes.
DatabaseTarget parse_keyword_form(std::string_view text) {
  DatabaseTarget target;
  target.backend = Backend::postgresql;
  std::size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && is_space(text[i])) ++i;
  };
  while (true) {
    skip_spaces();
    if (i >= text.size()) break;
    std::string key;
    while (i < text.size() && text[i] != '=' && !is_space(text[i])) key += text[i++];
    skip_spaces();
    if (key.empty() || i >= text.size() || text[i] != '=')
      bad_url("expected key=value in the connection string (or a sqlite: / postgresql:// URL)");
    ++i;
    skip_spaces();
    std::string value;
    if (i < text.size() && text[i] == '\'') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        const char c = text[i++];
        if (c == '\\' && i < text.size()) {
          value += text[i++];
        } else if (c == '\'') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) bad_url("unterminated quoted value in the connection string");
    } else {
      while (i < text.size() && !is_space(text[i])) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i++];
      }
    }
    target.keywords[key] = value;
  }
  if (target.keywords.empty()) bad_url("empty connection string");
  std::string display;
  for (const auto& [key, value] : target.keywords) {
    if (!display.empty()) display += ' ';
    display += key + "=" + (is_secret_keyword(key) ? std::string(redacted_password) : value);
  }
  target.redacted = display;
  return target;
}

DatabaseTarget parse_sqlite(std::string_view url, std::size_t scheme_length) {
  DatabaseTarget target;
  target.backend = Backend::sqlite;
  std::string_view path = url.substr(scheme_length);
  if (path.starts_with("//")) path.remove_prefix(2);  // sqlite:///abs/path
  if (path.empty()) bad_url("sqlite: needs a file path (or :memory:)");
  target.sqlite_path = std::string(path);
  target.redacted = std::string(url);
  return target;
}

// libpq quoting: '...' with \ and ' escaped.
std::string libpq_quote(std::string_view value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace

DatabaseTarget parse_database_url(std::string_view url) {
  DatabaseTarget target;
  if (url.starts_with("sqlite:")) {
    target = parse_sqlite(url, 7);
  } else if (url.starts_with("sqlite3:")) {
    target = parse_sqlite(url, 8);
  } else if (url.starts_with("postgresql://")) {
    target = parse_postgresql_uri(url, 13);
  } else if (url.starts_with("postgres://")) {
    target = parse_postgresql_uri(url, 11);
  } else if (url.find('=') != std::string_view::npos && url.find("://") == std::string_view::npos) {
    target = parse_keyword_form(url);
  } else {
    const auto scheme_end = url.find(':');
    bad_url("unsupported database URL (scheme \"" +
            std::string(url.substr(0, scheme_end == std::string_view::npos ? 0 : scheme_end)) +
            "\"); use sqlite:PATH, sqlite::memory: or postgresql://user@host:port/db");
  }
  for (const auto& [key, value] : target.keywords)
    if (is_secret_keyword(key) && !value.empty()) target.secrets.push_back(value);
  return target;
}

std::string to_soci_connect_string(const DatabaseTarget& target) {
  if (target.backend == Backend::sqlite) {
    if (target.sqlite_path.find('"') != std::string::npos)
      throw Error::invalid_argument("url", "a SQLite path cannot contain '\"'");
    return "db=\"" + target.sqlite_path + "\"";
  }
  // SOCI's tokenizer splits on whitespace unless the value is wrapped in "..." (which it strips,
  // without any escape). libpq then sees key='quoted value'.
  std::string out;
  for (const auto& [key, value] : target.keywords) {
    for (const char c : key)
      if (is_space(c) || c == '=' || c == '"' || c == '\'') throw Error::invalid_argument("url", "malformed parameter name");
    const std::string quoted = libpq_quote(value);
    const bool has_space = std::any_of(value.begin(), value.end(), is_space);
    if (has_space && value.find('"') != std::string::npos)
      throw Error::invalid_argument("url", "parameter " + key + " contains both whitespace and '\"', which SOCI cannot pass on");
    if (!out.empty()) out += ' ';
    out += key + "=" + (has_space ? "\"" + quoted + "\"" : quoted);
  }
  return out;
}

std::string scrub_secrets(std::string message, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto pos = message.find(secret); pos != std::string::npos; pos = message.find(secret, pos + 3))
      message.replace(pos, secret.size(), redacted_password);
  }
  return message;
}

}  // namespace contentgen::soci_adapter

namespace contentgen {

std::string redact_database_url(std::string_view url) {
  try {
    return soci_adapter::parse_database_url(url).redacted;
  } catch (const Error&) {
    return "(unparseable database URL)";
  }
}

}  // namespace contentgen
