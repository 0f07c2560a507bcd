// poll_oneoff: waits for clock deadlines and fd readiness with one ppoll(2).
#include <poll.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <ctime>
#include <optional>

#include "wasi/functions.h"

namespace kiln::wasi {

namespace {

uint64_t now_ns(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

struct Event {
  uint64_t userdata = 0;
  Errno error = Errno::Success;
  EventType type = EventType::Clock;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
};

struct Subscription {
  uint64_t userdata = 0;
  EventType type = EventType::Clock;
  uint64_t deadline = 0;  // clocks: CLOCK_MONOTONIC nanoseconds
  int poll_index = -1;    // fds: index in the pollfd array
  int host_fd = -1;
};

// Reads subscription `i`. Problems with one subscription (a bad fd, a clock
// that cannot be waited on) become an event carrying the error.
std::optional<Event> read_subscription(Call& c, uint64_t at, Subscription& sub, std::vector<pollfd>& fds) {
  uint8_t tag = 0;
  c.memory.load(at, sub.userdata);
  c.memory.load(at + 8, tag);
  sub.type = static_cast<EventType>(tag);
  Event failed{sub.userdata, Errno::Success, sub.type};
  if (sub.type == EventType::Clock) {
    uint32_t id = 0;
    uint64_t timeout = 0;
    uint16_t flags = 0;
    c.memory.load(at + 16, id);
    c.memory.load(at + 24, timeout);
    c.memory.load(at + 40, flags);
    if (id > static_cast<uint32_t>(ClockId::ThreadCputime)) {
      failed.error = Errno::Inval;
      return failed;
    }
    uint64_t now = now_ns(CLOCK_MONOTONIC);
    if (!(flags & kSubscriptionClockAbstime)) {  // a duration, whichever the clock
      sub.deadline = timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
    } else if (id == static_cast<uint32_t>(ClockId::Monotonic)) {
      sub.deadline = timeout;
    } else if (id == static_cast<uint32_t>(ClockId::Realtime)) {
      uint64_t real = now_ns(CLOCK_REALTIME);
      sub.deadline = timeout <= real ? now : now + (timeout - real);
    } else {
      failed.error = Errno::Inval;  // CPU-time deadlines cannot be waited for
      return failed;
    }
    return std::nullopt;
  }
  uint32_t fd = 0;
  c.memory.load(at + 16, fd);
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::PollFdReadwrite, entry); e != Errno::Success) {
    failed.error = e;
    return failed;
  }
  sub.host_fd = entry->host.get();
  sub.poll_index = static_cast<int>(fds.size());
  fds.push_back({sub.host_fd, static_cast<short>(sub.type == EventType::FdRead ? POLLIN : POLLOUT), 0});
  return std::nullopt;
}

// Bytes available to read (regular files: up to the end), for a ready fd.
uint64_t readable_bytes(int host_fd) {
  struct stat st;
  if (fstat(host_fd, &st) == 0 && S_ISREG(st.st_mode)) {
    off_t pos = lseek(host_fd, 0, SEEK_CUR);
    return pos >= 0 && st.st_size > pos ? static_cast<uint64_t>(st.st_size - pos) : 0;
  }
  int n = 0;
  return ioctl(host_fd, FIONREAD, &n) == 0 && n > 0 ? static_cast<uint64_t>(n) : 0;
}

void collect_ready(const std::vector<Subscription>& subs, const std::vector<pollfd>& fds, uint64_t now,
                   std::vector<Event>& events) {
  for (const Subscription& sub : subs) {
    Event ev{sub.userdata, Errno::Success, sub.type};
    if (sub.type == EventType::Clock) {
      if (now >= sub.deadline) events.push_back(ev);
      continue;
    }
    short revents = fds[static_cast<size_t>(sub.poll_index)].revents;
    if (!revents) continue;
    if (revents & POLLNVAL) ev.error = Errno::Badf;
    else if ((revents & POLLERR) && !(revents & (POLLIN | POLLOUT))) ev.error = Errno::Io;
    if (revents & POLLHUP) ev.flags |= kEventFdReadwriteHangup;
    if (sub.type == EventType::FdRead && ev.error == Errno::Success) ev.nbytes = readable_bytes(sub.host_fd);
    events.push_back(ev);
  }
}

}  // namespace

Errno poll_oneoff(Call& c, u32 subscriptions, u32 events_out, u32 nsubscriptions, u32 nevents_out) {
  if (nsubscriptions == 0) return Errno::Inval;
  if (!c.memory.contains(subscriptions, uint64_t{layout::kSubscriptionSize} * nsubscriptions) ||
      !c.memory.contains(events_out, uint64_t{layout::kEventSize} * nsubscriptions) ||
      !c.memory.contains(nevents_out, 4))
    return Errno::Fault;

  std::vector<Subscription> subs;
  std::vector<pollfd> fds;
  std::vector<Event> events;  // subscriptions that failed outright are reported at once
  uint64_t deadline = UINT64_MAX;
  for (u32 i = 0; i < nsubscriptions; ++i) {
    Subscription sub;
    uint8_t tag = 0;
    c.memory.load(subscriptions + uint64_t{layout::kSubscriptionSize} * i + 8, tag);
    if (tag > static_cast<uint8_t>(EventType::FdWrite)) return Errno::Inval;
    if (auto failed = read_subscription(c, subscriptions + uint64_t{layout::kSubscriptionSize} * i, sub, fds)) {
      events.push_back(*failed);
      continue;
    }
    if (sub.type == EventType::Clock) deadline = std::min(deadline, sub.deadline);
    subs.push_back(sub);
  }

  while (events.empty()) {
    uint64_t now = now_ns(CLOCK_MONOTONIC);
    timespec timeout{};
    if (deadline > now && deadline != UINT64_MAX) {
      uint64_t wait = deadline - now;
      timeout = {static_cast<time_t>(wait / 1000000000u), static_cast<long>(wait % 1000000000u)};
    }
    bool expired = deadline <= now;
    int n = ppoll(fds.data(), fds.size(), deadline == UINT64_MAX ? nullptr : &timeout, nullptr);
    if (n < 0 && errno != EINTR) return last_host_error();
    if (n < 0) continue;
    collect_ready(subs, fds, expired ? now : now_ns(CLOCK_MONOTONIC), events);
  }

  for (size_t i = 0; i < events.size(); ++i) {
    StructWriter<layout::kEventSize> w;
    w.put<uint64_t>(0, events[i].userdata);
    w.put<uint16_t>(8, static_cast<uint16_t>(events[i].error));
    w.put<uint8_t>(10, static_cast<uint8_t>(events[i].type));
    w.put<uint64_t>(16, events[i].nbytes);
    w.put<uint16_t>(24, events[i].flags);
    w.store_to(c.memory, events_out + uint64_t{layout::kEventSize} * i);
  }
  return store_u32(c.memory, nevents_out, static_cast<uint32_t>(events.size()));
}

}  // namespace kiln::wasi
