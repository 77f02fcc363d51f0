#include <gtest/gtest.h>

#include "contentgen/error.hpp"
#include "net/url.hpp"

using contentgen::Error;
using contentgen::net::parse_url;

TEST(Url, SplitsSchemeHostPortTarget) {
  auto u = parse_url("https://API.example.com/v1/chat?x=1#frag");
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.host, "api.example.com");
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.target, "/v1/chat?x=1");
  EXPECT_FALSE(u.host_is_ip);
  EXPECT_EQ(u.host_header(), "api.example.com");
  auto plain = parse_url("http://127.0.0.1:8080");
  EXPECT_FALSE(plain.tls);
  EXPECT_EQ(plain.port, 8080);
  EXPECT_EQ(plain.target, "/");
  EXPECT_TRUE(plain.host_is_ip);
  EXPECT_EQ(plain.host_header(), "127.0.0.1:8080");
  auto query_only = parse_url("http://h?q=1");
  EXPECT_EQ(query_only.target, "/?q=1");
}

TEST(Url, Ipv6AndUserinfo) {
  auto u = parse_url("http://user:secret@[::1]:9000/p");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 9000);
  EXPECT_TRUE(u.host_is_ip);
  EXPECT_EQ(u.origin(), "http://[::1]:9000");
}

TEST(Url, RejectsBadUrlsWithoutEchoingThem) {
  for (const char* bad : {"ftp://x/", "//x", "http://", "http://h:0/", "http://h:99999/", "http://h:12ab/",
                          "http://[::1/", "http://h/a b", "secret-token"}) {
    try {
      parse_url(bad);
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), contentgen::ErrorCode::invalid_argument);
      EXPECT_EQ(e.details().field, "url");
      EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos);
    }
  }
}
