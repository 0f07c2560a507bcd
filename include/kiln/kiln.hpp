// Kiln's C++ embedding API.
//
//   kiln::Engine engine;
//   kiln::Store store(engine);
//   auto module = kiln::Module::from_text(engine, "(module (func (export \"add\") ...))");
//   kiln::Linker linker(engine);
//   linker.func_wrap("env", "log", [](int32_t x) { std::printf("%d\n", x); });
//   auto instance = linker.instantiate(store, *module);
//   auto add = instance->get_typed_func<int32_t(int32_t, int32_t)>("add");
//   kiln::Expected<int32_t> sum = add->call(2, 3);
//
// Every fallible call returns an Expected<T>; no exceptions cross the API.
// Objects such as Func, Memory, Table and Global are handles into a Store and
// stay valid as long as the Store lives. A Module can be shared by many stores
// and threads; a Store (and everything in it) is used by one thread at a time.
//
// Memory spans: Memory::data() points at the memory's first byte and never
// moves, even when the memory grows (Kiln reserves the whole 32-bit range up
// front). A span from Memory::span() covers the size at the time of the call:
// after a grow, take a new span to see the new pages.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "kiln/error.hpp"
#include "kiln/limits.hpp"

namespace kiln {

namespace runtime {
class Engine;
class Function;
class Global;
class Instance;
class Memory;
class Module;
class Store;
class Table;
}  // namespace runtime

// ---- types -------------------------------------------------------------------

enum class ValKind : uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef };
const char* to_string(ValKind kind);

struct V128 {
  std::array<uint8_t, 16> bytes{};
  friend bool operator==(const V128&, const V128&) = default;
};

struct FuncType {
  std::vector<ValKind> params;
  std::vector<ValKind> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};
std::string to_string(const FuncType& type);

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
  bool is64 = false;
  bool shared = false;
};

struct TableType {
  ValKind element = ValKind::FuncRef;
  Limits limits;
};

struct GlobalType {
  ValKind content = ValKind::I32;
  bool mutable_ = false;
};

enum class ExternKind : uint8_t { Func, Table, Memory, Global, Tag };

struct ExternType {
  ExternKind kind = ExternKind::Func;
  FuncType func;
  TableType table;
  MemoryType memory;
  GlobalType global;
};

struct ImportType {
  std::string module;
  std::string name;
  ExternType type;
};

struct ExportType {
  std::string name;
  ExternType type;
};

// ---- values ------------------------------------------------------------------

class Func;

// A value of any wasm type. References are a Func (funcref) or an opaque host
// pointer (externref); null is a reference with no target.
class Val {
 public:
  Val() : Val(int32_t{0}) {}
  Val(int32_t v) : kind_(ValKind::I32) { bits_ = static_cast<uint32_t>(v); }
  Val(uint32_t v) : kind_(ValKind::I32) { bits_ = v; }
  Val(int64_t v) : kind_(ValKind::I64) { bits_ = static_cast<uint64_t>(v); }
  Val(uint64_t v) : kind_(ValKind::I64) { bits_ = v; }
  Val(float v) : kind_(ValKind::F32) { uint32_t b; std::memcpy(&b, &v, 4); bits_ = b; }
  Val(double v) : kind_(ValKind::F64) { std::memcpy(&bits_, &v, 8); }
  Val(V128 v) : kind_(ValKind::V128), v128_(v) {}
  static Val externref(void* host_pointer) { Val v; v.kind_ = ValKind::ExternRef; v.ref_ = host_pointer; return v; }
  static Val funcref(const Func* func);  // null for no function
  static Val null(ValKind reference_kind) { Val v; v.kind_ = reference_kind; return v; }

  ValKind kind() const { return kind_; }
  int32_t i32() const { return static_cast<int32_t>(bits_); }
  int64_t i64() const { return static_cast<int64_t>(bits_); }
  float f32() const { float f; uint32_t b = static_cast<uint32_t>(bits_); std::memcpy(&f, &b, 4); return f; }
  double f64() const { double f; std::memcpy(&f, &bits_, 8); return f; }
  const V128& v128() const { return v128_; }
  uint64_t raw_bits() const { return bits_; }   // i32/f32 zero-extended
  void* externref() const { return ref_; }
  bool is_null() const { return ref_ == nullptr; }
  std::optional<Func> funcref() const;          // for FuncRef values

