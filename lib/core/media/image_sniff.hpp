#pragma once
// Image type and dimensions from the bytes themselves (internal). Only PNG, JPEG, GIF and WebP
// are accepted; the type comes from the magic bytes, the dimensions from the format's header, and
// a file whose header is truncated or inconsistent is rejected as forged.
#include <cstdint>
#include <string>
#include <string_view>

#include "contentgen/bytes.hpp"

namespace contentgen::internal {

struct ImageInfo {
  std::string_view content_type;  // "image/png" | "image/jpeg" | "image/gif" | "image/webp"
  std::string_view extension;     // "png" | "jpg" | "gif" | "webp"
  std::int32_t width = 0;
  std::int32_t height = 0;
};

// Throws Error{invalid_argument, field "image"} for anything else.
ImageInfo sniff_image(ByteView bytes);

// Checks what the client claimed against the sniffed type: `declared_content_type` (may be empty;
// "image/jpg" is taken for image/jpeg; parameters after ';' ignored) and the extension of
// `filename` (may be absent; "jpeg"/"jpe" count as jpg). Throws Error{invalid_argument} with
// field "declared_content_type" or "filename" when they disagree.
void check_declared_type(const ImageInfo& sniffed, std::string_view declared_content_type, std::string_view filename);

}  // namespace contentgen::internal
