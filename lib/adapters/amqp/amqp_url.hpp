#pragma once
// AMQP URL parsing (amqp:// and amqps://) and password-free rendering for logs and errors.
#include <string>

namespace contentgen::amqp {

struct Endpoint {
  std::string user;
  std::string password;
  std::string host;
  int port = 5672;
  std::string vhost = "/";
  bool tls = false;
  std::string redacted;  // "amqp://user@host:port/vhost": never the password
};

// Throws Error{invalid_argument, field "url"}; the message never repeats the URL (it may hold a
// password).
Endpoint parse_url(const std::string& url);

}  // namespace contentgen::amqp
