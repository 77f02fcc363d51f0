#pragma once
// Real, decodable images built byte by byte for the tests (no fixture files): a PNG with a stored
// (uncompressed) zlib stream and correct CRCs, a baseline or progressive grayscale JPEG whose
// entropy-coded data is valid (every block flat grey), a GIF89a, and WebP files with VP8 / VP8L /
// VP8X headers.
#include <cstdint>

#include "contentgen/bytes.hpp"

namespace contentgen::testimages {

Bytes png(std::uint32_t width, std::uint32_t height);
// sof_marker: 0xC0 baseline, 0xC2 progressive header. with_exif: an APP1 Exif segment first.
Bytes jpeg(std::uint16_t width, std::uint16_t height, std::uint8_t sof_marker = 0xC0, bool with_exif = false);
Bytes gif(std::uint16_t width, std::uint16_t height);
Bytes webp_lossy(std::uint16_t width, std::uint16_t height);
Bytes webp_lossless(std::uint16_t width, std::uint16_t height);
Bytes webp_extended(std::uint32_t width, std::uint32_t height);

Bytes bytes_of(std::string_view text);

}  // namespace contentgen::testimages
