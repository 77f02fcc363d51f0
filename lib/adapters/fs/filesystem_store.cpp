#include "contentgen/adapters/filesystem_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <cerrno>
#include <cstring>
#include <random>
#include <system_error>

#include "adapters/fs/filesystem_key.hpp"
#include "contentgen/error.hpp"

namespace contentgen {
namespace {

namespace fs = std::filesystem;

// Owns one file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // close(2) can report a deferred write error; do not lose it for files we wrote.
  int close_checked() noexcept { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_ = -1;
};

[[noreturn]] void throw_os_error(const std::string& what, int error_number) {
  ErrorDetails details;
  details.provider = "filesystem";
  details.provider_code = std::to_string(error_number);
  throw Error(ErrorCode::storage, "filesystem store: " + what + ": " + std::strerror(error_number), std::move(details));
}

void sync_or_throw(int fd, const char* what) {
  if (::fsync(fd) != 0) throw_os_error(std::string("fsync ") + what, errno);
}

std::string temp_name() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name(store_keys::kTempPrefix);
  std::uint64_t bits = random();
  for (int i = 0; i < 16; ++i, bits >>= 4) name += kHex[bits & 0xF];
  return name;
}

std::string encode_path(std::string_view path) {
  // RFC 3986 unreserved characters and '/' stay; everything else (UTF-8 bytes too) is %XX.
  static constexpr boost::urls::grammar::lut_chars kKept = boost::urls::unreserved_chars + '/';
  return boost::urls::encode(path, kKept);
}

}  // namespace

struct FilesystemImageStore::Impl {
  FilesystemStoreOptions options;
  fs::path root;
  Fd root_fd;

  // The directory holding the key's file, opened without following symbolic links; `create`
  // makes missing directories (and fsyncs their parents). Returns an invalid Fd when a directory
  // is missing and `create` is false.
  Fd open_parent(const std::vector<std::string_view>& segments, bool create) const {
    Fd current(::dup(root_fd.get()));
    if (!current.valid()) throw_os_error("dup", errno);
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
      const std::string name(segments[i]);
      int fd = ::openat(current.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0 && errno == ENOENT && create) {
        if (::mkdirat(current.get(), name.c_str(), 0755) != 0 && errno != EEXIST) throw_os_error("mkdir", errno);
        if (options.fsync) sync_or_throw(current.get(), "directory");
        fd = ::openat(current.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      }
      if (fd < 0) {
        const int error = errno;
        if (!create && (error == ENOENT || error == ENOTDIR)) return Fd();
        if (error == ELOOP || error == ENOTDIR) {
          throw_os_error("a path component of the key is a symbolic link or a file", error);
        }
        throw_os_error("open directory", error);
      }
      current = Fd(fd);
    }
    return current;
  }

  StoredObject describe(std::string_view key, int fd) const {
    struct stat info {};
    if (::fstat(fd, &info) != 0) throw_os_error("stat", errno);
    StoredObject object;
    object.key = std::string(key);
    object.size_bytes = static_cast<std::int64_t>(info.st_size);
    const auto mtime_ns = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
    object.etag = std::to_string(info.st_size) + "-" + std::to_string(mtime_ns);
    return object;
  }

  std::string url_for(std::string_view key) const {
    if (!options.public_base_url.empty()) return options.public_base_url + "/" + encode_path(key);
    return "file://" + encode_path(root.native() + "/" + std::string(key));
  }
};

