#include "cli/common.hpp"

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "contentgen/error.hpp"
#include "contentgen/json.hpp"

namespace contentgen::cli {

const OptionSpec kWorkspaceOption{"workspace", "ID", "workspace (else $CONTENTGEN_WORKSPACE, else \"default\")"};
const OptionSpec kJsonOption{"json", "", "print JSON instead of text"};

std::string workspace_of(const ParsedArgs& args) {
  if (auto flag = args.get("workspace")) {
    if (flag->empty()) throw UsageError("--workspace must not be empty");
    return *flag;
  }
  if (const char* env = std::getenv("CONTENTGEN_WORKSPACE"); env != nullptr && *env != '\0') return env;
  return "default";
}

std::string read_file(const std::string& path, const std::string& field) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::invalid_argument(field, "cannot read " + path);
  text << in.rdbuf();
  if (in.bad()) throw Error::invalid_argument(field, "cannot read " + path);
  return text.str();
}

ContentPlan plan_from_text(std::string_view text, const std::optional<std::string>& override_workspace,
                           const std::string& fallback_workspace) {
  boost::system::error_code ec;
  boost::json::value document = boost::json::parse(text, ec);
  // Anything that is not an object goes to plan_from_json as is: it reports the error its way.
  if (ec || !document.is_object()) return plan_from_json(text);
  auto& object = document.as_object();
  if (override_workspace) {
    object["workspace_id"] = *override_workspace;
  } else if (!object.contains("workspace_id")) {
    object["workspace_id"] = fallback_workspace;
  }
  return plan_from_json(boost::json::serialize(document));
}

std::string dollars(Money amount) { return "$" + amount.to_string(); }

void print_article_summary(std::ostream& out, const Article& a) {
  out << "id:        " << a.id << "\n"
      << "workspace: " << a.workspace_id << "\n"
      << "title:     " << a.title << "\n"
      << "slug:      " << a.slug << "\n"
      << "status:    " << to_string(a.status) << " (version " << a.version << ")\n"
      << "words:     " << a.word_count << "\n"
      << "cost:      " << dollars(a.cost) << " (" << a.cost.nanos() << " nano-USD"
      << (a.usage.estimated ? ", estimated usage" : "") << ")\n"
      << "model:     " << a.model << " (" << a.provider << ", " << a.llm_calls
      << (a.llm_calls == 1 ? " call" : " calls") << ")\n"
      << "finish:    " << to_string(a.finish_reason) << "\n"
      << "tokens:    prompt " << a.usage.prompt_tokens << " (cached " << a.usage.cached_tokens << "), completion "
      << a.usage.completion_tokens << " (reasoning " << a.usage.reasoning_tokens << ")\n"
      << "created:   " << format_rfc3339(a.created_at) << "\n";
}

void print_article(std::ostream& out, const Article& a) {
  print_article_summary(out, a);
  for (const auto& image : a.images) {
    out << "image:     " << image.id << " " << image.content_type << " " << image.width << "x" << image.height << " "
        << image.size_bytes << " bytes " << image.url << "\n";
  }
  out << "\n" << a.content << (a.content.empty() || a.content.back() == '\n' ? "" : "\n");
}

}  // namespace contentgen::cli
