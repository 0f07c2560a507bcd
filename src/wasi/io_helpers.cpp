// Helpers shared by the fd, path and socket functions.
#include <limits.h>

#include "wasi/functions.h"

namespace kiln::wasi {

Errno guest_iovecs(const GuestMemory& memory, u32 iovs, u32 iovs_len, std::vector<iovec>& out) {
  if (!memory.contains(iovs, uint64_t{layout::kIovecSize} * iovs_len)) return Errno::Fault;
  u32 count = iovs_len < IOV_MAX ? iovs_len : IOV_MAX;
  out.resize(count);
  for (u32 i = 0; i < count; ++i) {
    uint64_t at = iovs + uint64_t{layout::kIovecSize} * i;
    u32 buf = 0, len = 0;
    memory.load(at, buf);
    memory.load(at + 4, len);
    uint8_t* p = memory.bytes(buf, len);
    if (!p) return Errno::Fault;
    out[i] = iovec{p, len};
  }
  return Errno::Success;
}

Errno store_filestat(const GuestMemory& memory, u32 ptr, const struct stat& st, int host_fd) {
  auto ns = [](const timespec& ts) {
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
  };
  StructWriter<layout::kFilestatSize> w;
  w.put<uint64_t>(0, st.st_dev);
  w.put<uint64_t>(8, st.st_ino);
  w.put<uint8_t>(16, static_cast<uint8_t>(filetype_of(st.st_mode, host_fd)));
  w.put<uint64_t>(24, st.st_nlink);
  w.put<uint64_t>(32, static_cast<uint64_t>(st.st_size));
  w.put<uint64_t>(40, ns(st.st_atim));
  w.put<uint64_t>(48, ns(st.st_mtim));
  w.put<uint64_t>(56, ns(st.st_ctim));
  return w.store_to(memory, ptr) ? Errno::Success : Errno::Fault;
}

Errno timespecs_for(u64 atim, u64 mtim, u32 fst_flags, struct timespec times[2]) {
  using namespace fstflag;
  if (fst_flags & ~u32{Atim | AtimNow | Mtim | MtimNow}) return Errno::Inval;
  if ((fst_flags & Atim) && (fst_flags & AtimNow)) return Errno::Inval;
  if ((fst_flags & Mtim) && (fst_flags & MtimNow)) return Errno::Inval;
  auto set = [](struct timespec& ts, u64 value, bool given, bool now) {
    if (now) ts = {0, UTIME_NOW};
    else if (given) ts = {static_cast<time_t>(value / 1000000000u), static_cast<long>(value % 1000000000u)};
    else ts = {0, UTIME_OMIT};
  };
  set(times[0], atim, fst_flags & Atim, fst_flags & AtimNow);
  set(times[1], mtim, fst_flags & Mtim, fst_flags & MtimNow);
  return Errno::Success;
}

}  // namespace kiln::wasi
