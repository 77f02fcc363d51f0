#include "unit/image_bytes.hpp"

#include <array>
#include <string>

namespace contentgen::testimages {
namespace {

void put(Bytes& out, std::string_view text) {
  for (const char c : text) out.push_back(static_cast<std::byte>(c));
}
void u8(Bytes& out, std::uint32_t v) { out.push_back(static_cast<std::byte>(v & 0xFF)); }
void be16(Bytes& out, std::uint32_t v) { u8(out, v >> 8); u8(out, v); }
void be32(Bytes& out, std::uint32_t v) { be16(out, v >> 16); be16(out, v); }
void le16(Bytes& out, std::uint32_t v) { u8(out, v); u8(out, v >> 8); }
void le24(Bytes& out, std::uint32_t v) { le16(out, v); u8(out, v >> 16); }
void le32(Bytes& out, std::uint32_t v) { le16(out, v); le16(out, v >> 16); }

std::uint32_t crc32(const Bytes& data, std::size_t from) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = from; i < data.size(); ++i)
    crc = table[(crc ^ static_cast<std::uint32_t>(data[i])) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

void png_chunk(Bytes& out, std::string_view type, const Bytes& payload) {
  be32(out, static_cast<std::uint32_t>(payload.size()));
  const std::size_t start = out.size();
  put(out, type);
  out.insert(out.end(), payload.begin(), payload.end());
  be32(out, crc32(out, start));
}

// zlib stream of stored (uncompressed) deflate blocks.
Bytes zlib_stored(const Bytes& raw) {
  Bytes out;
  u8(out, 0x78);
  u8(out, 0x01);
  std::size_t pos = 0;
  do {
    const std::size_t n = std::min<std::size_t>(65535, raw.size() - pos);
    const bool last = pos + n == raw.size();
    u8(out, last ? 1 : 0);
    le16(out, static_cast<std::uint32_t>(n));
    le16(out, static_cast<std::uint32_t>(~n & 0xFFFF));
    out.insert(out.end(), raw.begin() + static_cast<std::ptrdiff_t>(pos), raw.begin() + static_cast<std::ptrdiff_t>(pos + n));
    pos += n;
  } while (pos < raw.size());
  std::uint32_t a = 1, b = 0;
  for (const auto byte : raw) {
    a = (a + static_cast<std::uint32_t>(byte)) % 65521;
    b = (b + a) % 65521;
  }
  be32(out, b << 16 | a);
  return out;
}

}  // namespace

Bytes bytes_of(std::string_view text) {
  Bytes out;
  put(out, text);
  return out;
}

Bytes png(std::uint32_t width, std::uint32_t height) {
  Bytes out;
  put(out, "\x89PNG\r\n\x1a\n");
  Bytes header;
  be32(header, width);
  be32(header, height);
  for (std::uint32_t v : {8u, 2u, 0u, 0u, 0u}) u8(header, v);  // 8-bit RGB, deflate, no filter, no interlace
  png_chunk(out, "IHDR", header);
  Bytes raw;
  for (std::uint32_t y = 0; y < height; ++y) {
    u8(raw, 0);  // filter: none
    for (std::uint32_t x = 0; x < width; ++x) {
      u8(raw, x * 255 / (width > 1 ? width - 1 : 1));
      u8(raw, y * 255 / (height > 1 ? height - 1 : 1));
      u8(raw, 128);
    }
  }
  png_chunk(out, "IDAT", zlib_stored(raw));
  png_chunk(out, "IEND", {});
  return out;
}

Bytes jpeg(std::uint16_t width, std::uint16_t height, std::uint8_t sof_marker, bool with_exif) {
  Bytes out;
  be16(out, 0xFFD8);  // SOI
  if (with_exif) {
    be16(out, 0xFFE1);
    be16(out, 2 + 6 + 8);
    put(out, std::string_view("Exif\0\0", 6));
    put(out, std::string_view("MM\0\x2A\0\0\0\x08", 8));
  }
  be16(out, 0xFFE0);  // APP0 JFIF
  be16(out, 16);
  put(out, std::string_view("JFIF\0", 5));
  for (std::uint32_t v : {1u, 1u, 0u}) u8(out, v);
  be16(out, 1);
  be16(out, 1);
  u8(out, 0);
  u8(out, 0);
  be16(out, 0xFFDB);  // DQT: table 0, all ones
  be16(out, 2 + 1 + 64);
  u8(out, 0);
  for (int i = 0; i < 64; ++i) u8(out, 1);
  be16(out, 0xFF00 | sof_marker);  // SOF: 8-bit, one grey component
  be16(out, 2 + 6 + 3);
  u8(out, 8);
  be16(out, height);
  be16(out, width);
  u8(out, 1);
  u8(out, 1);
  u8(out, 0x11);
  u8(out, 0);
  // DHT: one 1-bit code ("0") per table: DC category 0, AC end-of-block.
  for (std::uint32_t table_class : {0x00u, 0x10u}) {
    be16(out, 0xFFC4);
    be16(out, 2 + 1 + 16 + 1);
    u8(out, table_class);
    u8(out, 1);
    for (int i = 1; i < 16; ++i) u8(out, 0);
    u8(out, 0x00);
  }
  be16(out, 0xFFDA);  // SOS
  be16(out, 2 + 1 + 2 + 3);
  u8(out, 1);
  u8(out, 1);
  u8(out, 0x00);
  u8(out, 0);
  u8(out, 63);
  u8(out, 0);
  // Each 8x8 block: DC diff 0 ("0") + EOB ("0") = two zero bits; pad the last byte with ones.
  const std::size_t blocks = static_cast<std::size_t>((width + 7) / 8) * static_cast<std::size_t>((height + 7) / 8);
  const std::size_t bits = blocks * 2;
  const std::size_t whole = bits / 8;
  for (std::size_t i = 0; i < whole; ++i) u8(out, 0x00);
  if (bits % 8 != 0) u8(out, 0xFFu >> (bits % 8));
  be16(out, 0xFFD9);  // EOI
  return out;
}

Bytes gif(std::uint16_t width, std::uint16_t height) {
  Bytes out;
  put(out, "GIF89a");
  le16(out, width);
  le16(out, height);
  for (std::uint32_t v : {0x80u, 0u, 0u}) u8(out, v);           // global colour table of 2 entries
  for (std::uint32_t v : {0u, 0u, 0u, 255u, 255u, 255u}) u8(out, v);
  put(out, ",");                                                  // image descriptor
  le16(out, 0);
  le16(out, 0);
  le16(out, 1);
  le16(out, 1);
  u8(out, 0);
  for (std::uint32_t v : {2u, 2u, 0x44u, 0x01u, 0u}) u8(out, v);  // LZW: one pixel of colour 0
  put(out, ";");
  return out;
}

namespace {
Bytes riff(std::string_view fourcc, const Bytes& payload) {
  Bytes out;
  put(out, "RIFF");
  le32(out, static_cast<std::uint32_t>(4 + 8 + payload.size() + payload.size() % 2));
  put(out, "WEBP");
  put(out, fourcc);
  le32(out, static_cast<std::uint32_t>(payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
  if (payload.size() % 2 != 0) u8(out, 0);
  return out;
}
}  // namespace

Bytes webp_lossy(std::uint16_t width, std::uint16_t height) {
  Bytes frame;
  le24(frame, 0x10u | 10u << 5);  // frame tag: key frame (bit 0 clear), version 0, shown, partition 10
  for (std::uint32_t v : {0x9Du, 0x01u, 0x2Au}) u8(frame, v);
  le16(frame, width & 0x3FFF);
  le16(frame, height & 0x3FFF);
  for (int i = 0; i < 10; ++i) u8(frame, 0);
  return riff("VP8 ", frame);
}

Bytes webp_lossless(std::uint16_t width, std::uint16_t height) {
  Bytes stream;
  u8(stream, 0x2F);
  le32(stream, static_cast<std::uint32_t>(width - 1) | static_cast<std::uint32_t>(height - 1) << 14);
  for (int i = 0; i < 8; ++i) u8(stream, 0);
  return riff("VP8L", stream);
}

Bytes webp_extended(std::uint32_t width, std::uint32_t height) {
  Bytes header;
  le32(header, 0x10);  // flags: alpha
  le24(header, width - 1);
  le24(header, height - 1);
  return riff("VP8X", header);
}

}  // namespace contentgen::testimages
