// The wasi_snapshot_preview1 functions, one C++ function each. Parameters are
// the wasm ones: u32 for i32 (pointers, lengths, fds, flags), u64 for i64.
// Each returns the WASI errno; proc_exit and proc_raise may end the program
// instead (an Error of kind Exit or Trap unwinds the guest).
#pragma once

#include <sys/stat.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstdint>
#include <ctime>
#include <vector>

#include "base/error.h"
#include "wasi/abi.h"
#include "wasi/guest_memory.h"
#include "wasi/wasi.h"

namespace kiln::wasi {

// What one call sees: the guest's WASI state and its memory, taken at the call.
struct Call {
  WasiContext& ctx;
  GuestMemory memory;
};

// Every function, in the witx order: X(name). define_wasi binds this list.
#define KILN_WASI_FUNCTIONS(X)                                                                          \
  X(args_get) X(args_sizes_get) X(environ_get) X(environ_sizes_get) X(clock_res_get) X(clock_time_get) \
  X(fd_advise) X(fd_allocate) X(fd_close) X(fd_datasync) X(fd_fdstat_get) X(fd_fdstat_set_flags)      \
  X(fd_fdstat_set_rights) X(fd_filestat_get) X(fd_filestat_set_size) X(fd_filestat_set_times)        \
  X(fd_pread) X(fd_prestat_get) X(fd_prestat_dir_name) X(fd_pwrite) X(fd_read) X(fd_readdir)         \
  X(fd_renumber) X(fd_seek) X(fd_sync) X(fd_tell) X(fd_write) X(path_create_directory)               \
  X(path_filestat_get) X(path_filestat_set_times) X(path_link) X(path_open) X(path_readlink)         \
  X(path_remove_directory) X(path_rename) X(path_symlink) X(path_unlink_file) X(poll_oneoff)         \
  X(proc_exit) X(proc_raise) X(sched_yield) X(random_get) X(sock_accept) X(sock_recv) X(sock_send)   \
  X(sock_shutdown)

using u32 = uint32_t;
using u64 = uint64_t;

// process.cpp: arguments, environment, clocks, randomness, exit, signals
Errno args_get(Call& c, u32 argv, u32 argv_buf);
Errno args_sizes_get(Call& c, u32 argc_out, u32 argv_buf_size_out);
Errno environ_get(Call& c, u32 env_pointers, u32 env_buf);
Errno environ_sizes_get(Call& c, u32 count_out, u32 buf_size_out);
Errno clock_res_get(Call& c, u32 clock_id, u32 resolution_out);
Errno clock_time_get(Call& c, u32 clock_id, u64 precision, u32 time_out);
Errno random_get(Call& c, u32 buf, u32 buf_len);
Errno sched_yield(Call& c);
Expected<void> proc_exit(Call& c, u32 code);
Expected<Errno> proc_raise(Call& c, u32 signal);

// fd_functions.cpp
Errno fd_advise(Call& c, u32 fd, u64 offset, u64 len, u32 advice);
Errno fd_allocate(Call& c, u32 fd, u64 offset, u64 len);
Errno fd_close(Call& c, u32 fd);
Errno fd_datasync(Call& c, u32 fd);
Errno fd_fdstat_get(Call& c, u32 fd, u32 stat_out);
Errno fd_fdstat_set_flags(Call& c, u32 fd, u32 flags);
Errno fd_fdstat_set_rights(Call& c, u32 fd, u64 base, u64 inheriting);
Errno fd_filestat_get(Call& c, u32 fd, u32 stat_out);
Errno fd_filestat_set_size(Call& c, u32 fd, u64 size);
Errno fd_filestat_set_times(Call& c, u32 fd, u64 atim, u64 mtim, u32 fst_flags);
Errno fd_pread(Call& c, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nread_out);
Errno fd_prestat_get(Call& c, u32 fd, u32 prestat_out);
Errno fd_prestat_dir_name(Call& c, u32 fd, u32 path, u32 path_len);
Errno fd_pwrite(Call& c, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nwritten_out);
Errno fd_read(Call& c, u32 fd, u32 iovs, u32 iovs_len, u32 nread_out);
Errno fd_readdir(Call& c, u32 fd, u32 buf, u32 buf_len, u64 cookie, u32 bufused_out);
Errno fd_renumber(Call& c, u32 fd, u32 to);
Errno fd_seek(Call& c, u32 fd, u64 offset, u32 whence, u32 newoffset_out);
Errno fd_sync(Call& c, u32 fd);
Errno fd_tell(Call& c, u32 fd, u32 offset_out);
Errno fd_write(Call& c, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten_out);

// path_functions.cpp
Errno path_create_directory(Call& c, u32 fd, u32 path, u32 path_len);
Errno path_filestat_get(Call& c, u32 fd, u32 lookup_flags, u32 path, u32 path_len, u32 stat_out);
Errno path_filestat_set_times(Call& c, u32 fd, u32 lookup_flags, u32 path, u32 path_len, u64 atim, u64 mtim,
                              u32 fst_flags);
Errno path_link(Call& c, u32 old_fd, u32 old_flags, u32 old_path, u32 old_path_len, u32 new_fd, u32 new_path,
                u32 new_path_len);
Errno path_open(Call& c, u32 fd, u32 dirflags, u32 path, u32 path_len, u32 oflags, u64 rights_base,
                u64 rights_inheriting, u32 fdflags, u32 fd_out);
Errno path_readlink(Call& c, u32 fd, u32 path, u32 path_len, u32 buf, u32 buf_len, u32 bufused_out);
Errno path_remove_directory(Call& c, u32 fd, u32 path, u32 path_len);
Errno path_rename(Call& c, u32 fd, u32 old_path, u32 old_path_len, u32 new_fd, u32 new_path, u32 new_path_len);
Errno path_symlink(Call& c, u32 old_path, u32 old_path_len, u32 fd, u32 new_path, u32 new_path_len);
Errno path_unlink_file(Call& c, u32 fd, u32 path, u32 path_len);

// poll.cpp
Errno poll_oneoff(Call& c, u32 subscriptions, u32 events_out, u32 nsubscriptions, u32 nevents_out);

// socket.cpp
Errno sock_accept(Call& c, u32 fd, u32 flags, u32 fd_out);
Errno sock_recv(Call& c, u32 fd, u32 ri_data, u32 ri_data_len, u32 ri_flags, u32 ro_datalen_out, u32 ro_flags_out);
Errno sock_send(Call& c, u32 fd, u32 si_data, u32 si_data_len, u32 si_flags, u32 so_datalen_out);
Errno sock_shutdown(Call& c, u32 fd, u32 how);

// io_helpers.cpp: shared by the fd, path and socket functions.

// The guest's iovec array as host iovecs (at most IOV_MAX of them: a shorter
// transfer is a valid result); EFAULT when the array or a buffer is outside memory.
Errno guest_iovecs(const GuestMemory& memory, u32 iovs, u32 iovs_len, std::vector<iovec>& out);
// Stores a filestat for the host `st` at `ptr`.
Errno store_filestat(const GuestMemory& memory, u32 ptr, const struct stat& st, int host_fd = -1);
// The host timespec pair for futimens/utimensat from WASI times and fstflags.
Errno timespecs_for(u64 atim, u64 mtim, u32 fst_flags, struct timespec times[2]);
// Stores a u32/u64 result, EFAULT when outside memory.
inline Errno store_u32(const GuestMemory& memory, u32 ptr, uint32_t value) {
  return memory.store(ptr, value) ? Errno::Success : Errno::Fault;
}
inline Errno store_u64(const GuestMemory& memory, u32 ptr, uint64_t value) {
  return memory.store(ptr, value) ? Errno::Success : Errno::Fault;
}
// errno_from_host(errno), for the line after a failed host call.
inline Errno last_host_error() { return errno_from_host(errno); }

}  // namespace kiln::wasi
