#include "cli/commands.hpp"

namespace contentgen::cli {

std::vector<Command> all_commands() {
  return {generate_command(),        articles_list_command(), articles_get_command(),  articles_update_command(),
          articles_delete_command(), images_upload_command(), images_delete_command(), events_relay_command(),
          spend_command(),           cost_command(),          prices_command(),        migrate_command(),
          serve_command()};
}

}  // namespace contentgen::cli
