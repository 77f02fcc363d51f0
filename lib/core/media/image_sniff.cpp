#include "core/media/image_sniff.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <optional>

#include "contentgen/error.hpp"

namespace contentgen::internal {
namespace {

constexpr std::int64_t max_dimension = 1 << 20;  // 1,048,576 px: beyond any real image

[[noreturn]] void reject(const std::string& why) { throw Error::invalid_argument("image", why); }

class Reader {
 public:
  explicit Reader(ByteView bytes) : bytes_(bytes) {}
  std::size_t size() const { return bytes_.size(); }
  bool has(std::size_t offset, std::size_t n) const { return offset <= bytes_.size() && n <= bytes_.size() - offset; }
  std::uint32_t u8(std::size_t at) const { return static_cast<std::uint32_t>(bytes_[at]); }
  std::uint32_t be16(std::size_t at) const { return u8(at) << 8 | u8(at + 1); }
  std::uint32_t le16(std::size_t at) const { return u8(at) | u8(at + 1) << 8; }
  std::uint32_t le24(std::size_t at) const { return le16(at) | u8(at + 2) << 16; }
  std::uint32_t be32(std::size_t at) const { return be16(at) << 16 | be16(at + 2); }
  std::uint32_t le32(std::size_t at) const { return le16(at) | le16(at + 2) << 16; }
  bool starts_with(std::size_t at, std::string_view magic) const {
    if (!has(at, magic.size())) return false;
    for (std::size_t i = 0; i < magic.size(); ++i)
      if (bytes_[at + i] != static_cast<std::byte>(magic[i])) return false;
    return true;
  }

