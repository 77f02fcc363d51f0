#include <gtest/gtest.h>

#include "contentgen/error.hpp"
#include "server/multipart.hpp"

namespace contentgen::server {
namespace {

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(multipart_boundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/mixed; boundary=x"), std::nullopt);
  EXPECT_EQ(multipart_boundary("application/json"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')), std::nullopt);
  EXPECT_EQ(media_type(" Application/JSON ; charset=utf-8"), "application/json");
}

TEST(Multipart, PartsWithNamesFilenamesTypesAndBinaryBodies) {
  const std::string binary("\x89PNG\r\n\x1a\n--notquite\r\n-", 21);
  const std::string body = "preamble is ignored\r\n--XyZ\r\n"
                           "Content-Disposition: form-data; name=\"file\"; filename=\"my \\\"cat\\\".png\"\r\n"
                           "Content-Type: image/png\r\n\r\n" + binary + "\r\n"
                           "--XyZ\r\ncontent-disposition: FORM-DATA; name=alt_text\r\n\r\nA cat\r\n"
                           "--XyZ--\r\nepilogue";
  const auto parts = parse_multipart(body, "XyZ");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "file");
  EXPECT_EQ(parts[0].filename, "my \"cat\".png");
  EXPECT_EQ(parts[0].content_type, "image/png");
  EXPECT_EQ(parts[0].body, binary);
  EXPECT_EQ(parts[1].name, "alt_text");
  EXPECT_EQ(parts[1].filename, "");
  EXPECT_EQ(parts[1].body, "A cat");
}

TEST(Multipart, EmptyPartBody) {
  const auto parts = parse_multipart("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\r\n--b--", "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_TRUE(parts[0].body.empty());
}

TEST(Multipart, MalformedBodiesNameMultipart) {
  const std::vector<std::string> bad = {
      "",                                                                       // no delimiter
      "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end",       // no closing delimiter
      "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--",                     // no name
      "--b\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nx\r\n--b--",   // not form-data
      "--b\r\nContent-Disposition: form-data; name=\"x\r\n\r\nx\r\n--b--",      // unterminated quote
      "--bContent-Disposition: form-data; name=x\r\n\r\nx\r\n--b--",            // no line break after delimiter
      "garbage--b\r\nContent-Disposition: form-data; name=x\r\n\r\nx\r\n--b--",  // delimiter not on its own line
      "--b\r\nNo colon here\r\n\r\nx\r\n--b--",
  };
  for (const auto& body : bad) {
    try {
      parse_multipart(body, "b");
      ADD_FAILURE() << "accepted: " << body;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(e.details().field, "multipart");
    }
  }
}

TEST(Multipart, TooManyParts) {
  std::string body;
  for (int i = 0; i < 20; ++i) body += "--b\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nx\r\n";
  body += "--b--";
  EXPECT_THROW(parse_multipart(body, "b"), Error);
}

}  // namespace
}  // namespace contentgen::server
