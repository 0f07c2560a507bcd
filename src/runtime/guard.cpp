#include "runtime/guard.h"

#include <signal.h>
#include <ucontext.h>

#include <atomic>
#include <cstring>

namespace kiln::runtime {

namespace {

// A fixed registry the signal handler can read without locks: 16384 entries is
// as many 8 GiB reservations as a 47-bit address space holds.
constexpr size_t kMaxReservations = 16384;
std::atomic<uintptr_t> g_bases[kMaxReservations];
std::atomic<size_t> g_sizes[kMaxReservations];

// initial-exec: read with one instruction instead of a __tls_get_addr call in
// the shared library (every entry into wasm touches it).
thread_local GuardedExecution* t_innermost __attribute__((tls_model("initial-exec"))) = nullptr;

struct sigaction g_previous_segv;
struct sigaction g_previous_bus;

bool in_reservation(uintptr_t address) {
  for (size_t i = 0; i < kMaxReservations; ++i) {
    uintptr_t base = g_bases[i].load(std::memory_order_acquire);
    if (base && address >= base && address - base < g_sizes[i].load(std::memory_order_relaxed)) return true;
  }
  return false;
}

void save_registers(const ucontext_t* context, GuardedExecution* execution) {
#if defined(__x86_64__)
  execution->register_count = NGREG < 32 ? NGREG : 32;
  for (int r = 0; r < execution->register_count; ++r)
    execution->registers[r] = static_cast<uintptr_t>(context->uc_mcontext.gregs[r]);
#else
  (void)context;
  execution->register_count = 0;
#endif
}

void chain_to_previous(int signal, siginfo_t* info, void* context) {
  const struct sigaction& previous = signal == SIGSEGV ? g_previous_segv : g_previous_bus;
  if (previous.sa_flags & SA_SIGINFO) {
    if (previous.sa_sigaction) {
      previous.sa_sigaction(signal, info, context);
      return;
    }
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
    previous.sa_handler(signal);
    return;
  }
  // Default action: restore it and return, so the faulting access repeats and
  // the process terminates as it would have without us.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(signal, &dfl, nullptr);
}

void fault_handler(int signal, siginfo_t* info, void* context) {
  GuardedExecution* execution = t_innermost;
  if (execution && in_reservation(reinterpret_cast<uintptr_t>(info->si_addr))) {
    save_registers(static_cast<const ucontext_t*>(context), execution);
    // The handler runs with SA_NODEFER, so no signal mask needs restoring.
    siglongjmp(execution->jump, 1);
  }
  chain_to_previous(signal, info, context);
}

void install_handler() {
  struct sigaction action {};
  action.sa_sigaction = fault_handler;
  action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  sigaction(SIGSEGV, &action, &g_previous_segv);
  sigaction(SIGBUS, &action, &g_previous_bus);
}

}  // namespace

bool register_reservation(const void* base, size_t size) {
  for (size_t i = 0; i < kMaxReservations; ++i) {
    uintptr_t expected = 0;
    if (g_bases[i].load(std::memory_order_relaxed) != 0) continue;
    g_sizes[i].store(size, std::memory_order_relaxed);
    if (g_bases[i].compare_exchange_strong(expected, reinterpret_cast<uintptr_t>(base), std::memory_order_release))
      return true;
  }
  return false;
}

void unregister_reservation(const void* base) {
  for (size_t i = 0; i < kMaxReservations; ++i) {
    if (g_bases[i].load(std::memory_order_relaxed) == reinterpret_cast<uintptr_t>(base)) {
      g_bases[i].store(0, std::memory_order_release);
      return;
    }
  }
}

void enter_guarded(GuardedExecution* execution) {
  // A function-local static: after the first call, one inlined check (where
  // std::call_once is a call to pthread_once on every entry into wasm).
  static const bool installed = (install_handler(), true);
  (void)installed;
  execution->outer = t_innermost;
  execution->register_count = 0;
  t_innermost = execution;
}

void leave_guarded(GuardedExecution* execution) { t_innermost = execution->outer; }

GuardedExecution* current_guarded() { return t_innermost; }

}  // namespace kiln::runtime