  // Implementation details: the raw reference, and the store a funcref's
  // function lives in (so funcref() can make a Func).
  void* raw_ref() const { return ref_; }
  runtime::Store* ref_store() const { return ref_store_; }
  static Val from_raw_ref(ValKind kind, void* ref, runtime::Store* store) {
    Val v;
    v.kind_ = kind;
    v.ref_ = ref;
    v.ref_store_ = store;
    return v;
  }

 private:
  ValKind kind_;
  uint64_t bits_ = 0;
  V128 v128_{};
  void* ref_ = nullptr;
  runtime::Store* ref_store_ = nullptr;
};

std::string to_string(const Val& value);

// ---- engine, module, store ------------------------------------------------------

// Which code runs a module's functions (docs/embedding.md).
enum class Tier : uint8_t {
  Interpreter,  // translate each function on first call; starts at once
  Llvm,         // compile the whole module to native code with LLVM (kiln-llvm) before it runs;
                // a function the tier cannot compile is interpreted
  Auto,         // interpret at once; once a function is hot, compile the module with LLVM in
                // the background and switch to its native code (all of it at once if cached)
};

struct Config {
  Tier tier = Tier::Interpreter;
  // The LLVM and auto tiers: threads to compile a module on (0: every core),
  // and the directory of the code cache (empty: none; `kiln run` uses
  // ~/.cache/kiln).
  uint32_t compile_threads = 0;
  std::string cache_dir;
  // Resource limits (see docs/embedding.md).
  uint64_t max_memory_pages = 65536;      // per linear memory (64 KiB pages)
  uint64_t max_table_elements = 10000000;
  uint64_t max_stack_bytes = uint64_t{64} << 20;  // interpreter value stack per store
  uint32_t max_call_depth = 100000;
  bool wasm2_only = false;                // reject WebAssembly 3.0 features
  // Fuel: running code is charged per instruction and traps with "all fuel
  // consumed" when its store has none left (Store::set_fuel). Costs nothing when off.
  bool consume_fuel = false;
  // Epoch interruption: code traps with "interrupted" once the engine's epoch
  // reaches the store's deadline (Engine::increment_epoch, Store::set_epoch_deadline).
  bool epoch_interruption = false;
};

class Engine {
 public:
  explicit Engine(Config config = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Advances the epoch (thread-safe: call it from a timer thread).
  void increment_epoch();

  runtime::Engine& impl() const { return *impl_; }

 private:
  std::unique_ptr<runtime::Engine> impl_;
};

class Module {
 public:
  // Compiles a binary module (decodes and validates it).
  static Expected<Module> compile(Engine& engine, std::span<const uint8_t> binary);
  // Compiles a module in the text format.
  static Expected<Module> from_text(Engine& engine, std::string_view text);
  // Text if it starts like text (a '(' after white space and comments), binary
  // otherwise: empty or foreign bytes are a malformed binary.
  static Expected<Module> from_bytes(Engine& engine, std::span<const uint8_t> bytes);
  // Reads a file and compiles it: text when the name ends in .wat or .wast or
  // the content starts like text, else binary. Io errors name the file (a
  // directory, a missing file, one larger than 4 GiB).
  static Expected<Module> from_file(Engine& engine, const std::string& path);
  static Expected<void> validate(Engine& engine, std::span<const uint8_t> binary);
  // Bytes to keep the module in: under Tier::Llvm and Tier::Auto, its native
  // code for every function (compiled now, as `kiln compile` does), else its
  // wasm binary. deserialize() takes either; native code only from a Kiln of
  // this very build, for this processor and the engine's options (else an
  // Unsupported error says what differs). Native code is trusted: deserialize
  // only bytes you serialized.
  Expected<std::vector<uint8_t>> serialize() const;
  static Expected<Module> deserialize(Engine& engine, std::span<const uint8_t> bytes);

  std::vector<ImportType> imports() const;
  std::vector<ExportType> exports() const;

