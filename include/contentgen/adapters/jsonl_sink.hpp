#pragma once
// JsonlEventSink: the embedded default sink. Appends each event as one CloudEvents JSON object per
// line ("JSON Lines") to a local file and returns once the line is on disk (fsync).
//
// Crash safety: every append is ONE write(2) (continued if the kernel takes less) to a file opened
// with O_APPEND, under an exclusive flock(2), followed by fsync; a write that fails part-way is
// rolled back to the previous end of file. If a writer dies in the middle of a line (SIGKILL,
// power loss), the next append (in any process) finds the file not ending in '\n' and cuts the
// partial line off before writing, so the file never holds a torn line followed by more data;
// the cut event was never acknowledged and its relay sends it again. Readers should consume only
// '\n'-terminated lines (a line being written is not complete until its '\n').
//
// Rotation: rename (or delete) the file at any time; the next append notices that the path no
// longer names the open file and creates a new one there.
//
// Thread safety: safe for concurrent use from several threads and several processes on one file.
// Errors: Error{storage} (with the OS reason) when the file cannot be opened, written or synced.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "contentgen/export.hpp"
#include "contentgen/ports/event_sink.hpp"

namespace contentgen {

struct JsonlSinkOptions {
  std::filesystem::path path{};  // created (with missing parent directories) on first use
  // CloudEvents "source" attribute; empty: "contentgen://<hostname>/contentgen".
  std::string source{};
  bool fsync = true;            // false: faster, but a power loss may lose acknowledged lines
};

struct JsonlSinkStats {
  std::uint64_t lines_written = 0;
  std::uint64_t torn_tails_repaired = 0;   // partial last lines cut off (left by a killed writer)
  std::uint64_t reopened = 0;              // times the file was found renamed/deleted and re-created
};

class CONTENTGEN_API JsonlEventSink final : public EventSink {
 public:
  // Opens (creates) the file and repairs a torn last line. Throws Error{storage}.
  explicit JsonlEventSink(JsonlSinkOptions options);
  ~JsonlEventSink() override;

  void publish(const Event& event) override;
  // All lines in one write and one fsync: the whole batch succeeds or fails together.
  std::vector<std::optional<Error>> publish_batch(std::span<const Event> events) override;
  // Checks the file can still be written (re-creating it if it was rotated away).
  void ping() override;

  JsonlSinkStats stats() const;
  const std::filesystem::path& path() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

CONTENTGEN_API std::unique_ptr<JsonlEventSink> make_jsonl_event_sink(JsonlSinkOptions options);

}  // namespace contentgen
