// Arguments, environment, clocks, randomness, scheduling, exit and signals.
#include <sched.h>
#include <sys/random.h>

#include <ctime>
#include <string>

#include "wasi/functions.h"

namespace kiln::wasi {

namespace {

// argv/environ layout: `count` u32 pointers at `pointers`, the NUL-terminated
// strings one after another at `buf`. Checked whole before anything is written.
Errno store_string_list(const GuestMemory& memory, const std::vector<std::string>& list, u32 pointers, u32 buf) {
  uint64_t total = 0;
  for (const std::string& s : list) total += s.size() + 1;
  if (!memory.contains(pointers, uint64_t{4} * list.size()) || !memory.contains(buf, total)) return Errno::Fault;
  uint64_t at = buf;
  for (size_t i = 0; i < list.size(); ++i) {
    memory.store<uint32_t>(pointers + uint64_t{4} * i, static_cast<uint32_t>(at));
    uint8_t* dst = memory.bytes(at, list[i].size() + 1);
    std::memcpy(dst, list[i].c_str(), list[i].size() + 1);
    at += list[i].size() + 1;
  }
  return Errno::Success;
}

Errno store_string_list_sizes(const GuestMemory& memory, const std::vector<std::string>& list, u32 count_out,
                              u32 size_out) {
  uint64_t total = 0;
  for (const std::string& s : list) total += s.size() + 1;
  if (!memory.contains(count_out, 4) || !memory.contains(size_out, 4)) return Errno::Fault;
  memory.store<uint32_t>(count_out, static_cast<uint32_t>(list.size()));
  memory.store<uint32_t>(size_out, static_cast<uint32_t>(total));
  return Errno::Success;
}

bool host_clock(u32 id, clockid_t& out) {
  switch (static_cast<ClockId>(id)) {
    case ClockId::Realtime: out = CLOCK_REALTIME; return true;
    case ClockId::Monotonic: out = CLOCK_MONOTONIC; return true;
    case ClockId::ProcessCputime: out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case ClockId::ThreadCputime: out = CLOCK_THREAD_CPUTIME_ID; return true;
  }
  return false;
}

uint64_t to_nanoseconds(const timespec& ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

Errno args_get(Call& c, u32 argv, u32 argv_buf) { return store_string_list(c.memory, c.ctx.args(), argv, argv_buf); }

Errno args_sizes_get(Call& c, u32 argc_out, u32 argv_buf_size_out) {
  return store_string_list_sizes(c.memory, c.ctx.args(), argc_out, argv_buf_size_out);
}

Errno environ_get(Call& c, u32 env_pointers, u32 env_buf) {
  return store_string_list(c.memory, c.ctx.env(), env_pointers, env_buf);
}

Errno environ_sizes_get(Call& c, u32 count_out, u32 buf_size_out) {
  return store_string_list_sizes(c.memory, c.ctx.env(), count_out, buf_size_out);
}

Errno clock_res_get(Call& c, u32 clock_id, u32 resolution_out) {
  clockid_t clock;
  if (!host_clock(clock_id, clock)) return Errno::Inval;
  timespec ts;
  if (clock_getres(clock, &ts) != 0) return last_host_error();
  return store_u64(c.memory, resolution_out, to_nanoseconds(ts));
}

// `precision` is a hint; the host clock is read at its own resolution.
Errno clock_time_get(Call& c, u32 clock_id, u64 precision, u32 time_out) {
  clockid_t clock;
  if (!host_clock(clock_id, clock)) return Errno::Inval;
  timespec ts;
  if (clock_gettime(clock, &ts) != 0) return last_host_error();
  return store_u64(c.memory, time_out, to_nanoseconds(ts));
}

Errno random_get(Call& c, u32 buf, u32 buf_len) {
  uint8_t* p = c.memory.bytes(buf, buf_len);
  if (!p) return Errno::Fault;
  for (size_t done = 0; done < buf_len;) {
    ssize_t n = getrandom(p + done, buf_len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_host_error();
    }
    done += static_cast<size_t>(n);
  }
  return Errno::Success;
}

Errno sched_yield(Call&) {
  ::sched_yield();
  return Errno::Success;
}

// Unwinds the guest like a trap; the embedder (kiln run) turns it into the
// process exit status.
Expected<void> proc_exit(Call&, u32 code) {
  Error exit(ErrorKind::Exit, "exit with status " + std::to_string(code));
  exit.exit_code = static_cast<int>(code);
  return exit;
}

// A guest cannot be signalled asynchronously, so raising a signal does what
// the signal's default action would do to a process, synchronously:
//   none (0)                        nothing; success
//   SIGCHLD, SIGCONT, SIGURG, SIGWINCH  ignored by default; success
//   SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU  ENOTSUP (there is no one to resume it)
//   every other signal              terminates: a trap "proc_raise: signal N"
//                                   (kiln run exits with 134, as for any trap)
//   above 30                        EINVAL
// Wasmtime traps on every proc_raise ("proc_raise unsupported"); this keeps
// its outcome for the terminating signals and lets the harmless ones pass.
Expected<Errno> proc_raise(Call&, u32 signal) {
  enum : u32 { kChld = 16, kCont = 17, kStop = 18, kTstp = 19, kTtin = 20, kTtou = 21, kUrg = 22, kWinch = 27 };
  if (signal > kSignalMax) return Errno::Inval;
  switch (signal) {
    case 0:
    case kChld:
    case kCont:
    case kUrg:
    case kWinch: return Errno::Success;
    case kStop:
    case kTstp:
    case kTtin:
    case kTtou: return Errno::NotSup;
    default: return Error(ErrorKind::Trap, "proc_raise: the program raised signal " + std::to_string(signal));
  }
}

}  // namespace kiln::wasi
