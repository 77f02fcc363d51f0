#include "cli/args.hpp"

#include <charconv>
#include <cstdlib>
#include <sstream>

namespace contentgen::cli {
namespace {

const OptionSpec kConfigOption{"config", "FILE",
                               "configuration file (else $CONTENTGEN_CONFIG, else the embedded defaults)"};
const OptionSpec kLogLevelOption{"log-level", "LEVEL",
                                 "what the library reports on stderr: debug, info, warning (default), error, off"};
const OptionSpec kHelpOption{"help", "", "show this help"};

const OptionSpec* find_option(const CommandSpec& spec, const std::string& name) {
  if (name == kConfigOption.name) return &kConfigOption;
  if (name == kHelpOption.name) return &kHelpOption;
  if (name == kLogLevelOption.name) return &kLogLevelOption;
  for (const auto& option : spec.options)
    if (option.name == name) return &option;
  return nullptr;
}

std::string see_help(const CommandSpec& spec) { return " (see: contentgen " + spec.name + " --help)"; }

}  // namespace

std::optional<std::int64_t> parse_integer(const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const char* begin = text.data();
  if (begin != end && *begin == '+') return std::nullopt;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

std::optional<std::string> ParsedArgs::get(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string ParsedArgs::get_or(const std::string& name, std::string fallback) const {
  auto value = get(name);
  return value ? *value : std::move(fallback);
}

std::string ParsedArgs::require(const std::string& name) const {
  auto value = get(name);
  if (!value) throw UsageError("--" + name + " is required");
  return *value;
}

std::optional<std::int64_t> ParsedArgs::integer(const std::string& name, std::int64_t min, std::int64_t max) const {
  const auto text = get(name);
  if (!text) return std::nullopt;
  const auto value = parse_integer(*text);
  if (!value || *value < min || *value > max) {
    throw UsageError("--" + name + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

std::optional<double> ParsedArgs::number(const std::string& name, double min, double max) const {
  const auto text = get(name);
  if (!text) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (text->empty() || end != text->c_str() + text->size() || !(value >= min && value <= max)) {
    std::ostringstream message;
    message << "--" << name << " must be a number from " << min << " to " << max;
    throw UsageError(message.str());
  }
  return value;
}

ParsedArgs parse_args(const CommandSpec& spec, std::span<const std::string> args) {
  ParsedArgs parsed;
  bool only_positionals = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_positionals || arg.size() < 2 || arg[0] != '-' || arg == "-") {
      parsed.positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positionals = true;
      continue;
    }
    if (arg == "-h") {
      parsed.help = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) throw UsageError("unknown option " + arg + see_help(spec));
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const OptionSpec* option = find_option(spec, name);
    if (option == nullptr) throw UsageError("unknown option --" + name + see_help(spec));
    if (name == "help") {
      parsed.help = true;
      continue;
    }
    if (option->value_name.empty()) {
      if (inline_value) throw UsageError("--" + name + " takes no value");
      parsed.values_[name] = "";
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value (" + option->value_name + ")");
      inline_value = args[++i];
    }
    if (parsed.values_.count(name) != 0) throw UsageError("--" + name + " given twice");
    parsed.values_[name] = *inline_value;
  }
  if (parsed.help) return parsed;
  const auto n = parsed.positionals_.size();
  if (n < spec.min_positionals) throw UsageError("missing argument: contentgen " + spec.name + " " + spec.usage);
  if (n > spec.max_positionals) {
    throw UsageError("unexpected argument \"" + parsed.positionals_[spec.max_positionals] + "\"" + see_help(spec));
  }
  return parsed;
}

std::string help_text(const CommandSpec& spec) {
  std::ostringstream out;
  out << "usage: contentgen " << spec.name << (spec.usage.empty() ? "" : " ") << spec.usage << "\n\n"
      << spec.summary << "\n";
  std::vector<const OptionSpec*> options;
  for (const auto& option : spec.options) options.push_back(&option);
  options.push_back(&kConfigOption);
  options.push_back(&kLogLevelOption);
  options.push_back(&kHelpOption);
  std::size_t width = 0;
  auto label = [](const OptionSpec& o) { return "--" + o.name + (o.value_name.empty() ? "" : " " + o.value_name); };
  for (const auto* o : options) width = std::max(width, label(*o).size());
  out << "\noptions:\n";
  for (const auto* o : options) {
    const std::string text = label(*o);
    out << "  " << text << std::string(width - text.size() + 2, ' ') << o->help << "\n";
  }
  if (!spec.details.empty()) out << "\n" << spec.details << (spec.details.back() == '\n' ? "" : "\n");
  return out.str();
}

}  // namespace contentgen::cli
