// String forms of the domain enums. These strings are stored in databases and sent over the wire:
// never change one.
#include <array>
#include <utility>

#include "contentgen/article.hpp"
#include "contentgen/event.hpp"

namespace contentgen {
namespace {

template <class Enum, std::size_t N>
std::optional<Enum> parse(const std::array<std::pair<Enum, std::string_view>, N>& names, std::string_view text) {
  for (const auto& [value, name] : names)
    if (name == text) return value;
  return std::nullopt;
}

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum value) {
  for (const auto& [candidate, name] : names)
    if (candidate == value) return name;
  return "unknown";
}

constexpr std::array<std::pair<ArticleStatus, std::string_view>, 3> status_names{{
    {ArticleStatus::draft, "draft"}, {ArticleStatus::published, "published"}, {ArticleStatus::archived, "archived"}}};

constexpr std::array<std::pair<FinishReason, std::string_view>, 4> finish_names{{{FinishReason::stop, "stop"},
                                                                                  {FinishReason::length, "length"},
                                                                                  {FinishReason::content_filter, "content_filter"},
                                                                                  {FinishReason::other, "other"}}};

constexpr std::array<std::pair<EventType, std::string_view>, 5> event_names{
    {{EventType::article_generated, "article.generated"},
     {EventType::article_updated, "article.updated"},
     {EventType::article_deleted, "article.deleted"},
     {EventType::image_uploaded, "image.uploaded"},
     {EventType::image_deleted, "image.deleted"}}};

}  // namespace

std::string_view to_string(ArticleStatus status) noexcept { return name_of(status_names, status); }
std::optional<ArticleStatus> parse_article_status(std::string_view text) noexcept { return parse(status_names, text); }
std::string_view to_string(FinishReason reason) noexcept { return name_of(finish_names, reason); }
std::optional<FinishReason> parse_finish_reason(std::string_view text) noexcept { return parse(finish_names, text); }
std::string_view to_string(EventType type) noexcept { return name_of(event_names, type); }
std::optional<EventType> parse_event_type(std::string_view text) noexcept { return parse(event_names, text); }

}  // namespace contentgen
