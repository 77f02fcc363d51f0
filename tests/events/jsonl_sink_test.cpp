// JSONL sink: one CloudEvent per line, fsync'd, and never a torn line -- also when a writer is
// SIGKILLed in the middle of an append (a child process, killed over and over).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "contentgen/adapters/jsonl_sink.hpp"
#include "contentgen/adapters/null_sink.hpp"
#include "contentgen/relay.hpp"
#include "contentgen/testing/memory_article_repository.hpp"
#include "events/events_support.hpp"

extern char** environ;

namespace contentgen {
namespace {

using namespace std::chrono_literals;
using eventstest::article_generated;

const Timestamp t0 = std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} + std::chrono::hours(9);

class JsonlSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("contentgen-jsonl-" + new_uuid_v7());
    path_ = dir_ / "sub" / "events.jsonl";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string contents() const {
    std::ifstream in(path_, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
  // Every line, checking the file ends with '\n' and each line is a complete CloudEvent.
  std::vector<boost::json::object> lines() const {
    const auto text = contents();
    EXPECT_TRUE(text.empty() || text.back() == '\n') << "file does not end with a newline";
    std::vector<boost::json::object> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      boost::system::error_code ec;
      auto value = boost::json::parse(line, ec);
      EXPECT_FALSE(ec) << "torn or invalid line: " << line.substr(0, 120);
      if (ec) continue;
      const auto& object = value.as_object();
      for (const char* attribute : {"specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data"}) {
        EXPECT_TRUE(object.contains(attribute)) << attribute;
      }
      out.push_back(object);
    }
    return out;
  }
  void write_raw(const std::string& bytes) const {
    std::filesystem::create_directories(path_.parent_path());
    std::ofstream out(path_, std::ios::binary | std::ios::app);
    out << bytes;
  }

  std::filesystem::path dir_;
  std::filesystem::path path_;
};

TEST_F(JsonlSinkTest, WritesOneCloudEventPerLine) {
  JsonlEventSink sink(JsonlSinkOptions{.path = path_, .source = "contentgen://test/app"});
  const auto first = article_generated("ws-1", t0, "Grüße \"quoted\"\nnewline");
  sink.publish(first);
  const std::vector<Event> batch{article_generated("ws-1", t0 + 1s), article_generated("ws-2", t0 + 2s)};
  const auto outcomes = sink.publish_batch(batch);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_FALSE(outcomes[0]);
  EXPECT_FALSE(outcomes[1]);

  const auto written = lines();
  ASSERT_EQ(written.size(), 3u);
  EXPECT_EQ(written[0].at("id").as_string(), first.id);
  EXPECT_EQ(written[0].at("specversion").as_string(), "1.0");
  EXPECT_EQ(written[0].at("source").as_string(), "contentgen://test/app");
  EXPECT_EQ(written[0].at("type").as_string(), "article.generated");
  EXPECT_EQ(written[0].at("subject").as_string(), first.subject);
  EXPECT_EQ(written[0].at("workspaceid").as_string(), "ws-1");
  EXPECT_EQ(written[0].at("data").as_object().at("title").as_string(), "Grüße \"quoted\"\nnewline");
  EXPECT_EQ(written[2].at("id").as_string(), batch[1].id);
  EXPECT_EQ(sink.stats().lines_written, 3u);
}

TEST_F(JsonlSinkTest, DefaultSourceNamesThisHost) {
  JsonlEventSink sink(JsonlSinkOptions{.path = path_});
  sink.publish(article_generated("ws", t0));
  const auto source = std::string(lines().at(0).at("source").as_string());
  EXPECT_EQ(source.rfind("contentgen://", 0), 0u) << source;
}

TEST_F(JsonlSinkTest, RepairsATornLastLineOnOpen) {
  {
    JsonlEventSink sink(JsonlSinkOptions{.path = path_});
    sink.publish(article_generated("ws", t0));
    sink.publish(article_generated("ws", t0 + 1s));
  }
  write_raw(R"({"specversion":"1.0","id":"0192)");  // a writer died here
  JsonlEventSink sink(JsonlSinkOptions{.path = path_});
  EXPECT_EQ(sink.stats().torn_tails_repaired, 1u);
  EXPECT_EQ(lines().size(), 2u);
  sink.publish(article_generated("ws", t0 + 2s));
  EXPECT_EQ(lines().size(), 3u);
}

TEST_F(JsonlSinkTest, RepairsATornLineLeftByAnotherWriterAfterOpen) {
  JsonlEventSink sink(JsonlSinkOptions{.path = path_});
  sink.publish(article_generated("ws", t0));
  write_raw(std::string(10000, '{'));  // longer than one read block of the repair scan
  sink.publish(article_generated("ws", t0 + 1s));
  EXPECT_EQ(sink.stats().torn_tails_repaired, 1u);
  EXPECT_EQ(lines().size(), 2u);
}

TEST_F(JsonlSinkTest, AFileWithOnlyAPartialLineBecomesEmpty) {
  write_raw(R"({"specversion":"1.0")");
  JsonlEventSink sink(JsonlSinkOptions{.path = path_});
  EXPECT_EQ(std::filesystem::file_size(path_), 0u);
  sink.publish(article_generated("ws", t0));
  EXPECT_EQ(lines().size(), 1u);
}

TEST_F(JsonlSinkTest, AShortWriteIsRolledBackAndReportedForTheWholeBatch) {
  JsonlEventSink sink(JsonlSinkOptions{.path = path_});
  const auto first = article_generated("ws", t0);
  sink.publish(first);
  const auto size = std::filesystem::file_size(path_);
  // The file may grow by 100 bytes only (as on a nearly full disk): the batch's single write is
  // cut short with EFBIG after those bytes.
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto previous_handler = ::signal(SIGXFSZ, SIG_IGN);
  const rlimit small{static_cast<rlim_t>(size + 100), saved.rlim_max};
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::vector<Event> batch{article_generated("ws", t0 + 1s), article_generated("ws", t0 + 2s)};
  const auto outcomes = sink.publish_batch(batch);
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, previous_handler);

