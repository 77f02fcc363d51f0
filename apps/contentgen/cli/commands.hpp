#pragma once
// The contentgen commands: each one is a CommandSpec (options, --help text) and a function that
// runs it and returns the exit status. Errors are thrown (contentgen::Error, UsageError) and
// turned into one stderr line plus an exit status by main().
#include <functional>
#include <string>
#include <vector>

#include "cli/args.hpp"

namespace contentgen::cli {

struct Command {
  CommandSpec spec;
  std::function<int(const ParsedArgs&)> run;
};

Command generate_command();
Command articles_list_command();
Command articles_get_command();
Command articles_update_command();
Command articles_delete_command();
Command images_upload_command();
Command images_delete_command();
Command events_relay_command();
Command spend_command();
Command cost_command();
Command prices_command();
Command migrate_command();
Command serve_command();

// Every command, in the order `contentgen --help` lists them.
std::vector<Command> all_commands();

// The batch half of `generate` (--plans): lives in batch_command.cpp.
int run_batch(const ParsedArgs& args);

}  // namespace contentgen::cli
