// FilesystemImageStore: round trips, key validation (path traversal), symbolic links, URLs, and
// atomicity against concurrent readers, failed writes and a writer killed mid-write.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "contentgen/adapters/filesystem_store.hpp"
#include "contentgen/error.hpp"
#include "support/temp_dir.hpp"

namespace contentgen {
namespace {

namespace fs = std::filesystem;

struct TempDir : testsupport::TempDir {
  TempDir() : testsupport::TempDir("contentgen-fs-test") {}
};

Bytes random_bytes(std::size_t size, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  Bytes bytes(size);
  for (auto& b : bytes) b = static_cast<std::byte>(random() & 0xFF);
  return bytes;
}

Bytes filled(std::size_t size, char c) { return Bytes(size, static_cast<std::byte>(c)); }

std::vector<std::string> temp_files_under(const fs::path& root) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().filename().string().starts_with(".contentgen-tmp-")) found.push_back(entry.path().string());
  }
  return found;
}

class FilesystemStoreTest : public ::testing::Test {
 protected:
  TempDir dir;
  fs::path root = dir.path() / "images";
  FilesystemImageStore store{FilesystemStoreOptions{root, "", true}};
};

TEST_F(FilesystemStoreTest, PutThenGetReturnsIdenticalBytes) {
  const Bytes payload = random_bytes(300'000, 1);
  const StoredObject stored = store.put("workspaces/w1/articles/a1/images/i1.png", payload, "image/png");
  EXPECT_EQ(stored.key, "workspaces/w1/articles/a1/images/i1.png");
  EXPECT_EQ(stored.size_bytes, 300'000);
  EXPECT_FALSE(stored.etag.empty());
  EXPECT_EQ(store.get("workspaces/w1/articles/a1/images/i1.png"), payload);
  EXPECT_TRUE(fs::is_regular_file(root / "workspaces/w1/articles/a1/images/i1.png"));
  EXPECT_EQ(fs::file_size(root / "workspaces/w1/articles/a1/images/i1.png"), 300'000u);
  EXPECT_TRUE(temp_files_under(root).empty());
}

TEST_F(FilesystemStoreTest, EmptyObjectAndOverwrite) {
  store.put("a/empty.bin", {}, "application/octet-stream");
  EXPECT_TRUE(store.get("a/empty.bin").empty());
  store.put("a/x.bin", filled(10, 'a'), "");
  store.put("a/x.bin", filled(3, 'b'), "");
  EXPECT_EQ(store.get("a/x.bin"), filled(3, 'b'));
}

TEST_F(FilesystemStoreTest, MissingKeyIsNotFoundAndRemoveOfMissingKeyIsFine) {
  try {
    store.get("nothing/here.png");
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
  }
  EXPECT_NO_THROW(store.remove("nothing/here.png"));
  EXPECT_NO_THROW(store.remove("toplevel.png"));
  store.put("k/v.png", filled(4, 'x'), "image/png");
  store.remove("k/v.png");
  EXPECT_FALSE(fs::exists(root / "k/v.png"));
  EXPECT_THROW(store.get("k/v.png"), Error);
  EXPECT_NO_THROW(store.remove("k/v.png"));
  // A key whose "directory" is a file is simply absent.
  store.put("file.png", filled(1, 'x'), "");
  EXPECT_THROW(store.get("file.png/inner.png"), Error);
  EXPECT_NO_THROW(store.remove("file.png/inner.png"));
}

TEST_F(FilesystemStoreTest, PathTraversalAndMalformedKeysAreRejected) {
  const std::vector<std::string> bad = {
      "", "../escape.png", "a/../../escape.png", "a/..", "..", ".", "./a.png", "a/./b.png", "/etc/passwd",
      "//double", "a//b.png", "a/", "a\\..\\..\\escape.png", "..\\escape.png", "a\\b.png",
      std::string("nul\0byte.png", 12), "new\nline.png", "tab\t.png", "\x7f.png",
      "bad-utf8-\xC3\x28.png", "overlong-\xC0\xAF.png", "surrogate-\xED\xA0\x80.png",
      std::string(256, 'x') + "/a.png", std::string(1025, 'y'), ".contentgen-tmp-1234", "a/.contentgen-tmp-x"};
  for (const std::string& key : bad) {
    for (int op = 0; op < 4; ++op) {
      try {
        switch (op) {
          case 0: store.put(key, filled(1, 'x'), "image/png"); break;
          case 1: store.get(key); break;
          case 2: store.remove(key); break;
          default: (void)store.url_for(key); break;
        }
        ADD_FAILURE() << "accepted key (op " << op << "): " << key;
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << key;
        EXPECT_EQ(e.details().field, "key") << key;
      }
    }
  }
  // Nothing was written outside the root, and nothing inside it either.
  EXPECT_FALSE(fs::exists(dir.path() / "escape.png"));
  EXPECT_TRUE(fs::is_empty(root));
}

TEST_F(FilesystemStoreTest, UnusualButSafeKeysWork) {
  for (const std::string key : {"spaces in name.png", "plus+tilde~percent%25.png", "Grüße/日本語.png", "...dots.png",
                                "a/..b/c..", ":colon@at.png"}) {
    const Bytes payload = random_bytes(100, key.size());
    store.put(key, payload, "image/png");
    EXPECT_EQ(store.get(key), payload) << key;
    EXPECT_TRUE(fs::exists(root / key)) << key;
  }
}

TEST_F(FilesystemStoreTest, SymbolicLinksInsideTheRootAreNotFollowed) {
  const fs::path outside = dir.path() / "outside";
  fs::create_directories(outside);
  fs::create_directory_symlink(outside, root / "link");
  std::ofstream(outside / "secret.txt") << "secret";
  fs::create_symlink(outside / "secret.txt", root / "file-link.png");

  EXPECT_THROW(store.put("link/evil.png", filled(3, 'x'), ""), Error);
  EXPECT_FALSE(fs::exists(outside / "evil.png"));
  EXPECT_THROW(store.get("link/secret.txt"), Error);
  EXPECT_THROW(store.get("file-link.png"), Error);
  // put() replaces the link itself (rename over it), never writes through it.
  store.put("file-link.png", filled(2, 'n'), "");
  EXPECT_FALSE(fs::is_symlink(root / "file-link.png"));
  std::ifstream secret(outside / "secret.txt");
  std::string text;
  secret >> text;
  EXPECT_EQ(text, "secret");
}

TEST_F(FilesystemStoreTest, SpecialFilesAreNotObjectsAndNeverBlock) {
  // A FIFO opened for reading without O_NONBLOCK would wait for a writer forever.
  fs::create_directories(root / "odd");
  ASSERT_EQ(::mkfifo((root / "odd" / "pipe.png").c_str(), 0600), 0);
  fs::create_directories(root / "odd" / "dir.png");
  EXPECT_THROW(
      {
        try {
          store.get("odd/pipe.png");
        } catch (const Error& e) {
          EXPECT_EQ(e.code(), ErrorCode::not_found);
          throw;
        }
      },
      Error);
  EXPECT_THROW(store.get("odd/dir.png"), Error);
}

TEST_F(FilesystemStoreTest, FileUrlsAreAbsoluteAndPercentEncoded) {
  EXPECT_EQ(store.url_for("w/a b+c%.png"), "file://" + root.string() + "/w/a%20b%2Bc%25.png");
  EXPECT_EQ(store.url_for("ü.png"), "file://" + root.string() + "/%C3%BC.png");
  const StoredObject stored = store.put("w/x.png", filled(1, 'x'), "image/png");
  EXPECT_EQ(stored.url, store.url_for("w/x.png"));
  EXPECT_EQ(store.path_for("w/x.png"), root / "w/x.png");
}

TEST(FilesystemStore, PublicBaseUrlAndRelativeRoot) {
  TempDir dir;
  const fs::path previous = fs::current_path();
  fs::current_path(dir.path());
  FilesystemImageStore store(FilesystemStoreOptions{"rel/root/", "https://cdn.example.com/img/", false});
  fs::current_path(previous);
  EXPECT_EQ(store.root(), dir.path() / "rel/root");
  EXPECT_EQ(store.url_for("w/a b.png"), "https://cdn.example.com/img/w/a%20b.png");
  store.put("w/a b.png", filled(5, 'q'), "image/png");
  EXPECT_TRUE(fs::exists(dir.path() / "rel/root/w/a b.png"));
}

TEST(FilesystemStore, EmptyRootIsInvalidAndPingNoticesARemovedRoot) {
  EXPECT_THROW(FilesystemImageStore(FilesystemStoreOptions{}), Error);
  TempDir dir;
  FilesystemImageStore store(FilesystemStoreOptions{dir.path() / "r", "", true});
  EXPECT_NO_THROW(store.ping());
  fs::remove_all(dir.path() / "r");
  try {
    store.ping();
    FAIL() << "expected storage error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::storage);
  }
}

// Readers running alongside a writer that flips one key between two large payloads only ever see
// one payload or the other, complete.
TEST(FilesystemStoreAtomicity, ConcurrentReadersNeverSeeATornObject) {
  TempDir dir;
  FilesystemImageStore store(FilesystemStoreOptions{dir.path(), "", false});
  const Bytes a = filled(512 * 1024, 'a');
  const Bytes b = filled(512 * 1024, 'b');
  store.put("flip.bin", a, "");
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, torn{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        const Bytes seen = store.get("flip.bin");
        if (seen != a && seen != b) torn.fetch_add(1);
        reads.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 200; ++i) store.put("flip.bin", i % 2 == 0 ? b : a, "");
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_TRUE(temp_files_under(dir.path()).empty());
}

// Concurrent writers to fresh keys in one new directory (mkdir races) all succeed.
TEST(FilesystemStoreAtomicity, ConcurrentWritersCreatingTheSameDirectories) {
  TempDir dir;
  FilesystemImageStore store(FilesystemStoreOptions{dir.path(), "", true});
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 20; ++i) {
        try {
          store.put("deep/dir/tree/" + std::to_string(w) + "-" + std::to_string(i) + ".bin", filled(64, 'w'), "");
        } catch (const Error&) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "deep/dir/tree"), fs::directory_iterator{}), 80);
}

