#include "core/domain/cursor.hpp"

#include <array>
#include <charconv>
#include <cstdint>

#include "contentgen/error.hpp"

namespace contentgen::internal {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view prefix = "k1|";
constexpr std::size_t max_id_length = 128;

std::string base64url_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(in[k])); };
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(n >> shift) & 0x3F];
  }
  if (const std::size_t rest = in.size() - i; rest > 0) {
    const std::uint32_t n = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out += alphabet[(n >> 18) & 0x3F];
    out += alphabet[(n >> 12) & 0x3F];
    if (rest == 2) out += alphabet[(n >> 6) & 0x3F];
  }
  return out;
}

[[noreturn]] void malformed() {
  throw Error::invalid_argument("cursor", "malformed pagination cursor; pass next_cursor of a previous page unchanged");
}

std::string base64url_decode(std::string_view in) {
  static const auto table = [] {
    std::array<int, 256> t{};
    t.fill(-1);
    for (std::size_t i = 0; i < alphabet.size(); ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
    return t;
  }();
  if (in.size() % 4 == 1) malformed();
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : in) {
    const int v = table[static_cast<unsigned char>(c)];
    if (v < 0) malformed();
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // Non-canonical encodings (stray low bits in the last character) are rejected too.
  if ((buffer & ((1u << bits) - 1)) != 0) malformed();
  return out;
}

}  // namespace

std::string encode_cursor(const KeysetCursor& cursor) {
  std::string payload(prefix);
  payload += std::to_string(cursor.created_at.time_since_epoch().count());
  payload += '|';
  payload += cursor.id;
  return base64url_encode(payload);
}

KeysetCursor decode_cursor(std::string_view text) {
  if (text.empty() || text.size() > 256) malformed();
  const std::string payload = base64url_decode(text);
  const std::string_view view(payload);
  if (!view.starts_with(prefix)) malformed();
  const std::string_view rest = view.substr(prefix.size());
  const auto bar = rest.find('|');
  if (bar == std::string_view::npos || bar == 0) malformed();
  std::int64_t micros = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + bar, micros);
  if (ec != std::errc{} || end != rest.data() + bar) malformed();
  const std::string_view id = rest.substr(bar + 1);
  if (id.empty() || id.size() > max_id_length) malformed();
  for (const char c : id)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) malformed();
  return {Timestamp{std::chrono::microseconds{micros}}, std::string(id)};
}

}  // namespace contentgen::internal
