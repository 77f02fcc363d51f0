#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>

#include "contentgen/error.hpp"
#include "core/text/text.hpp"

namespace contentgen::internal {
namespace {

constexpr std::size_t max_slug_length = 80;

icu::Transliterator& to_ascii() {
  thread_local std::unique_ptr<icu::Transliterator> transliterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> created(icu::Transliterator::createInstance(
        icu::UnicodeString::fromUTF8("Any-Latin; Latin-ASCII; Lower"), UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !created)
      throw Error(ErrorCode::internal, std::string("ICU transliterator unavailable: ") + u_errorName(status));
    return created;
  }();
  return *transliterator;
}

}  // namespace

std::string make_slug(std::string_view title) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(title.data(), static_cast<std::int32_t>(title.size())));
  to_ascii().transliterate(text);
  std::string ascii;
  text.toUTF8String(ascii);

  std::string slug;
  slug.reserve(ascii.size());
  bool pending_dash = false;
  for (const char c : ascii) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!keep) {
      pending_dash = !slug.empty();
      continue;
    }
    if (pending_dash) slug += '-';
    pending_dash = false;
    slug += c;
  }
  if (slug.size() > max_slug_length) {
    const auto cut = slug.rfind('-', max_slug_length);
    slug.resize(cut == std::string::npos || cut == 0 ? max_slug_length : cut);
  }
  return slug.empty() ? "article" : slug;
}

}  // namespace contentgen::internal
