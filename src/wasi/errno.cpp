// Host errno values to WASI errno values, and their names.
#include <cerrno>

#include "wasi/abi.h"

namespace kiln::wasi {

// One row per WASI errno that has a host twin: X(WASI name, host errno, printed name).
#define KILN_WASI_HOST_ERRNOS(X)                                                                   \
  X(TooBig, E2BIG, "E2BIG") X(Acces, EACCES, "EACCES") X(AddrInUse, EADDRINUSE, "EADDRINUSE")      \
  X(AddrNotAvail, EADDRNOTAVAIL, "EADDRNOTAVAIL") X(AfNoSupport, EAFNOSUPPORT, "EAFNOSUPPORT")     \
  X(Again, EAGAIN, "EAGAIN") X(Already, EALREADY, "EALREADY") X(Badf, EBADF, "EBADF")              \
  X(BadMsg, EBADMSG, "EBADMSG") X(Busy, EBUSY, "EBUSY") X(Canceled, ECANCELED, "ECANCELED")        \
  X(Child, ECHILD, "ECHILD") X(ConnAborted, ECONNABORTED, "ECONNABORTED")                          \
  X(ConnRefused, ECONNREFUSED, "ECONNREFUSED") X(ConnReset, ECONNRESET, "ECONNRESET")              \
  X(Deadlk, EDEADLK, "EDEADLK") X(DestAddrReq, EDESTADDRREQ, "EDESTADDRREQ") X(Dom, EDOM, "EDOM")  \
  X(Dquot, EDQUOT, "EDQUOT") X(Exist, EEXIST, "EEXIST") X(Fault, EFAULT, "EFAULT")                 \
  X(Fbig, EFBIG, "EFBIG") X(HostUnreach, EHOSTUNREACH, "EHOSTUNREACH") X(Idrm, EIDRM, "EIDRM")     \
  X(Ilseq, EILSEQ, "EILSEQ") X(InProgress, EINPROGRESS, "EINPROGRESS") X(Intr, EINTR, "EINTR")     \
  X(Inval, EINVAL, "EINVAL") X(Io, EIO, "EIO") X(IsConn, EISCONN, "EISCONN")                       \
  X(IsDir, EISDIR, "EISDIR") X(Loop, ELOOP, "ELOOP") X(Mfile, EMFILE, "EMFILE")                    \
  X(Mlink, EMLINK, "EMLINK") X(MsgSize, EMSGSIZE, "EMSGSIZE") X(Multihop, EMULTIHOP, "EMULTIHOP")  \
  X(NameTooLong, ENAMETOOLONG, "ENAMETOOLONG") X(NetDown, ENETDOWN, "ENETDOWN")                    \
  X(NetReset, ENETRESET, "ENETRESET") X(NetUnreach, ENETUNREACH, "ENETUNREACH")                    \
  X(Nfile, ENFILE, "ENFILE") X(NoBufs, ENOBUFS, "ENOBUFS") X(NoDev, ENODEV, "ENODEV")              \
  X(NoEnt, ENOENT, "ENOENT") X(NoExec, ENOEXEC, "ENOEXEC") X(NoLck, ENOLCK, "ENOLCK")              \
  X(NoLink, ENOLINK, "ENOLINK") X(NoMem, ENOMEM, "ENOMEM") X(NoMsg, ENOMSG, "ENOMSG")              \
  X(NoProtoOpt, ENOPROTOOPT, "ENOPROTOOPT") X(NoSpc, ENOSPC, "ENOSPC") X(NoSys, ENOSYS, "ENOSYS")  \
  X(NotConn, ENOTCONN, "ENOTCONN") X(NotDir, ENOTDIR, "ENOTDIR") X(NotEmpty, ENOTEMPTY, "ENOTEMPTY") \
  X(NotRecoverable, ENOTRECOVERABLE, "ENOTRECOVERABLE") X(NotSock, ENOTSOCK, "ENOTSOCK")           \
  X(NotSup, EOPNOTSUPP, "ENOTSUP") X(NoTty, ENOTTY, "ENOTTY") X(Nxio, ENXIO, "ENXIO")              \
  X(Overflow, EOVERFLOW, "EOVERFLOW") X(OwnerDead, EOWNERDEAD, "EOWNERDEAD") X(Perm, EPERM, "EPERM") \
  X(Pipe, EPIPE, "EPIPE") X(Proto, EPROTO, "EPROTO") X(ProtoNoSupport, EPROTONOSUPPORT, "EPROTONOSUPPORT") \
  X(ProtoType, EPROTOTYPE, "EPROTOTYPE") X(Range, ERANGE, "ERANGE") X(Rofs, EROFS, "EROFS")        \
  X(Spipe, ESPIPE, "ESPIPE") X(Srch, ESRCH, "ESRCH") X(Stale, ESTALE, "ESTALE")                    \
  X(TimedOut, ETIMEDOUT, "ETIMEDOUT") X(TxtBsy, ETXTBSY, "ETXTBSY") X(Xdev, EXDEV, "EXDEV")

Errno errno_from_host(int host_errno) {
  switch (host_errno) {
    case 0: return Errno::Success;
#define X(name, host, text) \
  case host: return Errno::name;
    KILN_WASI_HOST_ERRNOS(X)
#undef X
    default: return Errno::Io;
  }
}

const char* errno_name(Errno e) {
  switch (e) {
    case Errno::Success: return "ESUCCESS";
    case Errno::NotCapable: return "ENOTCAPABLE";
#define X(name, host, text) \
  case Errno::name: return text;
    KILN_WASI_HOST_ERRNOS(X)
#undef X
  }
  return "E?";
}

}  // namespace kiln::wasi
