#include "wasi/path_resolver.h"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>

namespace kiln::wasi {

namespace {

// The components still to walk, the next one last.
using Pending = std::vector<std::string>;

// Pushes the components of `path` so that its first component comes out next.
void push_components(std::string_view path, Pending& pending) {
  size_t end = path.size();
  while (end > 0) {
    size_t start = path.rfind('/', end - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    if (end > start) pending.emplace_back(path.substr(start, end - start));
    end = start == 0 ? 0 : start - 1;
  }
}

// Reads the symlink `name` in `dir`. Returns Success with the target, Inval when
// `name` is not a symlink, or the host's error.
Errno read_link(int dir, const std::string& name, std::string& target) {
  char buf[PATH_MAX + 1];
  ssize_t n = readlinkat(dir, name.c_str(), buf, sizeof buf);
  if (n < 0) return errno_from_host(errno);
  if (static_cast<size_t>(n) >= sizeof buf) return Errno::NameTooLong;
  target.assign(buf, static_cast<size_t>(n));
  return Errno::Success;
}

class Walker {
 public:
  explicit Walker(int root) : root_(root) {}

  int current() const { return dirs_.empty() ? root_ : dirs_.back().get(); }

  // `..`: back to the directory the walk came from; never above the root.
  Errno up() {
    if (dirs_.empty()) return Errno::NotCapable;
    dirs_.pop_back();
    return Errno::Success;
  }

  // Descends into the directory `name`. When `name` is a symlink, its target is
  // queued in `pending` instead.
  Errno down(const std::string& name, Pending& pending, bool& must_be_dir) {
    int fd = openat(current(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      dirs_.emplace_back(fd);
      return Errno::Success;
    }
    int error = errno;
    if (error != ENOTDIR && error != ELOOP) return errno_from_host(error);
    // Not a directory: a symlink (to be expanded) or something else.
    std::string target;
    Errno e = read_link(current(), name, target);
    if (e == Errno::Inval) return Errno::NotDir;
    if (e != Errno::Success) return e;
    return expand(target, pending, must_be_dir);
  }

  Errno expand(const std::string& target, Pending& pending, bool& must_be_dir) {
    if (++expansions_ > kMaxSymlinkExpansions) return Errno::Loop;
    if (target.empty()) return Errno::NoEnt;
    if (target[0] == '/') return Errno::NotCapable;
    if (pending.empty() && target.back() == '/') must_be_dir = true;
    push_components(target, pending);
    return Errno::Success;
  }

  // Hands the current directory to `out` (owning it unless it is the root).
  void finish(ResolvedPath& out) {
    out.dir_fd = current();
    if (!dirs_.empty()) out.owned_dir = std::move(dirs_.back());
  }

 private:
  int root_;
  std::vector<HostFd> dirs_;
  int expansions_ = 0;
};

}  // namespace

Errno resolve_path(int root_fd, std::string_view path, bool follow_final, ResolvedPath& out) {
  out = ResolvedPath{};
  if (path.empty()) return Errno::NoEnt;
  if (path.find('\0') != std::string_view::npos) return Errno::Inval;
  if (path[0] == '/') return Errno::NotCapable;
  out.must_be_dir = path.back() == '/';

  Walker walker(root_fd);
  Pending pending;
  push_components(path, pending);
  std::string final_name = ".";
  while (!pending.empty()) {
    std::string name = std::move(pending.back());
    pending.pop_back();
    bool last = pending.empty();
    Errno e = Errno::Success;
    if (name == ".") {
      if (last) final_name = ".";
    } else if (name == "..") {
      e = walker.up();
      if (last) final_name = ".";
    } else if (!last) {
      e = walker.down(name, pending, out.must_be_dir);
    } else if (follow_final) {
      std::string target;
      Errno link = read_link(walker.current(), name, target);
      if (link == Errno::Success) e = walker.expand(target, pending, out.must_be_dir);
      else if (link == Errno::Inval || link == Errno::NoEnt) final_name = name;  // not a link, or not there yet
      else e = link;
    } else {
      final_name = name;
    }
    if (e != Errno::Success) return e;
  }
  walker.finish(out);
  out.name = std::move(final_name);
  return Errno::Success;
}

}  // namespace kiln::wasi