  ASSERT_EQ(outcomes.size(), 2u);
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome) << "an event that did not reach the file counted as written";
    EXPECT_EQ(outcome->code(), ErrorCode::storage);
    EXPECT_NE(std::string(outcome->what()).find(path_.string()), std::string::npos) << outcome->what();
    EXPECT_NE(std::string(outcome->what()).find(std::strerror(EFBIG)), std::string::npos) << "the OS's reason";
  }
  EXPECT_EQ(std::filesystem::file_size(path_), size) << "the partial batch was not rolled back";
  const auto third = article_generated("ws", t0 + 3s);
  sink.publish(third);
  const auto written = lines();
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0].at("id").as_string(), first.id);
  EXPECT_EQ(written[1].at("id").as_string(), third.id);
  EXPECT_EQ(sink.stats().lines_written, 2u);
}

TEST_F(JsonlSinkTest, RotatedOrDeletedFileIsCreatedAgainInsteadOfWrittenIntoTheVoid) {
  JsonlEventSink sink(JsonlSinkOptions{.path = path_});
  sink.publish(article_generated("ws", t0));
  const auto rotated = path_.parent_path() / "events.jsonl.1";
  std::filesystem::rename(path_, rotated);  // logrotate without copytruncate
  const auto after_rotation = article_generated("ws", t0 + 1s);
  sink.publish(after_rotation);
  auto written = lines();
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].at("id").as_string(), after_rotation.id);
  EXPECT_GT(std::filesystem::file_size(rotated), 0u) << "the rotated file keeps its line";

  std::filesystem::remove(path_);
  const auto after_delete = article_generated("ws", t0 + 2s);
  sink.publish(after_delete);
  written = lines();
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].at("id").as_string(), after_delete.id);
  EXPECT_EQ(sink.stats().reopened, 2u);
  std::filesystem::remove(path_);
  sink.ping();  // re-creates it too
  EXPECT_TRUE(std::filesystem::exists(path_));
}

TEST_F(JsonlSinkTest, ConcurrentPublishersNeverInterleaveLines) {
  JsonlEventSink sink(JsonlSinkOptions{.path = path_, .fsync = false});
  JsonlEventSink second_handle(JsonlSinkOptions{.path = path_, .fsync = false});  // like another process
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto& target = t % 2 == 0 ? sink : second_handle;
      for (int i = 0; i < 50; ++i) target.publish(article_generated("ws", t0 + std::chrono::seconds(i), std::string(3000, 'a')));
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(lines().size(), 400u);
}

TEST_F(JsonlSinkTest, UnwritablePathIsAStorageError) {
  try {
    JsonlEventSink sink(JsonlSinkOptions{.path = "/dev/null/events.jsonl"});
    FAIL() << "opened a file below /dev/null";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::storage);
  }
  try {
    JsonlEventSink sink(JsonlSinkOptions{});
    FAIL() << "accepted an empty path";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(error.details().field, "path");
  }
}

TEST_F(JsonlSinkTest, EventWithInvalidDataFailsAloneInABatch) {
  JsonlEventSink sink(JsonlSinkOptions{.path = path_});
  std::vector<Event> batch{article_generated("ws", t0), article_generated("ws", t0 + 1s)};
  batch[0].data_json = "not json";
  const auto outcomes = sink.publish_batch(batch);
  ASSERT_TRUE(outcomes[0]);
  EXPECT_EQ(outcomes[0]->code(), ErrorCode::internal);
  EXPECT_FALSE(outcomes[1]);
  EXPECT_EQ(lines().size(), 1u);
}