  const std::shared_ptr<const runtime::Module>& impl() const { return impl_; }
  explicit Module(std::shared_ptr<const runtime::Module> impl) : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const runtime::Module> impl_;
};

class Store {
 public:
  explicit Store(Engine& engine);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Engine& engine() const { return engine_; }

  // Fuel for code in this store (Config::consume_fuel must be set).
  Expected<void> set_fuel(uint64_t fuel);
  Expected<uint64_t> fuel() const;
  // Code in this store traps once the engine's epoch advances `ticks` times
  // from now (Config::epoch_interruption must be set).
  void set_epoch_deadline(uint64_t ticks);
  // Limits on memory, tables and instances (not owned; outlives the store's use).
  void set_limiter(ResourceLimiter* limiter);

  runtime::Store& impl() const { return *impl_; }

 private:
  Engine& engine_;
  std::unique_ptr<runtime::Store> impl_;
};

// ---- store objects -------------------------------------------------------------

template <class Signature>
class TypedFunc;
template <class Signature>
struct TypedFuncFactory;

namespace detail {
// Calls a wasm or host function with arguments in `slots` (8 bytes each, two for
// a v128); results are written back to `slots`.
Expected<void> call_raw(runtime::Store& store, runtime::Function* function, uint64_t* slots);
runtime::Store& store_of(const Func& func);
}  // namespace detail

class Func {
 public:
  Func(runtime::Store* store, runtime::Function* function) : store_(store), function_(function) {}

  FuncType type() const;
  // Calls with dynamically typed values (checked against the function's type).
  Expected<std::vector<Val>> call(std::span<const Val> args) const;
  Expected<std::vector<Val>> call(std::initializer_list<Val> args) const {
    return call(std::span<const Val>(args.begin(), args.size()));
  }
  // A statically typed view, e.g. func.typed<int32_t(int32_t, int32_t)>();
  // an error if the signature does not match the function's type.
  template <class Signature>
  Expected<TypedFunc<Signature>> typed() const;

  runtime::Function* impl() const { return function_; }
  runtime::Store* store() const { return store_; }
  friend bool operator==(const Func& a, const Func& b) { return a.function_ == b.function_; }

 private:
  runtime::Store* store_;
  runtime::Function* function_;
};

class Memory {
 public:
  Memory(runtime::Store* store, runtime::Memory* memory) : store_(store), memory_(memory) {}

  uint8_t* data() const;
  uint64_t size() const;   // bytes
  uint64_t pages() const;  // 64 KiB pages
  std::span<uint8_t> span() const { return {data(), static_cast<size_t>(size())}; }
  // Grows by `delta` pages; returns the previous size in pages.
  Expected<uint64_t> grow(uint64_t delta) const;
  MemoryType type() const;

  runtime::Memory* impl() const { return memory_; }
  runtime::Store* store() const { return store_; }

 private:
  runtime::Store* store_;
  runtime::Memory* memory_;
};

class Table {
 public:
  Table(runtime::Store* store, runtime::Table* table) : store_(store), table_(table) {}

  uint64_t size() const;
  Expected<Val> get(uint64_t index) const;
  Expected<void> set(uint64_t index, const Val& value) const;
  // Grows by `delta` entries set to `init`; returns the previous size.
  Expected<uint64_t> grow(uint64_t delta, const Val& init) const;
  TableType type() const;

  runtime::Table* impl() const { return table_; }
  runtime::Store* store() const { return store_; }

 private:
  runtime::Store* store_;
  runtime::Table* table_;
};

class Global {
 public:
  Global(runtime::Store* store, runtime::Global* global) : store_(store), global_(global) {}

  Val get() const;
  Expected<void> set(const Val& value) const;  // an error for immutable globals
  GlobalType type() const;

  runtime::Global* impl() const { return global_; }
  runtime::Store* store() const { return store_; }

 private:
  runtime::Store* store_;
  runtime::Global* global_;
};

// Any importable/exportable object.
class Extern {
 public:
  Extern(Func f) : kind_(ExternKind::Func), store_(f.store()), object_(f.impl()) {}
  Extern(Memory m) : kind_(ExternKind::Memory), store_(m.store()), object_(m.impl()) {}
  Extern(Table t) : kind_(ExternKind::Table), store_(t.store()), object_(t.impl()) {}
  Extern(Global g) : kind_(ExternKind::Global), store_(g.store()), object_(g.impl()) {}
  Extern(ExternKind kind, runtime::Store* store, void* object) : kind_(kind), store_(store), object_(object) {}

