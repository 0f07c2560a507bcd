// The WASI preview1 ABI (`wasi_snapshot_preview1`): the numbers and struct
// layouts a guest sees, as the witx definitions give them. Everything here is
// guest-visible; host types never leak into it.
#pragma once

#include <cstdint>

namespace kiln::wasi {

// Error codes returned by every function (witx `errno`, a u16).
enum class Errno : uint16_t {
  Success = 0, TooBig = 1, Acces = 2, AddrInUse = 3, AddrNotAvail = 4, AfNoSupport = 5,
  Again = 6, Already = 7, Badf = 8, BadMsg = 9, Busy = 10, Canceled = 11, Child = 12,
  ConnAborted = 13, ConnRefused = 14, ConnReset = 15, Deadlk = 16, DestAddrReq = 17,
  Dom = 18, Dquot = 19, Exist = 20, Fault = 21, Fbig = 22, HostUnreach = 23, Idrm = 24,
  Ilseq = 25, InProgress = 26, Intr = 27, Inval = 28, Io = 29, IsConn = 30, IsDir = 31,
  Loop = 32, Mfile = 33, Mlink = 34, MsgSize = 35, Multihop = 36, NameTooLong = 37,
  NetDown = 38, NetReset = 39, NetUnreach = 40, Nfile = 41, NoBufs = 42, NoDev = 43,
  NoEnt = 44, NoExec = 45, NoLck = 46, NoLink = 47, NoMem = 48, NoMsg = 49,
  NoProtoOpt = 50, NoSpc = 51, NoSys = 52, NotConn = 53, NotDir = 54, NotEmpty = 55,
  NotRecoverable = 56, NotSock = 57, NotSup = 58, NoTty = 59, Nxio = 60, Overflow = 61,
  OwnerDead = 62, Perm = 63, Pipe = 64, Proto = 65, ProtoNoSupport = 66, ProtoType = 67,
  Range = 68, Rofs = 69, Spipe = 70, Srch = 71, Stale = 72, TimedOut = 73, TxtBsy = 74,
  Xdev = 75, NotCapable = 76,
};

// The WASI errno for a host `errno` value (EIO for the few without one).
Errno errno_from_host(int host_errno);
// "ENOENT", "ENOTCAPABLE", ... for messages and tests.
const char* errno_name(Errno e);

// Rights (witx `rights`, a u64 bit set).
using Rights = uint64_t;
namespace right {
inline constexpr Rights FdDatasync = 1ull << 0;
inline constexpr Rights FdRead = 1ull << 1;
inline constexpr Rights FdSeek = 1ull << 2;
inline constexpr Rights FdFdstatSetFlags = 1ull << 3;
inline constexpr Rights FdSync = 1ull << 4;
inline constexpr Rights FdTell = 1ull << 5;
inline constexpr Rights FdWrite = 1ull << 6;
inline constexpr Rights FdAdvise = 1ull << 7;
inline constexpr Rights FdAllocate = 1ull << 8;
inline constexpr Rights PathCreateDirectory = 1ull << 9;
inline constexpr Rights PathCreateFile = 1ull << 10;
inline constexpr Rights PathLinkSource = 1ull << 11;
inline constexpr Rights PathLinkTarget = 1ull << 12;
inline constexpr Rights PathOpen = 1ull << 13;
inline constexpr Rights FdReaddir = 1ull << 14;
inline constexpr Rights PathReadlink = 1ull << 15;
inline constexpr Rights PathRenameSource = 1ull << 16;
inline constexpr Rights PathRenameTarget = 1ull << 17;
inline constexpr Rights PathFilestatGet = 1ull << 18;
inline constexpr Rights PathFilestatSetSize = 1ull << 19;
inline constexpr Rights PathFilestatSetTimes = 1ull << 20;
inline constexpr Rights FdFilestatGet = 1ull << 21;
inline constexpr Rights FdFilestatSetSize = 1ull << 22;
inline constexpr Rights FdFilestatSetTimes = 1ull << 23;
inline constexpr Rights PathSymlink = 1ull << 24;
inline constexpr Rights PathRemoveDirectory = 1ull << 25;
inline constexpr Rights PathUnlinkFile = 1ull << 26;
inline constexpr Rights PollFdReadwrite = 1ull << 27;
inline constexpr Rights SockShutdown = 1ull << 28;
inline constexpr Rights SockAccept = 1ull << 29;
inline constexpr Rights All = (1ull << 30) - 1;
}  // namespace right

enum class Filetype : uint8_t {
  Unknown = 0, BlockDevice = 1, CharacterDevice = 2, Directory = 3, RegularFile = 4,
  SocketDgram = 5, SocketStream = 6, SymbolicLink = 7,
};

// fdflags (u16)
namespace fdflag {
inline constexpr uint16_t Append = 1, Dsync = 2, Nonblock = 4, Rsync = 8, Sync = 16;
}
// oflags (u16)
namespace oflag {
inline constexpr uint16_t Creat = 1, Directory = 2, Excl = 4, Trunc = 8;
}
// lookupflags (u32)
inline constexpr uint32_t kLookupSymlinkFollow = 1;
// fstflags (u16)
namespace fstflag {
inline constexpr uint16_t Atim = 1, AtimNow = 2, Mtim = 4, MtimNow = 8;
}
// whence (u8)
enum class Whence : uint8_t { Set = 0, Cur = 1, End = 2 };
// advice (u8): normal .. noreuse
inline constexpr uint8_t kAdviceMax = 5;
// clockid (u32)
enum class ClockId : uint32_t { Realtime = 0, Monotonic = 1, ProcessCputime = 2, ThreadCputime = 3 };
// eventtype (u8)
enum class EventType : uint8_t { Clock = 0, FdRead = 1, FdWrite = 2 };
inline constexpr uint16_t kEventFdReadwriteHangup = 1;  // eventrwflags
inline constexpr uint16_t kSubscriptionClockAbstime = 1;  // subclockflags
// riflags, roflags, sdflags (sockets)
inline constexpr uint16_t kRecvPeek = 1, kRecvWaitall = 2;
inline constexpr uint16_t kRecvDataTruncated = 1;
inline constexpr uint8_t kShutRd = 1, kShutWr = 2;
// preopentype
inline constexpr uint8_t kPreopenDir = 0;
// signal (u8): none, hup, ..., sys
inline constexpr uint8_t kSignalMax = 30;

// Struct layouts: sizes and field offsets in guest memory (little-endian).
namespace layout {
// iovec, ciovec: buf u32 @0, buf_len u32 @4
inline constexpr uint32_t kIovecSize = 8;
// fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16
inline constexpr uint32_t kFdstatSize = 24;
// filestat: dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56
inline constexpr uint32_t kFilestatSize = 64;
// dirent (followed by the name): d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20
inline constexpr uint32_t kDirentSize = 24;
// prestat: tag u8 @0, pr_name_len u32 @4
inline constexpr uint32_t kPrestatSize = 8;
// subscription: userdata u64 @0, tag u8 @8, then either clock {id u32 @16,
// timeout u64 @24, precision u64 @32, flags u16 @40} or fd u32 @16
inline constexpr uint32_t kSubscriptionSize = 48;
// event: userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24
inline constexpr uint32_t kEventSize = 32;
}  // namespace layout

}  // namespace kiln::wasi
