#pragma once
// Shared helpers of the events suites: sample events, running a child command, the pika peer.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "contentgen/event.hpp"
#include "contentgen/ids.hpp"
#include "contentgen/time.hpp"

namespace contentgen::eventstest {

// An article.generated event whose data has the documented fields (docs/events.md).
inline Event article_generated(const std::string& workspace, Timestamp time, std::string title = "Hello") {
  Event event;
  event.id = new_uuid_v7(time);
  event.type = EventType::article_generated;
  event.time = time;
  event.workspace_id = workspace;
  event.subject = new_uuid_v7(time);
  boost::json::object data{{"article_id", event.subject}, {"workspace_id", workspace},
                           {"plan_id", "plan-1"},         {"title", title},
                           {"word_count", 1200},          {"cost_usd", "0.000123456"},
                           {"model", "gpt-4o-mini"}};
  event.data_json = boost::json::serialize(data);
  return event;
}

// An event of any type with the data fields docs/events.md documents for it.
inline Event event_of_type(EventType type, const std::string& workspace, Timestamp time) {
  auto event = article_generated(workspace, time);
  event.type = type;
  boost::json::object data{{"article_id", event.subject}, {"workspace_id", workspace}};
  switch (type) {
    case EventType::article_generated:
      return event;
    case EventType::article_updated:
      data["version"] = 2;
      data["title"] = "Updated";
      data["status"] = "published";
      data["word_count"] = 900;
      break;
    case EventType::article_deleted:
      break;
    case EventType::image_uploaded:
      data["image_id"] = new_uuid_v7(time);
      data["url"] = "https://images.example/a.png";
      data["content_type"] = "image/png";
      data["size_bytes"] = 2048;
      data["width"] = 64;
      data["height"] = 32;
      data["sha256"] = std::string(64, 'a');
      break;
    case EventType::image_deleted:
      data["image_id"] = new_uuid_v7(time);
      break;
  }
  event.data_json = boost::json::serialize(data);
  return event;
}

// A unique name for exchanges and queues, so suites never see each other's messages.
inline std::string unique_name(const std::string& prefix) { return prefix + "." + new_uuid_v7(); }

struct CommandResult {
  int exit_status = -1;
  std::string out;
};

// Runs `command` through /bin/sh and captures its stdout (stderr goes to the test log).
inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t got;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), got);
  const int status = ::pclose(pipe);
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

#ifdef CONTENTGEN_EVENTS_PEER
// The independent client (tests/events/amqp_peer.py, pika under /usr/bin/python3).
inline CommandResult peer(const std::string& arguments) {
  return run_command(std::string("/usr/bin/python3 ") + CONTENTGEN_EVENTS_PEER + " " + arguments);
}

struct Drained {
  std::vector<boost::json::object> messages;
  std::vector<std::string> errors;  // contract violations the peer found
};

// Reads back (and deletes) `queue`, waiting up to `timeout_s` for at least `expect` messages.
inline Drained drain(const std::string& url, const std::string& queue, std::size_t expect, double timeout_s = 15,
                     const std::string& delete_exchange = {}) {
  Drained drained;
  std::string args = "drain --url '" + url + "' --queue '" + queue + "' --expect " + std::to_string(expect) +
                     " --timeout " + std::to_string(timeout_s);
  if (!delete_exchange.empty()) args += " --delete-exchange '" + delete_exchange + "'";
  const auto result = peer(args);
  EXPECT_EQ(result.exit_status, 0) << result.out;
  if (result.exit_status != 0) return drained;
  const auto report = boost::json::parse(result.out).as_object();
  for (const auto& m : report.at("messages").as_array()) drained.messages.push_back(m.as_object());
  for (const auto& e : report.at("errors").as_array()) drained.errors.emplace_back(e.as_string());
  return drained;
}
#endif

}  // namespace contentgen::eventstest