  ExternKind kind() const { return kind_; }
  std::optional<Func> func() const;
  std::optional<Memory> memory() const;
  std::optional<Table> table() const;
  std::optional<Global> global() const;
  void* impl() const { return object_; }
  runtime::Store* store() const { return store_; }

 private:
  ExternKind kind_;
  runtime::Store* store_;
  void* object_;
};

class Instance {
 public:
  Instance(runtime::Store* store, runtime::Instance* instance) : store_(store), instance_(instance) {}

  std::optional<Extern> get_export(std::string_view name) const;
  std::optional<Func> get_func(std::string_view name) const;
  std::optional<Memory> get_memory(std::string_view name) const;
  std::optional<Table> get_table(std::string_view name) const;
  std::optional<Global> get_global(std::string_view name) const;
  template <class Signature>
  Expected<TypedFunc<Signature>> get_typed_func(std::string_view name) const;

  runtime::Instance* impl() const { return instance_; }
  runtime::Store* store() const { return store_; }

 private:
  runtime::Store* store_;
  runtime::Instance* instance_;
};

// What a host function sees of its caller: the calling instance's exports (its
// memory, typically) and the store.
class Caller {
 public:
  Caller(runtime::Store* store, runtime::Instance* instance) : store_(store), instance_(instance) {}
  std::optional<Extern> get_export(std::string_view name) const;
  // The caller's memory: the export named `name`, else its first memory.
  std::optional<Memory> memory(std::string_view name = "memory") const;
  runtime::Store& store() const { return *store_; }

 private:
  runtime::Store* store_;
  runtime::Instance* instance_;
};

// ---- typed calls -------------------------------------------------------------------

namespace detail {

template <class T>
struct WasmType;
template <> struct WasmType<int32_t> { static constexpr ValKind kind = ValKind::I32; };
template <> struct WasmType<uint32_t> { static constexpr ValKind kind = ValKind::I32; };
template <> struct WasmType<int64_t> { static constexpr ValKind kind = ValKind::I64; };
template <> struct WasmType<uint64_t> { static constexpr ValKind kind = ValKind::I64; };
template <> struct WasmType<float> { static constexpr ValKind kind = ValKind::F32; };
template <> struct WasmType<double> { static constexpr ValKind kind = ValKind::F64; };
template <> struct WasmType<V128> { static constexpr ValKind kind = ValKind::V128; };

template <class T>
constexpr size_t slot_count() { return std::is_same_v<T, V128> ? 2 : 1; }

template <class T>
inline void write_slot(uint64_t* slot, T value) {
  if constexpr (sizeof(T) == 4) {
    uint32_t bits;
    std::memcpy(&bits, &value, 4);
    *slot = bits;
  } else {
    std::memcpy(slot, &value, sizeof(T));
  }
}

template <class T>
inline T read_slot(const uint64_t* slot) {
  T value;
  std::memcpy(&value, slot, sizeof(T));
  return value;
}

// Results: void, one value, or a std::tuple of values.
template <class R>
struct Results {
  static constexpr size_t count = 1;
  static std::vector<ValKind> kinds() { return {WasmType<R>::kind}; }
  static constexpr size_t slots = slot_count<R>();
  static R read(const uint64_t* slots_in) { return read_slot<R>(slots_in); }
  static void write(uint64_t* out, const R& r) { write_slot(out, r); }
};
template <>
struct Results<void> {
  static constexpr size_t count = 0;
  static std::vector<ValKind> kinds() { return {}; }
  static constexpr size_t slots = 0;
};
template <class... Ts>
struct Results<std::tuple<Ts...>> {
  static constexpr size_t count = sizeof...(Ts);
  static std::vector<ValKind> kinds() { return {WasmType<Ts>::kind...}; }
  static constexpr size_t slots = (slot_count<Ts>() + ... + 0);
  static std::tuple<Ts...> read(const uint64_t* in) {
    std::tuple<Ts...> out;
    [[maybe_unused]] size_t at = 0;
    std::apply([&](auto&... v) { ((v = read_slot<std::decay_t<decltype(v)>>(in + at), at += slot_count<std::decay_t<decltype(v)>>()), ...); }, out);
    return out;
  }
  static void write(uint64_t* out, const std::tuple<Ts...>& values) {
    [[maybe_unused]] size_t at = 0;
    std::apply([&](const auto&... v) { ((write_slot(out + at, v), at += slot_count<std::decay_t<decltype(v)>>()), ...); }, values);
  }
};

Expected<void> check_signature(const Func& func, const std::vector<ValKind>& params, const std::vector<ValKind>& results);

}  // namespace detail

// A function with a known signature: calls skip all dynamic checks and
// conversions (arguments go straight into the interpreter's slots).
template <class R, class... Args>
class TypedFunc<R(Args...)> {
 public:
  explicit TypedFunc(Func func) : func_(func) {}

