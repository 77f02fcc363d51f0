#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <memory>

#include "contentgen/error.hpp"
#include "core/text/text.hpp"

namespace contentgen::internal {
namespace {

icu::BreakIterator& word_iterator() {
  thread_local std::unique_ptr<icu::BreakIterator> iterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> created(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status) || !created)
      throw Error(ErrorCode::internal, std::string("ICU word break iterator unavailable: ") + u_errorName(status));
    return created;
  }();
  return *iterator;
}

struct UTextCloser {
  void operator()(UText* text) const noexcept { utext_close(text); }
};

}  // namespace

std::int64_t count_words(std::string_view text) {
  if (text.empty()) return 0;
  UErrorCode status = U_ZERO_ERROR;
  // UTF-8 is read in place: no conversion to UTF-16.
  std::unique_ptr<UText, UTextCloser> utext(
      utext_openUTF8(nullptr, text.data(), static_cast<std::int64_t>(text.size()), &status));
  if (U_FAILURE(status)) throw Error(ErrorCode::internal, std::string("ICU cannot read the text: ") + u_errorName(status));
  auto& iterator = word_iterator();
  iterator.setText(utext.get(), status);
  if (U_FAILURE(status)) throw Error(ErrorCode::internal, std::string("ICU word breaking failed: ") + u_errorName(status));
  std::int64_t words = 0;
  // A segment is a word when its rule status is a letter, number, kana or ideograph status, not
  // UBRK_WORD_NONE (spaces, punctuation, symbols).
  for (std::int32_t end = iterator.next(); end != icu::BreakIterator::DONE; end = iterator.next())
    if (iterator.getRuleStatus() >= UBRK_WORD_NONE_LIMIT) ++words;
  // Detach the UText before it is closed, so the cached iterator holds no dangling pointer.
  iterator.setText(icu::UnicodeString());
  return words;
}

}  // namespace contentgen::internal
