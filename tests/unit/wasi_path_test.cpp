// The sandbox's path resolver: every escape attempt fails with an exact errno,
// and paths that stay inside resolve to the right directory and name.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "wasi/path_resolver.h"

namespace kiln::wasi {
namespace {

// A scratch tree:
//   outside/secret
//   root/            <- the sandbox
//     file           sub/file.txt  sub/inner/  sub/up -> ..  sub/upup -> ../..
//     link_in -> sub   link_out -> ../outside   link_abs -> /etc
//     loop1 -> loop2   loop2 -> loop1   self -> self   dangling -> nowhere
//     empty_link -> ""(not creatable on Linux, so absent)   slash_link -> sub/
class PathResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiln-wasi-path-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    mk("/outside");
    touch("/outside/secret");
    mk("/root");
    touch("/root/file");
    mk("/root/sub");
    touch("/root/sub/file.txt");
    mk("/root/sub/inner");
    link("..", "/root/sub/up");
    link("../..", "/root/sub/upup");
    link("sub", "/root/link_in");
    link("../outside", "/root/link_out");
    link("/etc", "/root/link_abs");
    link("loop2", "/root/loop1");
    link("loop1", "/root/loop2");
    link("self", "/root/self");
    link("nowhere", "/root/dangling");
    link("sub/", "/root/slash_link");
    root_ = open((base_ + "/root").c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(root_, 0);
  }
  void TearDown() override {
    close(root_);
    std::string cmd = "rm -rf '" + base_ + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }

  void mk(const std::string& p) { ASSERT_EQ(mkdir((base_ + p).c_str(), 0755), 0); }
  void touch(const std::string& p) {
    int fd = open((base_ + p).c_str(), O_CREAT | O_WRONLY, 0644);
    ASSERT_GE(fd, 0);
    close(fd);
  }
  void link(const std::string& target, const std::string& p) {
    ASSERT_EQ(symlink(target.c_str(), (base_ + p).c_str()), 0);
  }

  Errno resolve(std::string_view path, bool follow = false) { return resolve_path(root_, path, follow, last_); }

  // The inode of what the last resolution names (without following it).
  ino_t resolved_inode() {
    struct stat st;
    EXPECT_EQ(fstatat(last_.dir_fd, last_.name.c_str(), &st, AT_SYMLINK_NOFOLLOW), 0);
    return st.st_ino;
  }
  ino_t host_inode(const std::string& p) {
    struct stat st;
    EXPECT_EQ(lstat((base_ + p).c_str(), &st), 0);
    return st.st_ino;
  }