 private:
  ByteView bytes_;
};

ImageInfo make(std::string_view type, std::string_view extension, std::int64_t width, std::int64_t height) {
  if (width <= 0 || height <= 0 || width > max_dimension || height > max_dimension)
    reject(std::string(type) + " header declares impossible dimensions " + std::to_string(width) + "x" +
           std::to_string(height));
  return ImageInfo{type, extension, static_cast<std::int32_t>(width), static_cast<std::int32_t>(height)};
}

ImageInfo png(const Reader& r) {
  // Signature, then the IHDR chunk must come first: length 13, "IHDR", width, height (big-endian).
  if (!r.has(0, 33) || r.be32(8) != 13 || !r.starts_with(12, "IHDR")) reject("PNG without a valid IHDR header");
  return make("image/png", "png", r.be32(16), r.be32(20));
}

ImageInfo gif(const Reader& r) {
  if (!r.has(0, 13)) reject("GIF shorter than its logical screen descriptor");
  // A signature plus six bytes is easy to forge: walk the block structure up to the first image
  // descriptor. Header (13) + optional global colour table, then extensions (0x21 label
  // sub-blocks... 0) until an image descriptor (0x2C, 10 bytes incl. the separator).
  std::size_t at = 13;
  if (const std::uint32_t flags = r.u8(10); flags & 0x80) at += 3 * (std::size_t{2} << (flags & 0x07));
  while (true) {
    if (!r.has(at, 1)) reject("GIF ends before its first image");
    const std::uint32_t introducer = r.u8(at);
    if (introducer == 0x2C) {
      if (!r.has(at, 10)) reject("GIF image descriptor is cut short");
      return make("image/gif", "gif", r.le16(6), r.le16(8));
    }
    if (introducer != 0x21 || !r.has(at, 2)) reject("GIF block structure is broken");
    at += 2;  // introducer + label
    while (true) {  // data sub-blocks, each prefixed by its size, ended by a size of 0
      if (!r.has(at, 1)) reject("GIF extension runs past the end of the file");
      const std::size_t size = r.u8(at);
      at += 1 + size;
      if (size == 0) break;
    }
  }
}

bool is_start_of_frame(std::uint32_t marker) {
  // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

ImageInfo jpeg(const Reader& r) {
  std::size_t at = 2;  // after SOI (FF D8)
  while (true) {
    if (!r.has(at, 2) || r.u8(at) != 0xFF) reject("JPEG segment structure is broken");
    while (r.has(at + 1, 1) && r.u8(at + 1) == 0xFF) ++at;  // fill bytes
    if (!r.has(at, 2)) reject("JPEG ends before its frame header");
    const std::uint32_t marker = r.u8(at + 1);
    at += 2;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // standalone markers
    if (marker == 0xD9 || marker == 0xDA) reject("JPEG has no frame header before its image data");
    if (!r.has(at, 2)) reject("JPEG segment length missing");
    const std::uint32_t length = r.be16(at);
    if (length < 2 || !r.has(at, length)) reject("JPEG segment runs past the end of the file");
    if (is_start_of_frame(marker)) {
      if (length < 7) reject("JPEG frame header too short");
      return make("image/jpeg", "jpg", r.be16(at + 5), r.be16(at + 3));  // precision, height, width
    }
    at += length;
  }
}

ImageInfo webp(const Reader& r) {
  // RIFF <size> WEBP <chunk fourcc> <chunk size> <payload>
  if (!r.has(0, 30)) reject("WebP shorter than its header");
  // The RIFF size counts everything after its own field; a truncated file declares more than it has.
  if (std::size_t{r.le32(4)} < 22 || std::size_t{r.le32(4)} + 8 > r.size()) reject("WebP RIFF size does not match the file");
  if (r.starts_with(12, "VP8 ")) {
    // Lossy: frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
    if (r.u8(23) != 0x9D || r.u8(24) != 0x01 || r.u8(25) != 0x2A) reject("WebP VP8 frame without a start code");
    return make("image/webp", "webp", r.le16(26) & 0x3FFF, r.le16(28) & 0x3FFF);
  }
  if (r.starts_with(12, "VP8L")) {
    // Lossless: signature 0x2F, then width-1 and height-1 in 14 bits each.
    if (r.u8(20) != 0x2F) reject("WebP VP8L stream without its signature");
    const std::uint32_t bits = r.le32(21);
    return make("image/webp", "webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
  }
  if (r.starts_with(12, "VP8X")) {
    // Extended: flags (4 bytes), then canvas width-1 and height-1 in 24 bits each.
    return make("image/webp", "webp", std::int64_t{r.le24(24)} + 1, std::int64_t{r.le24(27)} + 1);
  }
  reject("WebP with an unknown first chunk");
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

ImageInfo sniff_image(ByteView bytes) {
  const Reader r(bytes);
  if (r.starts_with(0, "\x89PNG\r\n\x1a\n")) return png(r);
  if (r.starts_with(0, "\xFF\xD8\xFF")) return jpeg(r);
  if (r.starts_with(0, "GIF87a") || r.starts_with(0, "GIF89a")) return gif(r);
  if (r.starts_with(0, "RIFF") && r.starts_with(8, "WEBP")) return webp(r);
  reject("not a PNG, JPEG, GIF or WebP image");
}

void check_declared_type(const ImageInfo& sniffed, std::string_view declared, std::string_view filename) {
  if (const auto type = lower(trim(declared.substr(0, declared.find(';')))); !type.empty()) {
    const std::string normalized = type == "image/jpg" || type == "image/pjpeg" ? "image/jpeg" : type;
    if (normalized != sniffed.content_type)
      throw Error::invalid_argument("declared_content_type", "declared " + type + " but the bytes are " +
                                                                 std::string(sniffed.content_type));
  }
  const auto slash = filename.find_last_of("/\\");
  const auto base = slash == std::string_view::npos ? filename : filename.substr(slash + 1);
  const auto dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return;  // no extension (or a dotfile): nothing claimed
  std::string extension = lower(base.substr(dot + 1));
  if (extension == "jpeg" || extension == "jpe") extension = "jpg";
  if (extension != sniffed.extension)
    throw Error::invalid_argument("filename", "extension ." + lower(base.substr(dot + 1)) + " disagrees with the " +
                                                  std::string(sniffed.content_type) + " content");
}

}  // namespace contentgen::internal