FilesystemImageStore::FilesystemImageStore(FilesystemStoreOptions options) : impl_(std::make_unique<Impl>()) {
  if (options.root.empty()) throw Error::invalid_argument("root", "must not be empty");
  while (!options.public_base_url.empty() && options.public_base_url.back() == '/') {
    options.public_base_url.pop_back();
  }
  std::error_code error;
  impl_->root = fs::absolute(options.root, error).lexically_normal();
  if (error) throw_os_error("resolve root", error.value());
  if (impl_->root.has_filename() == false && impl_->root != impl_->root.root_path()) {
    impl_->root = impl_->root.parent_path();  // drop the trailing '/' lexically_normal keeps
  }
  fs::create_directories(impl_->root, error);
  if (error) throw_os_error("create root " + impl_->root.string(), error.value());
  impl_->root_fd = Fd(::open(impl_->root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!impl_->root_fd.valid()) throw_os_error("open root " + impl_->root.string(), errno);
  impl_->options = std::move(options);
}

FilesystemImageStore::~FilesystemImageStore() = default;

StoredObject FilesystemImageStore::put(std::string_view key, ByteView bytes, std::string_view /*content_type*/) {
  const auto segments = store_keys::filesystem_key_segments(key);
  const std::string name(segments.back());
  const Fd parent = impl_->open_parent(segments, /*create=*/true);

  std::string temp;
  Fd file;
  for (int attempt = 0; attempt < 8 && !file.valid(); ++attempt) {
    temp = temp_name();
    file = Fd(::openat(parent.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!file.valid() && errno != EEXIST) throw_os_error("create temporary file", errno);
  }
  if (!file.valid()) throw_os_error("create temporary file", EEXIST);

  try {
    std::size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = ::write(file.get(), bytes.data() + written, bytes.size() - written);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw_os_error("write", errno);
      }
      written += static_cast<std::size_t>(n);
    }
    if (impl_->options.fsync) sync_or_throw(file.get(), "file");
    StoredObject object = impl_->describe(key, file.get());
    if (file.close_checked() != 0) throw_os_error("close", errno);
    if (::renameat(parent.get(), temp.c_str(), parent.get(), name.c_str()) != 0) throw_os_error("rename", errno);
    if (impl_->options.fsync) sync_or_throw(parent.get(), "directory");
    object.url = impl_->url_for(key);
    return object;
  } catch (...) {
    ::unlinkat(parent.get(), temp.c_str(), 0);  // best effort: the object itself is untouched
    throw;
  }
}

Bytes FilesystemImageStore::get(std::string_view key) {
  const auto segments = store_keys::filesystem_key_segments(key);
  const Fd parent = impl_->open_parent(segments, /*create=*/false);
  if (!parent.valid()) throw Error::not_found("image object");
  const std::string name(segments.back());
  // O_NONBLOCK: a FIFO planted in the root must not block the open (it is rejected below as not a
  // regular file); for regular files the flag changes nothing.
  const Fd file(::openat(parent.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (!file.valid()) {
    if (errno == ENOENT) throw Error::not_found("image object");
    throw_os_error("open", errno);
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) throw_os_error("stat", errno);
  if (!S_ISREG(info.st_mode)) throw Error::not_found("image object");
  Bytes bytes;
  bytes.reserve(static_cast<std::size_t>(info.st_size));
  std::array<std::byte, 64 * 1024> buffer;
  while (true) {
    const ssize_t n = ::read(file.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_os_error("read", errno);
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buffer.begin(), buffer.begin() + n);
  }
  return bytes;
}

void FilesystemImageStore::remove(std::string_view key) {
  const auto segments = store_keys::filesystem_key_segments(key);
  const Fd parent = impl_->open_parent(segments, /*create=*/false);
  if (!parent.valid()) return;
  const std::string name(segments.back());
  if (::unlinkat(parent.get(), name.c_str(), 0) != 0) {
    if (errno == ENOENT || errno == EISDIR) return;  // no object under this key
    throw_os_error("unlink", errno);
  }
  if (impl_->options.fsync) sync_or_throw(parent.get(), "directory");
}

std::string FilesystemImageStore::url_for(std::string_view key) const {
  store_keys::filesystem_key_segments(key);
  return impl_->url_for(key);
}

void FilesystemImageStore::ping() {
  struct stat info {};
  if (::fstat(impl_->root_fd.get(), &info) != 0) throw_os_error("stat root", errno);
  if (info.st_nlink == 0) throw_os_error("root " + impl_->root.string() + " was removed", ENOENT);
  if (::faccessat(impl_->root_fd.get(), ".", W_OK, AT_EACCESS) != 0) throw_os_error("root not writable", errno);
}

const std::filesystem::path& FilesystemImageStore::root() const noexcept { return impl_->root; }

std::filesystem::path FilesystemImageStore::path_for(std::string_view key) const {
  store_keys::filesystem_key_segments(key);
  return impl_->root / fs::path(std::string(key));
}

std::unique_ptr<FilesystemImageStore> make_filesystem_store(FilesystemStoreOptions options) {
  return std::make_unique<FilesystemImageStore>(std::move(options));
}

}  // namespace contentgen
