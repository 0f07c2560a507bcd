#include "runtime/guard.h"

#include <signal.h>
#include <sys/mman.h>
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
// The same for code that may fault on purpose.
constexpr size_t kMaxCodeRanges = 4096;
std::atomic<uintptr_t> g_code_begins[kMaxCodeRanges];
std::atomic<size_t> g_code_sizes[kMaxCodeRanges];

// initial-exec: read with one instruction instead of a __tls_get_addr call in
// the shared library (every entry into wasm touches it).
thread_local GuardedExecution* t_innermost __attribute__((tls_model("initial-exec"))) = nullptr;

struct sigaction g_previous_segv;
struct sigaction g_previous_bus;

// Lock-free registries of ranges (a signal handler reads them).
template <size_t N>
bool in_ranges(const std::atomic<uintptr_t> (&begins)[N], const std::atomic<size_t> (&sizes)[N], uintptr_t address) {
  for (size_t i = 0; i < N; ++i) {
    uintptr_t base = begins[i].load(std::memory_order_acquire);
    if (base && address >= base && address - base < sizes[i].load(std::memory_order_relaxed)) return true;
  }
  return false;
}

template <size_t N>
bool add_range(std::atomic<uintptr_t> (&begins)[N], std::atomic<size_t> (&sizes)[N], const void* begin, size_t size) {
  for (size_t i = 0; i < N; ++i) {
    uintptr_t expected = 0;
    if (begins[i].load(std::memory_order_relaxed) != 0) continue;
    sizes[i].store(size, std::memory_order_relaxed);
    if (begins[i].compare_exchange_strong(expected, reinterpret_cast<uintptr_t>(begin), std::memory_order_release))
      return true;
  }
  return false;
}

template <size_t N>
void remove_range(std::atomic<uintptr_t> (&begins)[N], const void* begin) {
  for (size_t i = 0; i < N; ++i) {
    if (begins[i].load(std::memory_order_relaxed) == reinterpret_cast<uintptr_t>(begin)) {
      begins[i].store(0, std::memory_order_release);
      return;
    }
  }
}

bool in_reservation(uintptr_t address) { return in_ranges(g_bases, g_sizes, address); }
bool in_kiln_code(uintptr_t pc) { return in_ranges(g_code_begins, g_code_sizes, pc); }

uintptr_t fault_pc(const ucontext_t* context) {
#if defined(__x86_64__)
  return static_cast<uintptr_t>(context->uc_mcontext.gregs[REG_RIP]);
#elif defined(__aarch64__)
  return static_cast<uintptr_t>(context->uc_mcontext.pc);
#else
  (void)context;
  return 0;
#endif
}

// An alternate signal stack for this thread, unless it has one already (the
// host's): a fault taken near the end of a stack still finds room to run.
thread_local bool t_signal_stack_checked __attribute__((tls_model("initial-exec"))) = false;
void ensure_signal_stack() {
  if (t_signal_stack_checked) return;
  t_signal_stack_checked = true;
  stack_t current{};
  if (sigaltstack(nullptr, &current) == 0 && !(current.ss_flags & SS_DISABLE)) return;
  static constexpr size_t kSize = 64 * 1024;
  void* memory = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) return;  // then the handler runs on the thread's own stack
  stack_t stack{};
  stack.ss_sp = memory;
  stack.ss_size = kSize;
  if (sigaltstack(&stack, nullptr) != 0) munmap(memory, kSize);
  // (Kept for the thread's lifetime: a thread that ran wasm may run it again.)
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
  const ucontext_t* ucontext = static_cast<const ucontext_t*>(context);
  if (execution && in_reservation(reinterpret_cast<uintptr_t>(info->si_addr)) && in_kiln_code(fault_pc(ucontext))) {
    save_registers(static_cast<const ucontext_t*>(context), execution);
#if defined(__x86_64__)
    if (execution->frames)
      capture_frame_chain(execution->registers[REG_RIP], true, execution->registers[REG_RBP], *execution->frames);
#endif
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

void capture_frame_chain(uintptr_t pc, bool exact, uintptr_t fp, FrameChain& chain) {
  chain.pc = pc;
  chain.exact = exact;
  chain.count = chain.omitted = 0;
  // Each caller's frame lies above its callee's: a chain that does not grow
  // toward `end` is not one of frame pointers, and ends.
  while (fp && fp < chain.end && fp % alignof(uintptr_t) == 0) {
    const auto* frame = reinterpret_cast<const uintptr_t*>(fp);
    if (chain.count < FrameChain::kCapacity) chain.return_addresses[chain.count++] = frame[1];
    else ++chain.omitted;
    if (frame[0] <= fp) break;
    fp = frame[0];
  }
}

bool register_reservation(const void* base, size_t size) { return add_range(g_bases, g_sizes, base, size); }
void unregister_reservation(const void* base) { remove_range(g_bases, base); }
bool register_code(const void* begin, size_t size) { return add_range(g_code_begins, g_code_sizes, begin, size); }
void unregister_code(const void* begin) { remove_range(g_code_begins, begin); }

void enter_guarded(GuardedExecution* execution) {
  // A function-local static: after the first call, one inlined check (where
  // std::call_once is a call to pthread_once on every entry into wasm).
  static const bool installed = (install_handler(), true);
  (void)installed;
  ensure_signal_stack();
  execution->outer = t_innermost;
  execution->register_count = 0;
  t_innermost = execution;
}

void leave_guarded(GuardedExecution* execution) { t_innermost = execution->outer; }

GuardedExecution* current_guarded() { return t_innermost; }

}  // namespace kiln::runtime
