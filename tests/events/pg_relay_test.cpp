// Several processes relay ONE PostgreSQL outbox at the same time (the SOCI repository claims with
// FOR UPDATE SKIP LOCKED): every event is delivered exactly once -- no row is claimed twice -- and
// both processes did part of the work.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "contentgen/adapters/soci_repository.hpp"
#include "events/events_support.hpp"
#include "support/services.hpp"

extern char** environ;

namespace contentgen {
namespace {

using namespace std::chrono_literals;

constexpr int kArticles = 60;
constexpr int kEventsPerArticle = 10;
constexpr int kRelays = 2;

std::string psql(const std::string& bin, const std::string& url, const std::string& sql) {
  const auto result = eventstest::run_command(bin + "/psql -X -q -v ON_ERROR_STOP=1 '" + url + "' -c '" + sql + "' 2>&1");
  EXPECT_EQ(result.exit_status, 0) << sql << ": " << result.out;
  return result.out;
}

struct Child {
  pid_t pid = 0;
  int out = -1;
};

Child spawn(const std::vector<std::string>& args) {
  int pipe_fds[2];
  EXPECT_EQ(::pipe(pipe_fds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  Child child;
  EXPECT_EQ(posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  child.out = pipe_fds[0];
  return child;
}

std::pair<int, std::string> wait_for(Child child) {
  std::string out;
  char buffer[512];
  ssize_t got;
  while ((got = ::read(child.out, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(got));
  ::close(child.out);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(EventsPostgresRelay, TwoProcessesRelayOneOutboxWithoutDoubleClaims) {
  CONTENTGEN_REQUIRE_SERVICE(base_url, "CONTENTGEN_TEST_PG_URL");
  CONTENTGEN_REQUIRE_SERVICE(pg_bin, "CONTENTGEN_TEST_PG_BIN");
  std::string schema = "events_relay_" + new_uuid_v7();
  for (auto& c : schema) c = c == '-' ? '_' : c;
  psql(pg_bin, base_url, "CREATE SCHEMA " + schema);
  const auto url = base_url + "?options=-csearch_path%3D" + schema;

  std::set<std::string> expected;
  {
    SociRepositoryOptions options;
    options.url = url;
    auto repository = open_soci_repository(options);
    const Timestamp start = now_utc();
    for (int a = 0; a < kArticles; ++a) {
      NewArticle record;
      record.article.id = new_uuid_v7();
      record.article.workspace_id = a % 3 == 0 ? "ws-a" : "ws-b";
      record.article.plan_id = "";
      record.article.title = "article " + std::to_string(a);
      record.article.slug = "article-" + std::to_string(a);
      record.article.created_at = start;
      record.article.updated_at = start;
      for (int e = 0; e < kEventsPerArticle; ++e) {
        auto event = eventstest::article_generated(record.article.workspace_id,
                                                   start + std::chrono::microseconds(a * kEventsPerArticle + e));
        event.subject = record.article.id;
        expected.insert(event.id);
        record.events.push_back(event);
      }
      repository->create(record);
    }
    ASSERT_EQ(repository->pending_outbox_count(), expected.size());
  }

  const auto dir = std::filesystem::temp_directory_path() / ("contentgen-pg-relay-" + new_uuid_v7());
  std::filesystem::create_directories(dir);
  const auto file = (dir / "events.jsonl").string();
  const auto go = (dir / "go").string();
  std::vector<Child> children;
  for (int r = 0; r < kRelays; ++r) {
    children.push_back(spawn({CONTENTGEN_PG_RELAY, url, file, "contentgen://relay-" + std::to_string(r) + "/test", go}));
  }
  std::ofstream(go).put('\n');  // both start together
  for (auto& child : children) {
    const auto [status, out] = wait_for(child);
    EXPECT_EQ(status, 0) << out;
    std::printf("relay process: %s", out.c_str());
  }

  std::map<std::string, int> times_delivered;
  std::map<std::string, int> per_process;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    const auto event = boost::json::parse(line).as_object();
    ++times_delivered[std::string(event.at("id").as_string())];
    ++per_process[std::string(event.at("source").as_string())];
  }
  std::size_t twice = 0;
  for (const auto& [id, count] : times_delivered) twice += count > 1 ? 1 : 0;
  EXPECT_EQ(twice, 0u) << "rows claimed by two relays";
  EXPECT_EQ(times_delivered.size(), expected.size());
  for (const auto& id : expected) EXPECT_TRUE(times_delivered.contains(id)) << "lost " << id;
  EXPECT_EQ(per_process.size(), static_cast<std::size_t>(kRelays)) << "one relay did all the work";

  SociRepositoryOptions options;
  options.url = url;
  EXPECT_EQ(open_soci_repository(options)->pending_outbox_count(), 0u);
  psql(pg_bin, base_url, "DROP SCHEMA " + schema + " CASCADE");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace contentgen