  Expected<R> call(Args... args) const {
    constexpr size_t kArgSlots = (detail::slot_count<Args>() + ... + 0);
    constexpr size_t kSlots = std::max<size_t>({kArgSlots, detail::Results<R>::slots, size_t{1}});
    uint64_t slots[kSlots];
    [[maybe_unused]] size_t at = 0;
    ((detail::write_slot(slots + at, args), at += detail::slot_count<Args>()), ...);
    Expected<void> status = detail::call_raw(*func_.store(), func_.impl(), slots);
    if (!status) return std::move(status).error();
    if constexpr (std::is_void_v<R>) return {};
    else return detail::Results<R>::read(slots);
  }

  const Func& func() const { return func_; }

 private:
  Func func_;
};

// ---- host functions ---------------------------------------------------------------

// A host function with dynamic types: reads `args`, writes `results` (already
// sized and typed from the signature). Returning an Error traps the caller.
using HostFunc = std::function<Expected<void>(Caller& caller, std::span<const Val> args, std::span<Val> results)>;

namespace detail {

// Adapts a C++ callable with wasm-typed parameters (optionally a leading
// Caller&) to the runtime's slot interface.
template <class Ret>
struct ReturnTraits {
  using value = Ret;
  static constexpr bool can_fail = false;
};
template <class T>
struct ReturnTraits<Expected<T>> {
  using value = T;
  static constexpr bool can_fail = true;
};

template <class Fn, class Ret, bool WithCaller, class... Args>
struct Wrapped {
  using Value = typename ReturnTraits<Ret>::value;

  static FuncType type() {
    return FuncType{{WasmType<std::decay_t<Args>>::kind...}, Results<Value>::kinds()};
  }

