// JSONL file sink. Why each step (see the header for the guarantee):
// - O_APPEND: every write lands at the current end, also with other processes appending.
// - flock(LOCK_EX) around "repair tail + write + fsync": no other writer interleaves, and a torn
//   tail left by a killed writer is cut off by whoever appends next, before appending.
// - the whole publish/batch written under that lock (one write(2), continued if the kernel takes
//   less): only a kill or a failed write can leave a partial line, and both are repaired (or
//   rolled back) below.
// - fsync before returning: "accepted" means on disk, which is what the relay relies on.
// - before each append, the path is checked to still name our file: after a rotation (rename) or
//   deletion the sink opens the path again instead of writing where no reader looks.
#include "contentgen/adapters/jsonl_sink.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>

#include "core/events/cloudevent.hpp"

namespace contentgen {

namespace {

Error storage_error(const std::string& what, const std::filesystem::path& path, int error_number) {
  ErrorDetails details;
  details.provider = "jsonl";
  return Error(ErrorCode::storage, what + " " + path.string() + ": " + std::strerror(error_number), details);
}

// Holds flock(LOCK_EX) on a descriptor for one scope; Error{storage} naming `path` when it cannot.
class FileLock {
 public:
  FileLock(int fd, const std::filesystem::path& path) : fd_(fd) {
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) throw storage_error("cannot lock", path, errno);
    }
  }
  ~FileLock() { ::flock(fd_, LOCK_UN); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

}  // namespace

struct JsonlEventSink::Impl {
  JsonlSinkOptions options;
  std::string source;
  int fd = -1;
  std::mutex mutex;  // one append at a time within this process (flock covers other processes)
  std::atomic<std::uint64_t> lines_written{0};
  std::atomic<std::uint64_t> torn_tails_repaired{0};
  std::atomic<std::uint64_t> reopened{0};

  void open_file() {
    const auto& path = options.path;
    if (path.empty()) throw Error::invalid_argument("path", "the JSONL sink needs a file path");
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) throw storage_error("cannot create the directory of", path, ec.value());
    const bool existed = std::filesystem::exists(path, ec);
    // Read access too: the torn-tail repair reads the end of the very file we append to.
    const int opened = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (opened < 0) throw storage_error("cannot open", path, errno);
    if (fd >= 0) ::close(fd);
    fd = opened;
    if (!existed && options.fsync) sync_parent_directory();
    FileLock lock(fd, path);
    repair_torn_tail();
  }

  // Caller holds `mutex`. When the file was renamed (rotated) or deleted since we opened it,
  // appending to our descriptor would put the events where no reader looks: open the path again.
  void reopen_if_moved() {
    struct stat ours {};
    struct stat at_path {};
    if (::fstat(fd, &ours) != 0) throw storage_error("cannot stat", options.path, errno);
    if (::stat(options.path.c_str(), &at_path) == 0 && at_path.st_dev == ours.st_dev && at_path.st_ino == ours.st_ino) {
      return;
    }
    open_file();
    reopened.fetch_add(1);
  }

  // A new file's directory entry must reach the disk too, or a crash can lose the whole file.
  void sync_parent_directory() const {
    const auto dir = options.path.has_parent_path() ? options.path.parent_path() : std::filesystem::path(".");
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return;  // best effort: some filesystems do not allow it
    ::fsync(dir_fd);
    ::close(dir_fd);
  }