  std::string base_;
  int root_ = -1;
  ResolvedPath last_;
};

TEST_F(PathResolverTest, PlainPathsResolveInside) {
  ASSERT_EQ(resolve("sub/file.txt"), Errno::Success);
  EXPECT_EQ(last_.name, "file.txt");
  EXPECT_EQ(resolved_inode(), host_inode("/root/sub/file.txt"));
  ASSERT_EQ(resolve("file"), Errno::Success);
  EXPECT_EQ(last_.dir_fd, root_);
  ASSERT_EQ(resolve("sub//inner///"), Errno::Success);
  EXPECT_EQ(last_.name, "inner");
  EXPECT_TRUE(last_.must_be_dir);
  EXPECT_EQ(resolved_inode(), host_inode("/root/sub/inner"));
}

TEST_F(PathResolverTest, DotAndDotDotStayingInside) {
  ASSERT_EQ(resolve("."), Errno::Success);
  EXPECT_EQ(last_.name, ".");
  EXPECT_EQ(last_.dir_fd, root_);
  ASSERT_EQ(resolve("sub/../file"), Errno::Success);
  EXPECT_EQ(resolved_inode(), host_inode("/root/file"));
  ASSERT_EQ(resolve("sub/inner/../.."), Errno::Success);
  EXPECT_EQ(last_.name, ".");
  EXPECT_EQ(resolved_inode(), host_inode("/root"));
  ASSERT_EQ(resolve("./sub/./inner/.."), Errno::Success);
  EXPECT_EQ(resolved_inode(), host_inode("/root/sub"));
}

TEST_F(PathResolverTest, EmptyPathIsEnoent) { EXPECT_EQ(resolve(""), Errno::NoEnt); }

TEST_F(PathResolverTest, NulByteIsEinval) {
  using namespace std::string_literals;
  EXPECT_EQ(resolve("sub\0/file.txt"s), Errno::Inval);
  EXPECT_EQ(resolve("file\0"s), Errno::Inval);
}

TEST_F(PathResolverTest, AbsolutePathsAreNotCapable) {
  EXPECT_EQ(resolve("/etc/passwd"), Errno::NotCapable);
  EXPECT_EQ(resolve("/"), Errno::NotCapable);
  EXPECT_EQ(resolve("//root/file"), Errno::NotCapable);
}

TEST_F(PathResolverTest, DotDotAboveTheRootIsNotCapable) {
  EXPECT_EQ(resolve(".."), Errno::NotCapable);
  EXPECT_EQ(resolve("../outside/secret"), Errno::NotCapable);
  EXPECT_EQ(resolve("sub/../../outside/secret"), Errno::NotCapable);
  EXPECT_EQ(resolve("sub/../.."), Errno::NotCapable);
  EXPECT_EQ(resolve("./.."), Errno::NotCapable);
  EXPECT_EQ(resolve("sub/inner/../../../root/file"), Errno::NotCapable);
  // `a/../../x` with `a` missing fails at `a`, before any `..`.
  EXPECT_EQ(resolve("a/../../x"), Errno::NoEnt);
}

TEST_F(PathResolverTest, SymlinksLeadingOutsideAreNotCapable) {
  EXPECT_EQ(resolve("link_out/secret"), Errno::NotCapable);
  EXPECT_EQ(resolve("link_out", true), Errno::NotCapable);
  EXPECT_EQ(resolve("link_abs/passwd"), Errno::NotCapable);
  EXPECT_EQ(resolve("link_abs", true), Errno::NotCapable);
  EXPECT_EQ(resolve("sub/upup/outside/secret"), Errno::NotCapable);
  EXPECT_EQ(resolve("link_in/upup", true), Errno::NotCapable);
}

TEST_F(PathResolverTest, SymlinksInsideAreFollowed) {
  ASSERT_EQ(resolve("link_in/file.txt"), Errno::Success);
  EXPECT_EQ(resolved_inode(), host_inode("/root/sub/file.txt"));
  ASSERT_EQ(resolve("sub/up/file"), Errno::Success);
  EXPECT_EQ(resolved_inode(), host_inode("/root/file"));
  ASSERT_EQ(resolve("link_in", true), Errno::Success);
  EXPECT_EQ(resolved_inode(), host_inode("/root/sub"));
  ASSERT_EQ(resolve("slash_link", true), Errno::Success);
  EXPECT_TRUE(last_.must_be_dir);  // the link's target ended in '/'
  // `..` after a link goes to the parent of the link's target.
  ASSERT_EQ(resolve("link_in/inner/../file.txt"), Errno::Success);
  EXPECT_EQ(resolved_inode(), host_inode("/root/sub/file.txt"));
}

TEST_F(PathResolverTest, FinalSymlinkIsNotFollowedUnlessAsked) {
  ASSERT_EQ(resolve("link_out"), Errno::Success);
  EXPECT_EQ(last_.name, "link_out");
  EXPECT_EQ(resolved_inode(), host_inode("/root/link_out"));
  ASSERT_EQ(resolve("link_abs"), Errno::Success);
  EXPECT_EQ(last_.name, "link_abs");
}

TEST_F(PathResolverTest, DanglingLinkResolvesToItsTargetName) {
  ASSERT_EQ(resolve("dangling", true), Errno::Success);
  EXPECT_EQ(last_.name, "nowhere");
  EXPECT_EQ(last_.dir_fd, root_);
}

TEST_F(PathResolverTest, SymlinkLoopsAreEloop) {
  EXPECT_EQ(resolve("loop1/x"), Errno::Loop);
  EXPECT_EQ(resolve("loop1", true), Errno::Loop);
  EXPECT_EQ(resolve("self/x"), Errno::Loop);
  EXPECT_EQ(resolve("self", true), Errno::Loop);
}

TEST_F(PathResolverTest, LinkChainsUpToTheLimit) {
  // c0 -> sub, c1 -> c0, ..., cN -> cN-1: following cN expands N + 1 links.
  link("sub", "/root/c0");
  for (int i = 1; i <= kMaxSymlinkExpansions; ++i)
    link("c" + std::to_string(i - 1), "/root/c" + std::to_string(i));
  EXPECT_EQ(resolve("c" + std::to_string(kMaxSymlinkExpansions - 1) + "/file.txt"), Errno::Success);
  EXPECT_EQ(resolved_inode(), host_inode("/root/sub/file.txt"));
  EXPECT_EQ(resolve("c" + std::to_string(kMaxSymlinkExpansions) + "/file.txt"), Errno::Loop);
}

TEST_F(PathResolverTest, ThroughAFileIsEnotdir) {
  EXPECT_EQ(resolve("file/x"), Errno::NotDir);
  EXPECT_EQ(resolve("sub/file.txt/.."), Errno::NotDir);
}

TEST_F(PathResolverTest, MissingIntermediateIsEnoent) {
  EXPECT_EQ(resolve("missing/x"), Errno::NoEnt);
  ASSERT_EQ(resolve("missing"), Errno::Success);  // a final name may not exist yet (to be created)
  EXPECT_EQ(last_.name, "missing");
}

}  // namespace
}  // namespace kiln::wasi
