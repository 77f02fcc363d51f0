#include "core/text/utf8.hpp"

#include <cstdint>

namespace contentgen::internal {

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t extra = 0;
  std::uint32_t cp = 0;
  if (lead < 0x80) {
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    cp = lead & 0x1Fu;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    cp = lead & 0x0Fu;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    cp = lead & 0x07u;
  } else {
    return 0;
  }
  if (i + extra >= text.size()) return 0;  // truncated sequence
  for (std::size_t k = 1; k <= extra; ++k) {
    const unsigned char next = byte(i + k);
    if ((next & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3Fu);
  }
  static constexpr std::uint32_t min_for_length[] = {0, 0x80, 0x800, 0x10000};
  if (cp < min_for_length[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return extra + 1;
}

std::optional<std::size_t> utf8_length(std::string_view text) noexcept {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) return std::nullopt;
    i += n;
  }
  return count;
}

bool has_control_characters(std::string_view text, bool allow_newlines) noexcept {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (allow_newlines && (u == '\n' || u == '\r' || u == '\t')) continue;
    if (u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

std::size_t sanitize_generated_text(std::string& text) {
  std::size_t changed = 0;
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto u = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      if (changed++ == 0) out.assign(text, 0, i);
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    const bool control = n == 1 && ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7F);
    if (control) {
      if (changed++ == 0) out.assign(text, 0, i);
    } else if (changed > 0) {
      out.append(text, i, n);
    }
    i += n;
  }
  if (changed > 0) text = std::move(out);
  return changed;
}

std::string printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto u = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0 || (n == 1 && ((u < 0x20 && u != '\n' && u != '\t') || u == 0x7F))) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace contentgen::internal