TEST_F(JsonlSinkTest, RelayFromTheOutboxIntoTheFile) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  NewArticle record;
  record.article.id = new_uuid_v7();
  record.article.workspace_id = "ws";
  for (int i = 0; i < 25; ++i) record.events.push_back(article_generated("ws", t0 + std::chrono::seconds(i)));
  repo->create(record);
  auto sink = std::make_shared<JsonlEventSink>(JsonlSinkOptions{.path = path_});
  EventRelay relay(repo, sink, RelayOptions{.batch_size = 10, .clock = {}});
  EXPECT_EQ(relay.relay_all().delivered, 25u);
  const auto written = lines();
  ASSERT_EQ(written.size(), 25u);
  for (std::size_t i = 0; i < written.size(); ++i) EXPECT_EQ(written[i].at("id").as_string(), record.events[i].id);
}

// A child appends ~256 KiB lines in a loop and prints each id once publish() returned; we kill it
// at random moments, many times, each new child continuing the same file. Afterwards: no torn
// line anywhere, and every acknowledged event is in the file.
TEST_F(JsonlSinkTest, SurvivesSigkillOfTheWriterWithoutATornLine) {
  std::filesystem::create_directories(path_.parent_path());
  std::set<std::string> acknowledged;
  constexpr int kRounds = 25;
  int torn_after_kill = 0;  // rounds whose kill landed mid-line (the case being tested)
  std::mt19937 random(12345);
  std::uniform_int_distribution<int> pause_ms(5, 120);
  for (int round = 0; round < kRounds; ++round) {
    int out[2];
    ASSERT_EQ(::pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const std::string path = path_.string();
    const std::string bytes = "262144";
    char* argv[] = {const_cast<char*>(CONTENTGEN_JSONL_WRITER), const_cast<char*>(path.c_str()),
                    const_cast<char*>(bytes.c_str()), nullptr};
    pid_t child = 0;
    ASSERT_EQ(posix_spawn(&child, CONTENTGEN_JSONL_WRITER, &actions, nullptr, argv, environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    // Kill only once the writer is writing (its first acknowledgement arrived): under a sanitizer on
    // a loaded machine its start-up alone can outlast the random pause, and a writer killed before
    // it wrote anything tests nothing.
    std::string ids;
    char buffer[4096];
    ssize_t got;
    pollfd ready{out[0], POLLIN, 0};
    while (ids.find('\n') == std::string::npos && ::poll(&ready, 1, 30'000) > 0 &&
           (got = ::read(out[0], buffer, sizeof buffer)) > 0) {
      ids.append(buffer, static_cast<std::size_t>(got));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random)));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the writer stopped on its own";
    const auto text = contents();
    if (!text.empty() && text.back() != '\n') ++torn_after_kill;
    while ((got = ::read(out[0], buffer, sizeof buffer)) > 0) ids.append(buffer, static_cast<std::size_t>(got));
    ::close(out[0]);
    std::istringstream in(ids);
    std::string id;
    while (std::getline(in, id)) {
      if (id.size() == 36) acknowledged.insert(id);  // a half-printed id was not acknowledged
    }
  }
  // The next writer repairs whatever the last kill left behind.
  JsonlEventSink sink(JsonlSinkOptions{.path = path_});
  sink.publish(article_generated("ws", t0));
  const auto written = lines();
  std::set<std::string> in_file;
  for (const auto& line : written) in_file.insert(std::string(line.at("id").as_string()));
  EXPECT_GT(acknowledged.size(), 0u);
  for (const auto& id : acknowledged) EXPECT_TRUE(in_file.contains(id)) << "acknowledged event lost: " << id;
  RecordProperty("acknowledged", static_cast<int>(acknowledged.size()));
  RecordProperty("lines", static_cast<int>(written.size()));
  RecordProperty("torn_after_kill", torn_after_kill);
  std::printf("kill test: %zu acknowledged, %zu lines, %d of %d kills left a partial line\n", acknowledged.size(),
              written.size(), torn_after_kill, kRounds);
}

TEST(NullEventSink, AcceptsAndCountsEverything) {
  NullEventSink sink;
  sink.publish(article_generated("ws", t0));
  const std::vector<Event> batch{article_generated("ws", t0), article_generated("ws", t0)};
  const auto outcomes = sink.publish_batch(batch);
  EXPECT_EQ(outcomes.size(), 2u);
  EXPECT_FALSE(outcomes[0] || outcomes[1]);
  EXPECT_EQ(sink.discarded(), 3u);
}

}  // namespace
}  // namespace contentgen