  // Caller holds the lock. If the file does not end in '\n', the bytes after the last '\n' are a
  // line whose writer died mid-write: cut them off. Returns the file's size afterwards.
  off_t repair_torn_tail() {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw storage_error("cannot stat", options.path, errno);
    if (st.st_size == 0) return 0;
    char last = '\n';
    if (::pread(fd, &last, 1, st.st_size - 1) != 1) throw storage_error("cannot read", options.path, errno);
    if (last == '\n') return st.st_size;
    // Scan backwards in blocks for the last newline; everything after it goes.
    char block[4096];
    off_t keep = 0;
    for (off_t pos = st.st_size; pos > 0 && keep == 0;) {
      const off_t start = pos > static_cast<off_t>(sizeof block) ? pos - static_cast<off_t>(sizeof block) : 0;
      const auto want = static_cast<std::size_t>(pos - start);
      if (::pread(fd, block, want, start) != static_cast<ssize_t>(want)) {
        throw storage_error("cannot read", options.path, errno == 0 ? EIO : errno);
      }
      for (std::size_t i = want; i > 0; --i) {
        if (block[i - 1] == '\n') {
          keep = start + static_cast<off_t>(i);
          break;
        }
      }
      pos = start;
    }
    if (::ftruncate(fd, keep) != 0) throw storage_error("cannot repair the torn last line of", options.path, errno);
    if (options.fsync && ::fsync(fd) != 0) throw storage_error("cannot sync", options.path, errno);
    torn_tails_repaired.fetch_add(1);
    return keep;
  }

  // Appends `text` (whole lines); when a write fails part-way, rolls the file back to its previous
  // end so no partial line stays behind.
  void append(const std::string& text, std::size_t lines) {
    std::lock_guard guard(mutex);
    reopen_if_moved();
    FileLock lock(fd, options.path);
    const off_t end_before = repair_torn_tail();  // where to roll back to
    // A short count is not an error by itself; the write after it says what went wrong (ENOSPC,
    // EFBIG, EIO...).
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t written = ::write(fd, text.data() + done, text.size() - done);
      if (written > 0) {
        done += static_cast<std::size_t>(written);
        continue;
      }
      if (written < 0 && errno == EINTR) continue;
      const int reason = written < 0 ? errno : EIO;
      if (::ftruncate(fd, end_before) != 0) {
        // Could not roll back: the next append's repair_torn_tail() cuts the partial line.
      }
      throw storage_error("cannot append to", options.path, reason);
    }
    if (options.fsync && ::fdatasync(fd) != 0) throw storage_error("cannot sync", options.path, errno);
    lines_written.fetch_add(lines);
  }

  std::string line_of(const Event& event) const {
    std::string line = to_cloudevent_json(event, source);
    line.push_back('\n');
    return line;
  }
};

JsonlEventSink::JsonlEventSink(JsonlSinkOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->source = cloudevent::resolve_source(options.source);
  impl_->options = std::move(options);
  std::lock_guard guard(impl_->mutex);
  impl_->open_file();
}

JsonlEventSink::~JsonlEventSink() {
  if (impl_->fd >= 0) ::close(impl_->fd);
}

void JsonlEventSink::publish(const Event& event) {
  impl_->append(impl_->line_of(event), 1);
}

std::vector<std::optional<Error>> JsonlEventSink::publish_batch(std::span<const Event> events) {
  std::vector<std::optional<Error>> outcomes(events.size());
  std::string text;
  std::vector<std::size_t> included;  // events that could be enveloped
  included.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    try {
      text += impl_->line_of(events[i]);
      included.push_back(i);
    } catch (const Error& error) {
      outcomes[i] = error;
    }
  }
  if (included.empty()) return outcomes;
  try {
    impl_->append(text, included.size());
  } catch (const Error& error) {
    for (const auto i : included) outcomes[i] = error;
  }
  return outcomes;
}

void JsonlEventSink::ping() {
  std::lock_guard guard(impl_->mutex);
  impl_->reopen_if_moved();
}

JsonlSinkStats JsonlEventSink::stats() const {
  return {impl_->lines_written.load(), impl_->torn_tails_repaired.load(), impl_->reopened.load()};
}

const std::filesystem::path& JsonlEventSink::path() const noexcept { return impl_->options.path; }

std::unique_ptr<JsonlEventSink> make_jsonl_event_sink(JsonlSinkOptions options) {
  return std::make_unique<JsonlEventSink>(std::move(options));
}

}  // namespace contentgen
