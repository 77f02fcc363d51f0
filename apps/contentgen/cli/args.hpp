#pragma once
// A small hand-written argument parser for the contentgen commands (docs/cli.md says why there is
// no library here). Each command declares its options; the parser accepts `--name value`,
// `--name=value` and flags, rejects anything undeclared, and renders `--help` from the same table.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace contentgen::cli {

// A mistake on the command line: exit status 2, and a hint pointing at --help.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;        // without the dashes: "plan"
  std::string value_name;  // empty: a flag without a value
  std::string help;
};

struct CommandSpec {
  std::string name;                     // "generate", "articles list"
  std::string summary;                  // one line for the command list
  std::string usage;                    // the part after "contentgen <name> "
  std::vector<OptionSpec> options;      // --config and --help are added for every command
  std::size_t min_positionals = 0;
  std::size_t max_positionals = 0;
  std::string details;                  // extra paragraphs for --help
};

class ParsedArgs {
 public:
  bool help = false;
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  bool flag(const std::string& name) const { return has(name); }
  std::optional<std::string> get(const std::string& name) const;
  std::string get_or(const std::string& name, std::string fallback) const;
  // Required option: UsageError naming it when absent.
  std::string require(const std::string& name) const;
  // Integer in [min, max]; UsageError otherwise.
  std::optional<std::int64_t> integer(const std::string& name, std::int64_t min, std::int64_t max) const;
  std::optional<double> number(const std::string& name, double min, double max) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  friend ParsedArgs parse_args(const CommandSpec&, std::span<const std::string>);
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
};

// Throws UsageError for an unknown option, a missing value, or a wrong number of positionals.
ParsedArgs parse_args(const CommandSpec& spec, std::span<const std::string> args);
// The --help text of one command.
std::string help_text(const CommandSpec& spec);
// Parses a whole decimal integer; nullopt on anything else (sign, junk, overflow).
std::optional<std::int64_t> parse_integer(const std::string& text);

}  // namespace contentgen::cli
