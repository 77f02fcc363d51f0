// Image sniffing against real images built in unit/image_bytes.cpp, and forged ones.
#include <gtest/gtest.h>

#include "contentgen/error.hpp"
#include "core/media/image_sniff.hpp"
#include "core/text/sha256.hpp"
#include "unit/image_bytes.hpp"

namespace contentgen::internal {
namespace {

namespace img = testimages;

void expect_image(const Bytes& bytes, std::string_view type, std::string_view ext, std::int32_t w, std::int32_t h) {
  const auto info = sniff_image(bytes);
  EXPECT_EQ(info.content_type, type);
  EXPECT_EQ(info.extension, ext);
  EXPECT_EQ(info.width, w);
  EXPECT_EQ(info.height, h);
}

void expect_rejected(const Bytes& bytes, const char* why) {
  try {
    sniff_image(bytes);
    ADD_FAILURE() << "accepted: " << why;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << why;
    EXPECT_EQ(e.details().field, "image") << why;
  }
}

Bytes truncated(Bytes bytes, std::size_t size) {
  bytes.resize(size);
  return bytes;
}

TEST(ImageSniff, Png) {
  expect_image(img::png(3, 2), "image/png", "png", 3, 2);
  expect_image(img::png(640, 1), "image/png", "png", 640, 1);
}

TEST(ImageSniff, JpegBaselineProgressiveAndWithExif) {
  expect_image(img::jpeg(17, 9), "image/jpeg", "jpg", 17, 9);
  expect_image(img::jpeg(1920, 1080, 0xC2), "image/jpeg", "jpg", 1920, 1080);
  expect_image(img::jpeg(8, 8, 0xC0, /*with_exif=*/true), "image/jpeg", "jpg", 8, 8);
}

TEST(ImageSniff, Gif) { expect_image(img::gif(300, 200), "image/gif", "gif", 300, 200); }

TEST(ImageSniff, WebpLossyLosslessAndExtended) {
  expect_image(img::webp_lossy(400, 300), "image/webp", "webp", 400, 300);
  expect_image(img::webp_lossless(16, 16384), "image/webp", "webp", 16, 16384);
  expect_image(img::webp_extended(20000, 1), "image/webp", "webp", 20000, 1);
}

TEST(ImageSniff, NotAnImage) {
  expect_rejected(img::bytes_of("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "svg");
  expect_rejected(img::bytes_of("BM6\0\0\0"), "bmp");
  expect_rejected(img::bytes_of(""), "empty");
  expect_rejected(img::bytes_of("%PDF-1.7"), "pdf");
}

TEST(ImageSniff, ForgedPngHeaders) {
  expect_rejected(truncated(img::png(2, 2), 20), "png cut inside IHDR");
  Bytes no_ihdr = img::png(2, 2);
  no_ihdr[12] = std::byte{'I'};
  no_ihdr[13] = std::byte{'D'};
  no_ihdr[14] = std::byte{'A'};
  no_ihdr[15] = std::byte{'T'};
  expect_rejected(no_ihdr, "png whose first chunk is not IHDR");
  expect_rejected(img::png(0, 5), "png of width 0");
  Bytes huge = img::png(1, 1);
  huge[16] = std::byte{0x7F};  // width 2^30-ish
  expect_rejected(huge, "png with absurd width");
}

TEST(ImageSniff, ForgedJpegHeaders) {
  expect_rejected(img::bytes_of("\xFF\xD8\xFF\xE0"), "jpeg magic only");
  expect_rejected(truncated(img::jpeg(8, 8), 30), "jpeg cut before its frame header");
  // A segment length that runs past the end of the file.
  Bytes lying = img::jpeg(8, 8);
  lying[4] = std::byte{0x7F};
  expect_rejected(lying, "jpeg segment length past the end");
  expect_rejected(img::jpeg(0, 8), "jpeg of width 0");
}

TEST(ImageSniff, ForgedGifAndWebpHeaders) {
  expect_rejected(img::bytes_of("GIF89a\x01"), "gif cut in its header");
  expect_rejected(img::bytes_of("GIF87a is plain text, not an image"), "gif signature followed by text");
  Bytes gif_without_image = img::gif(4, 4);
  gif_without_image.resize(19);  // header + colour table, then the file ends before any image
  expect_rejected(gif_without_image, "gif without an image descriptor");
  Bytes gif_with_bad_block = img::gif(4, 4);
  gif_with_bad_block[19] = std::byte{'x'};  // where the image descriptor ',' belongs
  expect_rejected(gif_with_bad_block, "gif with an unknown block");
  expect_rejected(img::bytes_of(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16)), "webp cut in its header");
  expect_rejected(truncated(img::webp_lossy(10, 10), 32), "webp shorter than its RIFF size");
  Bytes no_start_code = img::webp_lossy(10, 10);
  no_start_code[23] = std::byte{0};
  expect_rejected(no_start_code, "vp8 without start code");
  Bytes unknown_chunk = img::webp_lossy(10, 10);
  unknown_chunk[15] = std::byte{'Z'};
  expect_rejected(unknown_chunk, "webp with unknown chunk");
}

TEST(ImageSniff, DeclaredTypeAndExtensionMustAgree) {
  const auto png = sniff_image(img::png(1, 1));
  EXPECT_NO_THROW(check_declared_type(png, "image/png", "cover.PNG"));
  EXPECT_NO_THROW(check_declared_type(png, "", ""));
  EXPECT_NO_THROW(check_declared_type(png, "IMAGE/PNG; charset=binary", "no-extension"));
  const auto jpeg = sniff_image(img::jpeg(8, 8));
  EXPECT_NO_THROW(check_declared_type(jpeg, "image/jpg", "photo.jpeg"));
  EXPECT_NO_THROW(check_declared_type(jpeg, "image/jpeg", "dir.v2/photo.JPG"));
  try {
    check_declared_type(png, "image/jpeg", "");
    ADD_FAILURE() << "accepted a declared type that disagrees";
  } catch (const Error& e) {
    EXPECT_EQ(e.details().field, "declared_content_type");
  }
  try {
    check_declared_type(png, "", "evil.gif");
    ADD_FAILURE() << "accepted an extension that disagrees";
  } catch (const Error& e) {
    EXPECT_EQ(e.details().field, "filename");
  }
  EXPECT_THROW(check_declared_type(png, "image/svg+xml", ""), Error);
  EXPECT_THROW(check_declared_type(png, "", "payload.php"), Error);
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(img::bytes_of("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex(img::bytes_of("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace contentgen::internal
