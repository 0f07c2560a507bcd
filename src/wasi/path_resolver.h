// The capability sandbox: resolves a guest path beneath a directory the guest
// holds, one component at a time, so that no path can reach outside it.
//
// Each intermediate component is opened with openat(O_PATH | O_DIRECTORY |
// O_NOFOLLOW) relative to the directory reached so far, and the opened
// directories are kept on a stack: `..` pops the stack (and fails at its
// bottom), so it can only go back down the way the walk came. A symlink met on
// the way is read with readlinkat and its target spliced into the remaining
// components, so it is resolved by the same rules; an absolute target fails. The
// final component is returned as a name relative to an open directory, for the
// caller's *at() call with O_NOFOLLOW / AT_SYMLINK_NOFOLLOW, so the kernel
// never follows a link on the guest's behalf.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wasi/abi.h"
#include "wasi/fd_table.h"

namespace kiln::wasi {

// Linux's limit on symlinks followed in one lookup; beyond it: ELOOP.
inline constexpr int kMaxSymlinkExpansions = 40;

struct ResolvedPath {
  int dir_fd = -1;       // the directory holding the final component
  std::string name;      // the final component: no '/', never empty ("." for the directory itself)
  bool must_be_dir = false;  // the path ended in '/' (or in a link whose target did)
  HostFd owned_dir;      // keeps dir_fd open when it is not the starting directory
};

// Resolves `path` beneath `root_fd`. With `follow_final`, a symlink in the final
// position is followed too (intermediate ones always are). Errors, exactly:
//   ENOENT       empty path, an empty link target, a missing intermediate directory
//   EINVAL       a NUL byte in the path
//   ENOTCAPABLE  an absolute path or link target, or `..` above `root_fd`
//   ENOTDIR      an intermediate component that is not a directory
//   ELOOP        more than kMaxSymlinkExpansions links
// and host errors of openat/readlinkat as their WASI errno.
Errno resolve_path(int root_fd, std::string_view path, bool follow_final, ResolvedPath& out);

}  // namespace kiln::wasi