// A write that fails half-way (here: the file size limit, EFBIG) reports Error{storage}, leaves the
// previous object intact and removes its temporary file. Runs in a child process so the rlimit
// does not leak into other tests.
TEST(FilesystemStoreAtomicity, FailedWriteLeavesThePreviousObjectAndNoTemporaryFile) {
  TempDir dir;
  {
    FilesystemImageStore store(FilesystemStoreOptions{dir.path(), "", true});
    store.put("obj.bin", filled(100, 'o'), "");
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    int code = 1;
    try {
      FilesystemImageStore store(FilesystemStoreOptions{dir.path(), "", true});
      store.put("obj.bin", filled(64 * 1024, 'n'), "");
      code = 2;  // the write unexpectedly succeeded
    } catch (const Error& e) {
      code = e.code() == ErrorCode::storage ? 0 : 3;
    }
    ::_exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  FilesystemImageStore store(FilesystemStoreOptions{dir.path(), "", true});
  EXPECT_EQ(store.get("obj.bin"), filled(100, 'o'));
  EXPECT_TRUE(temp_files_under(dir.path()).empty());
}

// A writer killed (SIGKILL) at arbitrary moments never leaves a torn object: the key holds one of
// the complete payloads it wrote. Only stray temporary files may remain.
TEST(FilesystemStoreAtomicity, WriterKilledMidWriteLeavesACompleteObject) {
  TempDir dir;
  const Bytes a = filled(2 * 1024 * 1024, 'a');
  const Bytes b = filled(2 * 1024 * 1024, 'b');
  {
    FilesystemImageStore store(FilesystemStoreOptions{dir.path(), "", true});
    store.put("victim.bin", a, "");
  }
  std::mt19937 random(7);
  for (int round = 0; round < 5; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      FilesystemImageStore store(FilesystemStoreOptions{dir.path(), "", false});
      for (int i = 0;; ++i) store.put("victim.bin", i % 2 == 0 ? b : a, "");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + random() % 40));
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    FilesystemImageStore store(FilesystemStoreOptions{dir.path(), "", true});
    const Bytes seen = store.get("victim.bin");
    EXPECT_TRUE(seen == a || seen == b) << "round " << round << ": torn object of " << seen.size() << " bytes";
  }
}

}  // namespace
}  // namespace contentgen
