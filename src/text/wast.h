// WAST scripts: the spec test format (modules, actions and assertions).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace kiln::text {

// A module inside a script. Text modules are kept as source and encoded when the
// command runs, so one module the parser cannot handle fails one command, not the file.
struct ScriptModule {
  enum class Form { Text, Binary, Quote };
  Form form = Form::Text;
  std::optional<std::string> name;  // "$M" as written (with the $), if any
  bool is_definition = false;       // `(module definition ...)` (3.0): compile, don't instantiate
  // Text: the whole `(module ...)` s-expression source (for a definition, with the
  //   `definition` keyword blanked out, so it reads as a plain module at the same columns).
  // Quote: the concatenated contents of the quoted strings (a module's fields or a full module).
  // Errors from to_binary() give "line:column" relative to this text: add `line - 1` for a
  // line of the script (Text form).
  std::string text;
  std::vector<uint8_t> binary;  // Binary: the concatenated bytes of the strings
  uint32_t line = 0;

  // Returns the binary encoding: decodes strings for Binary, runs wat_to_wasm for Text
  // and Quote.
  Expected<std::vector<uint8_t>> to_binary() const;
};

// A constant argument or an expected result.
struct ScriptValue {
  enum class Kind {
    I32, I64, F32, F64, V128,
    RefNull,        // (ref.null <heaptype>): `heap` holds the heap type text ("func", "extern", "any", ...)
    RefExtern,      // (ref.extern N), or (ref.extern) with no number in results: any non-null extern
    RefHost,        // (ref.host N)
    RefFunc,        // (ref.func) in results: any non-null funcref ((ref.func N) is not used)
    RefAny, RefEq, RefI31, RefStruct, RefArray, RefExn,  // result patterns of 3.0 GC/exceptions
    Either,         // (either v1 v2 ...) in results: any alternative matches
  };
  // For F32/F64 results and float lanes of V128 results.
  enum class NanPattern : uint8_t { None, Canonical, Arithmetic };

  Kind kind = Kind::I32;
  uint64_t bits = 0;                  // I32/I64/F32/F64 payload (raw bits); RefExtern/RefHost number
  bool has_number = false;            // RefExtern/RefHost/RefI31 carry a number
  std::array<uint8_t, 16> v128{};     // V128 bytes, little-endian lane order
  // V128 results: the lane shape as written ("i8x16" ... "f64x2") and per-lane NaN patterns.
  std::string lane_shape;
  std::array<NanPattern, 4> lane_nan{};  // f32x4 uses 4 entries, f64x2 the first 2
  NanPattern nan = NanPattern::None;  // F32/F64 results
  std::string heap;                   // RefNull heap type
  std::vector<ScriptValue> alternatives;  // Either
};

struct ScriptAction {
  enum class Kind { Invoke, Get };
  Kind kind = Kind::Invoke;
  std::optional<std::string> module;  // "$M" if named
  std::string field;                  // export name (decoded string)
  std::vector<ScriptValue> args;
  uint32_t line = 0;
};

struct ScriptCommand {
  enum class Kind {
    Module,               // (module ...): define and instantiate (or just define)
    Instance,             // (module instance $I $M) (3.0)
    Register,             // (register "name" $M?)
    Action,               // a bare (invoke ...) or (get ...)
    AssertReturn,
    AssertTrap,           // on an action, or on a module (instantiation traps)
    AssertExhaustion,
    AssertException,      // (3.0)
    AssertMalformed,
    AssertInvalid,
    AssertUnlinkable,
    AssertUninstantiable,
    AssertMalformedCustom, AssertInvalidCustom,  // custom-section annotations: ignored by runners
    Unsupported,          // a command form the runner does not know (thread, wait, ...)
  };
  Kind kind = Kind::Module;
  uint32_t line = 0;
  std::optional<ScriptModule> module;   // Module, AssertTrap-on-module, AssertMalformed/Invalid/Unlinkable/Uninstantiable
  std::optional<ScriptAction> action;   // Action, AssertReturn, AssertTrap, AssertExhaustion, AssertException
  std::vector<ScriptValue> expected;    // AssertReturn
  std::string message;                  // the expected failure text of assert_*; for
                                        // Unsupported, the command's keyword ("thread")
  std::string register_name;            // Register: the name given
  std::optional<std::string> register_module;  // Register: "$M" if given
  std::string instance_name, instance_module;  // Instance: "$I", "$M"
};

struct Script {
  std::vector<ScriptCommand> commands;
};

// Parses a whole .wast file. A syntax error in the script structure itself fails the
// whole parse (kind Malformed, message "line:column: ...").
Expected<Script> parse_wast(std::string_view source);

}  // namespace kiln::text
