/* poll_oneoff: relative and absolute clock timeouts, fd readiness of a
 * regular file and of stdin, errors reported per subscription. `poll_timeout
 * strict` adds absolute deadlines (Node's WASI waits forever on them) and fd
 * subscriptions (Node's fails them with EPERM for files), poll() and whether
 * nanosleep really slept (Node's does not wait on the realtime clock). */
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static unsigned long long now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  CHECK(__wasi_clock_time_get(id, 1, &t) == 0);
  return t;
}

static __wasi_subscription_t clock_sub(__wasi_userdata_t ud, __wasi_clockid_t id, __wasi_timestamp_t timeout,
                                       __wasi_subclockflags_t flags) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = flags;
  return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t ud, __wasi_eventtype_t type, __wasi_fd_t fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;
  return s;
}

int main(int argc, char** argv) {
  __wasi_event_t ev[4];
  __wasi_size_t n = 0;

  printf("-- a relative 50 ms timeout\n");
  __wasi_subscription_t s = clock_sub(7, __WASI_CLOCKID_MONOTONIC, 50000000, 0);
  unsigned long long t0 = now(__WASI_CLOCKID_MONOTONIC);
  RAW(__wasi_poll_oneoff(&s, ev, 1, &n));
  unsigned long long waited = now(__WASI_CLOCKID_MONOTONIC) - t0;
  printf("events %lu, userdata %llu, type %d, error %s; waited at least 50 ms: %s, less than 5 s: %s\n", n,
         (unsigned long long)ev[0].userdata, ev[0].type, errname(ev[0].error), waited >= 50000000 ? "yes" : "no",
         waited < 5000000000ull ? "yes" : "no");

  if (strict_mode(argc, argv)) {
    printf("-- an absolute monotonic deadline 30 ms ahead\n");
    s = clock_sub(8, __WASI_CLOCKID_MONOTONIC, now(__WASI_CLOCKID_MONOTONIC) + 30000000,
                  __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    t0 = now(__WASI_CLOCKID_MONOTONIC);
    RAW(__wasi_poll_oneoff(&s, ev, 1, &n));
    waited = now(__WASI_CLOCKID_MONOTONIC) - t0;
    printf("events %lu, userdata %llu; waited at least 25 ms: %s\n", n, (unsigned long long)ev[0].userdata,
           waited >= 25000000 ? "yes" : "no");

    printf("-- a deadline in the past fires at once\n");
    s = clock_sub(9, __WASI_CLOCKID_MONOTONIC, 1, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    RAW(__wasi_poll_oneoff(&s, ev, 1, &n));
    printf("events %lu, userdata %llu\n", n, (unsigned long long)ev[0].userdata);
    printf("-- an absolute realtime deadline 30 ms ahead\n");
    s = clock_sub(10, __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) + 30000000,
                  __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    t0 = now(__WASI_CLOCKID_MONOTONIC);
    RAW(__wasi_poll_oneoff(&s, ev, 1, &n));
    printf("events %lu, userdata %llu; waited at least 25 ms: %s\n", n, (unsigned long long)ev[0].userdata,
           now(__WASI_CLOCKID_MONOTONIC) - t0 >= 25000000 ? "yes" : "no");
    s = clock_sub(11, __WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    RAW(__wasi_poll_oneoff(&s, ev, 1, &n));
    printf("a CPU-time deadline: events %lu, error %s\n", n, errname(ev[0].error));

    printf("-- a regular file is ready at once, before a long timeout\n");
    write_file("ready.txt", "0123456789");
    int fd = open("ready.txt", O_RDONLY);
    CHECK(fd >= 0);
    __wasi_subscription_t subs[2] = {fd_sub(1, __WASI_EVENTTYPE_FD_READ, (__wasi_fd_t)fd),
                                     clock_sub(2, __WASI_CLOCKID_MONOTONIC, 10000000000ull, 0)};
    t0 = now(__WASI_CLOCKID_MONOTONIC);
    RAW(__wasi_poll_oneoff(subs, ev, 2, &n));
    printf("events %lu, first: userdata %llu type %d error %s; returned within 1 s: %s\n", n,
           (unsigned long long)ev[0].userdata, ev[0].type, errname(ev[0].error),
           now(__WASI_CLOCKID_MONOTONIC) - t0 < 1000000000ull ? "yes" : "no");

    printf("-- stdin (a file with data) is readable\n");
    __wasi_subscription_t in = fd_sub(3, __WASI_EVENTTYPE_FD_READ, 0);
    RAW(__wasi_poll_oneoff(&in, ev, 1, &n));
    printf("events %lu, userdata %llu, error %s\n", n, (unsigned long long)ev[0].userdata, errname(ev[0].error));

    printf("-- errors are per subscription\n");
    __wasi_subscription_t bad = fd_sub(4, __WASI_EVENTTYPE_FD_READ, 77);
    RAW(__wasi_poll_oneoff(&bad, ev, 1, &n));
    printf("events %lu, userdata %llu, error %s\n", n, (unsigned long long)ev[0].userdata, errname(ev[0].error));
    RAW(__wasi_poll_oneoff(&s, ev, 0, &n)); /* EINVAL: nothing to wait for */
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    printf("poll(file) = %d, revents has POLLIN: %s\n", poll(&pfd, 1, 1000), (pfd.revents & POLLIN) ? "yes" : "no");
  }

  printf("-- libc on top: nanosleep, usleep\n");
  t0 = now(__WASI_CLOCKID_MONOTONIC);
  struct timespec req = {0, 20000000};
  TRY(nanosleep(&req, NULL));
  TRY(usleep(20000));
  /* wasi-libc sleeps on the realtime clock, which Node's poll_oneoff does not wait on. */
  if (strict_mode(argc, argv))
    printf("slept at least 40 ms: %s\n", now(__WASI_CLOCKID_MONOTONIC) - t0 >= 40000000 ? "yes" : "no");
  return 0;
}
