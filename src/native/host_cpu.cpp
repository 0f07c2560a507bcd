#include "native/host_cpu.h"

#include <cstdint>
#include <cstdio>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace kiln::native {

namespace {

#if defined(__x86_64__)
struct Cpuid {
  unsigned a = 0, b = 0, c = 0, d = 0;
};

Cpuid cpuid(unsigned leaf, unsigned subleaf = 0) {
  Cpuid r;
  __cpuid_count(leaf, subleaf, r.a, r.b, r.c, r.d);
  return r;
}

std::string brand() {
  if (cpuid(0x80000000).a < 0x80000004) return "unknown processor";
  char name[49] = {};
  for (unsigned i = 0; i < 3; ++i) {
    Cpuid r = cpuid(0x80000002 + i);
    std::memcpy(name + 16 * i, &r, 16);
  }
  std::string s(name);
  // Trim the padding some processors put around their name.
  size_t first = s.find_first_not_of(' ');
  size_t last = s.find_last_not_of(' ');
  return first == std::string::npos ? "unknown processor" : s.substr(first, last - first + 1);
}

// The register state the OS enables (XCR0): AVX and AVX-512 code needs it.
uint64_t enabled_state() {
  if (!(cpuid(1).c & (1u << 27))) return 0;  // no OSXSAVE
  unsigned lo, hi;
  __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t{hi} << 32) | lo;
}
#endif

}  // namespace

std::string host_cpu() {
#if defined(__x86_64__)
  unsigned max_leaf = cpuid(0).a;
  Cpuid basic = cpuid(1);
  Cpuid extended7 = max_leaf >= 7 ? cpuid(7) : Cpuid{};
  Cpuid extended7_1 = max_leaf >= 7 ? cpuid(7, 1) : Cpuid{};
  Cpuid amd = cpuid(0x80000000).a >= 0x80000001 ? cpuid(0x80000001) : Cpuid{};
  // Leaf 1's EBX holds the APIC id of the core this runs on: not a feature.
  char words[160];
  std::snprintf(words, sizeof words, "%08x.%08x.%08x.%08x.%08x.%08x.%08x.%08x.%016llx", basic.c, basic.d,
                extended7.b, extended7.c, extended7.d, extended7_1.a, amd.c, amd.d,
                static_cast<unsigned long long>(enabled_state()));
  return "x86_64 " + brand() + " [" + words + "]";
#else
  return "unknown architecture";
#endif
}

std::string cpu_name(const std::string& host_cpu) {
  size_t bracket = host_cpu.rfind(" [");
  return bracket == std::string::npos ? host_cpu : host_cpu.substr(0, bracket);
}

}  // namespace kiln::native
