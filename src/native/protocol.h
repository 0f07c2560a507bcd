// What kiln and its compiler process, kiln-llvm, say to each other (one
// request, one response, over the compiler's stdin and stdout), and what native
// code compiled by it looks like to the runtime. Header only: both sides
// include it, and nothing here needs LLVM.
//
// Native code. For each compiled wasm function (defined index i) an object
// file defines two symbols:
//
//   kiln_f<i>  the function itself: (InstanceContext* ctx, params...) -> results
//              (nothing, one value, or a struct of them), wasm values as
//              i32/i64/float/double, references as pointers
//   kiln_a<i>  its array trampoline: (InstanceContext* ctx, RawValue* slots),
//              arguments read from slots and results written over them, as
//              runtime::Entry does
//
// It reaches everything through ctx (runtime/context.h offsets) and calls only
// the helpers named below (resolved by the loader) and libc's memcpy, memmove
// and memset. A trap, or an error from a function it calls, never returns: it
// unwinds to the entry that called native code (native/entry.cpp).
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::native {

// ---- what the compiled code calls ---------------------------------------------

// Every helper symbol native code may reference. The runtime's table of their
// addresses (entry.cpp) and the compiler's declarations (llvm/helpers.cpp)
// expand this list, so the two cannot drift apart.
//   X(name, "return type; parameter types" as LLVM reads them, comment)
#define KILN_NATIVE_HELPERS(X)                                                                       \
  X(kiln_trap, "void; ptr i32 i32 i32", "ctx, TrapCode, func_index, wasm offset: never returns")    \
  X(kiln_call, "void; ptr ptr ptr", "ctx, FunctionHeader* callee, slots: any function, its entry")  \
  X(kiln_memory_grow, "i64; ptr i32 i64", "ctx, memory, delta pages -> old pages or -1")            \
  X(kiln_memory_fill, "i32; ptr i32 i64 i32 i64", "ctx, memory, dst, value, length -> TrapCode")    \
  X(kiln_memory_copy, "i32; ptr i32 i32 i64 i64 i64", "ctx, dst memory, src memory, dst, src, len") \
  X(kiln_memory_init, "i32; ptr i32 i32 i64 i64 i64", "ctx, memory, data, dst, src, length")        \
  X(kiln_data_drop, "void; ptr i32", "ctx, data segment")                                          \
  X(kiln_table_get, "i32; ptr i32 i64 ptr", "ctx, table, index, Ref* out -> TrapCode")              \
  X(kiln_table_set, "i32; ptr i32 i64 ptr", "ctx, table, index, value -> TrapCode")                 \
  X(kiln_table_grow, "i64; ptr i32 ptr i64", "ctx, table, init, delta -> old size or -1")           \
  X(kiln_table_fill, "i32; ptr i32 i64 ptr i64", "ctx, table, dst, value, length -> TrapCode")      \
  X(kiln_table_copy, "i32; ptr i32 i32 i64 i64 i64", "ctx, dst table, src table, dst, src, length") \
  X(kiln_table_init, "i32; ptr i32 i32 i64 i64 i64", "ctx, table, elem, dst, src, length")          \
  X(kiln_elem_drop, "void; ptr i32", "ctx, element segment")

// Symbol names of a compiled function.
inline std::string function_symbol(uint32_t defined_index) { return "kiln_f" + std::to_string(defined_index); }
inline std::string trampoline_symbol(uint32_t defined_index) { return "kiln_a" + std::to_string(defined_index); }
// A function's loop entry (runtime::LoopEntry): i32 kiln_o<i>(ctx, frame,
// loop_offset) runs the function from the head of the loop at that wasm
// offset, its locals taken from `frame` (RawValue slots) and its results
// written there; 0 when that loop is not an entry (nothing ran), else 1.
inline std::string loop_entry_symbol(uint32_t defined_index) { return "kiln_o" + std::to_string(defined_index); }

// ---- options --------------------------------------------------------------------

// What code is compiled for; part of every cache key and artifact.
struct CompileOptions {
  uint32_t features = 0;       // ir::Features as bits (features_to_bits)
  bool consume_fuel = false;   // charge fuel at function entries and loop headers
  bool epoch_interruption = false;
  uint32_t opt_level = 2;      // 0..3
  uint32_t threads = 0;        // compile threads; 0: every core
};

// ---- serialization ----------------------------------------------------------------

// Little-endian, length-prefixed: enough for these messages, and safe against
// any bytes (a reader that runs out or meets nonsense fails, never reads past).
class Writer {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u32(uint32_t v) { raw(&v, 4); }
  void u64(uint64_t v) { raw(&v, 8); }
  void bytes(std::span<const uint8_t> b) {
    u64(b.size());
    raw(b.data(), b.size());
  }
  void string(std::string_view s) { bytes({reinterpret_cast<const uint8_t*>(s.data()), s.size()}); }
  const std::vector<uint8_t>& data() const { return bytes_; }
  std::vector<uint8_t>& data() { return bytes_; }

 private:
  void raw(const void* p, size_t n) {
    const uint8_t* b = static_cast<const uint8_t*>(p);
    bytes_.insert(bytes_.end(), b, b + n);
  }
  std::vector<uint8_t> bytes_;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == data_.size(); }
  uint8_t u8() {
    uint8_t v = 0;
    raw(&v, 1);
    return v;
  }
  uint32_t u32() {
    uint32_t v = 0;
    raw(&v, 4);
    return v;
  }
  uint64_t u64() {
    uint64_t v = 0;
    raw(&v, 8);
    return v;
  }
  std::span<const uint8_t> bytes() {
    uint64_t n = u64();
    if (!ok_ || n > data_.size() - pos_) {
      ok_ = false;
      return {};
    }
    std::span<const uint8_t> out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  std::string string() {
    std::span<const uint8_t> b = bytes();
    return std::string(b.begin(), b.end());
  }

 private:
  void raw(void* p, size_t n) {
    if (!ok_ || n > data_.size() - pos_) {
      ok_ = false;
      return;
    }
    std::memcpy(p, data_.data() + pos_, n);
    pos_ += n;
  }
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// ---- messages ---------------------------------------------------------------------

inline constexpr uint32_t kRequestMagic = 0x514e4c4b;   // "KLNQ"
inline constexpr uint32_t kResponseMagic = 0x524e4c4b;  // "KLNR"
inline constexpr uint32_t kProtocolVersion = 3;

// Compile these defined functions of this module.
struct CompileRequest {
  CompileOptions options;
  std::span<const uint8_t> module;  // the module's binary, as kiln decoded it
  std::vector<uint32_t> functions;  // defined indices
  // When set: kiln-llvm also writes the artifact (artifact.h) of the whole
  // module there (a code cache entry), with these declared functions, before
  // it answers, so the entry is made even if kiln ends first (tier-up).
  std::string artifact_path;
  std::vector<uint32_t> declared_funcs;
  // Compile the functions' loop entries (loop_entry_symbol) instead of the
  // functions: their CompiledFunctions describe those.
  bool loop_entries = false;

  std::vector<uint8_t> encode() const {
    Writer w;
    w.u32(kRequestMagic);
    w.u32(kProtocolVersion);
    w.u32(options.features);
    w.u8(options.consume_fuel);
    w.u8(options.epoch_interruption);
    w.u32(options.opt_level);
    w.u32(options.threads);
    w.bytes(module);
    w.u32(static_cast<uint32_t>(functions.size()));
    for (uint32_t f : functions) w.u32(f);
    w.bytes({reinterpret_cast<const uint8_t*>(artifact_path.data()), artifact_path.size()});
    w.u32(static_cast<uint32_t>(declared_funcs.size()));
    for (uint32_t f : declared_funcs) w.u32(f);
    w.u8(loop_entries);
    return std::move(w.data());
  }
  // The module span points into `data`, which must outlive the request.
  static std::optional<CompileRequest> decode(std::span<const uint8_t> data) {
    Reader r(data);
    CompileRequest q;
    if (r.u32() != kRequestMagic || r.u32() != kProtocolVersion) return std::nullopt;
    q.options.features = r.u32();
    q.options.consume_fuel = r.u8();
    q.options.epoch_interruption = r.u8();
    q.options.opt_level = r.u32();
    q.options.threads = r.u32();
    q.module = r.bytes();
    uint32_t n = r.u32();
    if (!r.ok() || n > data.size()) return std::nullopt;
    for (uint32_t i = 0; i < n && r.ok(); ++i) q.functions.push_back(r.u32());
    std::span<const uint8_t> path = r.bytes();
    q.artifact_path.assign(path.begin(), path.end());
    uint32_t declared = r.u32();
    if (!r.ok() || declared > data.size()) return std::nullopt;
    for (uint32_t i = 0; i < declared && r.ok(); ++i) q.declared_funcs.push_back(r.u32());
    q.loop_entries = r.u8() != 0;
    if (!r.ok()) return std::nullopt;
    return q;
  }
};

// Where a compiled function's instructions came from: its code from
// `code_offset` on (bytes from the function symbol) was compiled from the wasm
// instruction at `wasm_offset`, until the next entry.
// An entry whose code_offset has kExactFault set is instead the exact address
// of a memory access that the guard region checks, where the ranges would
// name another instruction (one its load was folded into, say): a fault there
// is that access's (LoadedChunk::fault_frame). Such entries follow the others.
struct OffsetEntry {
  uint32_t code_offset;
  uint32_t wasm_offset;
};
inline constexpr uint32_t kExactFault = 1u << 31;

struct CompiledFunction {
  uint32_t defined_index = 0;
  uint32_t object = 0;  // which of the response's objects defines it
  uint32_t code_size = 0;
  std::vector<OffsetEntry> offsets;  // sorted by code_offset
};

struct NotCompiled {
  uint32_t defined_index = 0;
  std::string reason;  // "SIMD (v128.load) is not compiled yet"
};

struct CompileResponse {
  std::string error;  // the whole request failed (a malformed module, say); else empty
  std::vector<std::vector<uint8_t>> objects;  // ELF relocatable objects
  std::vector<CompiledFunction> compiled;
  std::vector<NotCompiled> not_compiled;

  std::vector<uint8_t> encode() const {
    Writer w;
    w.u32(kResponseMagic);
    w.u32(kProtocolVersion);
    w.string(error);
    w.u32(static_cast<uint32_t>(objects.size()));
    for (const std::vector<uint8_t>& o : objects) w.bytes(o);
    w.u32(static_cast<uint32_t>(compiled.size()));
    for (const CompiledFunction& f : compiled) {
      w.u32(f.defined_index);
      w.u32(f.object);
      w.u32(f.code_size);
      w.u32(static_cast<uint32_t>(f.offsets.size()));
      for (const OffsetEntry& e : f.offsets) {
        w.u32(e.code_offset);
        w.u32(e.wasm_offset);
      }
    }
    w.u32(static_cast<uint32_t>(not_compiled.size()));
    for (const NotCompiled& n : not_compiled) {
      w.u32(n.defined_index);
      w.string(n.reason);
    }
    return std::move(w.data());
  }
  static std::optional<CompileResponse> decode(std::span<const uint8_t> data) {
    Reader r(data);
    CompileResponse p;
    if (r.u32() != kResponseMagic || r.u32() != kProtocolVersion) return std::nullopt;
    p.error = r.string();
    uint32_t objects = r.u32();
    for (uint32_t i = 0; i < objects && r.ok(); ++i) {
      std::span<const uint8_t> o = r.bytes();
      p.objects.emplace_back(o.begin(), o.end());
    }
    uint32_t compiled = r.u32();
    for (uint32_t i = 0; i < compiled && r.ok(); ++i) {
      CompiledFunction f;
      f.defined_index = r.u32();
      f.object = r.u32();
      f.code_size = r.u32();
      uint32_t n = r.u32();
      if (!r.ok() || n > data.size()) return std::nullopt;
      for (uint32_t k = 0; k < n && r.ok(); ++k) f.offsets.push_back({r.u32(), r.u32()});
      if (f.object >= p.objects.size()) return std::nullopt;
      p.compiled.push_back(std::move(f));
    }
    uint32_t skipped = r.u32();
    for (uint32_t i = 0; i < skipped && r.ok(); ++i) p.not_compiled.push_back({r.u32(), r.string()});
    if (!r.ok() || !r.at_end()) return std::nullopt;
    return p;
  }
};

}  // namespace kiln::native