  // The runtime entry point: arguments in slots, results back into slots.
  static Expected<void> invoke(Fn& fn, Caller& caller, uint64_t* slots) {
    std::tuple<std::decay_t<Args>...> args;
    [[maybe_unused]] size_t at = 0;
    std::apply([&](auto&... a) { ((a = read_slot<std::decay_t<decltype(a)>>(slots + at), at += slot_count<std::decay_t<decltype(a)>>()), ...); }, args);
    auto call = [&]() -> Ret {
      if constexpr (WithCaller) return std::apply([&](auto&... a) -> Ret { return fn(caller, a...); }, args);
      else return std::apply([&](auto&... a) -> Ret { return fn(a...); }, args);
    };
    if constexpr (ReturnTraits<Ret>::can_fail) {
      Ret result = call();
      if (!result) return std::move(result).error();
      if constexpr (!std::is_void_v<Value>) Results<Value>::write(slots, *result);
      return {};
    } else if constexpr (std::is_void_v<Ret>) {
      call();
      return {};
    } else {
      Results<Ret>::write(slots, call());
      return {};
    }
  }
};

template <class Fn, class Sig>
struct Deduce;
template <class Fn, class Ret, class... Args>
struct Deduce<Fn, Ret (*)(Args...)> : Wrapped<Fn, Ret, false, Args...> {};
template <class Fn, class Ret, class... Args>
struct Deduce<Fn, Ret (*)(Caller&, Args...)> : Wrapped<Fn, Ret, true, Args...> {};

template <class T>
struct CallOperator;
template <class C, class Ret, class... Args>
struct CallOperator<Ret (C::*)(Args...) const> {
  using pointer = Ret (*)(Args...);
};
template <class C, class Ret, class... Args>
struct CallOperator<Ret (C::*)(Args...)> {
  using pointer = Ret (*)(Args...);
};

template <class F>
struct FunctionPointerOf {
  using type = typename CallOperator<decltype(&F::operator())>::pointer;
};
template <class Ret, class... Args>
struct FunctionPointerOf<Ret (*)(Args...)> {
  using type = Ret (*)(Args...);
};
template <class Ret, class... Args>
struct FunctionPointerOf<Ret(Args...)> {
  using type = Ret (*)(Args...);
};

// A host function in the runtime's form: the type plus a slot-level callback.
struct RawHostFunc {
  FuncType type;
  std::function<Expected<void>(Caller& caller, uint64_t* slots)> callback;
};

template <class F>
RawHostFunc wrap(F&& callable) {
  using Fn = std::decay_t<F>;
  using Traits = Deduce<Fn, typename FunctionPointerOf<Fn>::type>;
  auto shared = std::make_shared<Fn>(std::forward<F>(callable));
  return RawHostFunc{Traits::type(),
                     [shared](Caller& caller, uint64_t* slots) { return Traits::invoke(*shared, caller, slots); }};
}

}  // namespace detail

// ---- linking -----------------------------------------------------------------------

struct WasiConfig {
  std::vector<std::string> args;                               // argv, argv[0] included
  std::vector<std::pair<std::string, std::string>> env;        // NAME, VALUE
  bool inherit_env = false;
  bool inherit_stdio = true;
  std::vector<std::pair<std::string, std::string>> preopens;   // host directory, guest path
};

// Names things for import resolution: host functions (available in every store
// this linker instantiates into), store objects, instances and WASI.
class Linker {
 public:
  explicit Linker(Engine& engine);
  ~Linker();
  Linker(const Linker&) = delete;
  Linker& operator=(const Linker&) = delete;

  // A host function from any C++ callable whose parameters and result are
  // wasm-typed (int32_t, int64_t, float, double, V128; results may also be void,
  // a std::tuple, or an Expected<...> to trap). It may take a leading Caller&.
  template <class F>
  Linker& func_wrap(std::string module, std::string name, F&& callable) {
    define_raw_host(std::move(module), std::move(name), detail::wrap(std::forward<F>(callable)));
    return *this;
  }
  // A host function with dynamic types.
  Linker& func_new(std::string module, std::string name, FuncType type, HostFunc callback);
  // A store object (from the store passed to instantiate()).
  Linker& define(std::string module, std::string name, const Extern& value);
  // All exports of an instance, under `module`.
  Linker& define_instance(std::string module, const Instance& instance);
  // WASI preview1 for instances created in `store`.
  Expected<void> define_wasi(Store& store, const WasiConfig& config);

  // Resolves the module's imports and instantiates it (running its start function).
  Expected<Instance> instantiate(Store& store, const Module& module);

 private:
  void define_raw_host(std::string module, std::string name, detail::RawHostFunc host);
  struct State;
  std::unique_ptr<State> state_;
};

// ---- out-of-line templates --------------------------------------------------------

template <class R, class... Args>
struct TypedFuncFactory<R(Args...)> {
  static Expected<TypedFunc<R(Args...)>> make(const Func& func) {
    std::vector<ValKind> params = {detail::WasmType<std::decay_t<Args>>::kind...};
    Expected<void> ok = detail::check_signature(func, params, detail::Results<R>::kinds());
    if (!ok) return std::move(ok).error();
    return TypedFunc<R(Args...)>(func);
  }
};

template <class Signature>
Expected<TypedFunc<Signature>> Func::typed() const {
  return TypedFuncFactory<Signature>::make(*this);
}

template <class Signature>
Expected<TypedFunc<Signature>> Instance::get_typed_func(std::string_view name) const {
  std::optional<Func> func = get_func(name);
  if (!func) return Error(ErrorKind::Usage, "no exported function named \"" + std::string(name) + "\"");
  return func->typed<Signature>();
}

}  // namespace kiln
