// wat_to_wasm: module encoding, name resolution, instructions and malformed input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/wat.h"

namespace kiln::text {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes wat(std::string_view source) {
  auto result = wat_to_wasm(source);
  EXPECT_TRUE(result.has_value()) << source << "\n  -> " << (result ? "" : result.error().message);
  return result ? *result : Bytes{};
}

std::string wat_error(std::string_view source) {
  auto result = wat_to_wasm(source);
  EXPECT_FALSE(result.has_value()) << "accepted: " << source;
  if (result) return "";
  EXPECT_EQ(result.error().kind, ErrorKind::Malformed);
  return result.error().message;
}

uint64_t read_leb(const Bytes& bytes, size_t* pos) {
  uint64_t value = 0;
  for (int shift = 0; *pos < bytes.size(); shift += 7) {
    uint8_t b = bytes[(*pos)++];
    value |= uint64_t{b & 0x7Fu} << shift;
    if (!(b & 0x80)) break;
  }
  return value;
}

// The contents of the first section with `id` (empty if none).
Bytes section(const Bytes& module, uint8_t id) {
  size_t pos = 8;
  while (pos < module.size()) {
    uint8_t sid = module[pos++];
    size_t size = read_leb(module, &pos);
    if (sid == id) return Bytes(module.begin() + pos, module.begin() + pos + size);
    pos += size;
  }
  return {};
}

bool has_section(const Bytes& module, uint8_t id) {
  size_t pos = 8;
  while (pos < module.size()) {
    uint8_t sid = module[pos++];
    size_t size = read_leb(module, &pos);
    if (sid == id) return true;
    pos += size;
  }
  return false;
}

// The body (local declarations, instructions, end) of the n-th function definition.
Bytes body(const Bytes& module, size_t n = 0) {
  Bytes code = section(module, 10);
  size_t pos = 0;
  size_t count = read_leb(code, &pos);
  for (size_t i = 0; i < count; ++i) {
    size_t size = read_leb(code, &pos);
    if (i == n) return Bytes(code.begin() + pos, code.begin() + pos + size);
    pos += size;
  }
  ADD_FAILURE() << "no function " << n;
  return {};
}

// The instructions of the only function of `(module (func <text>))`, without the
// empty local declarations and the final `end`.
Bytes instrs(std::string_view func_fields, std::string_view module_fields = "") {
  Bytes b = body(wat("(module " + std::string(module_fields) + " (func " + std::string(func_fields) + "))"));
  if (b.size() < 2 || b[0] != 0 || b.back() != 0x0b) {
    ADD_FAILURE() << "unexpected body shape";
    return {};
  }
  return Bytes(b.begin() + 1, b.end() - 1);
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(TextWat, SmallModuleByteForByte) {
  Bytes module = wat(R"((module
    (func (export "f") (param i32) (result i32)
      local.get 0
      i32.const 1
      i32.add)))");
  Bytes expected = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,              // header
      0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,              // type: (i32) -> (i32)
      0x03, 0x02, 0x01, 0x00,                                      // function: type 0
      0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,                     // export "f" func 0
      0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b,  // code
  };
  EXPECT_EQ(module, expected);
}

TEST(TextWat, EmptyModuleForms) {
  const Bytes header = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  EXPECT_EQ(wat("(module)"), header);
  EXPECT_EQ(wat(""), header);
  EXPECT_EQ(wat(";; only a comment"), header);
  EXPECT_EQ(wat("(module binary \"\\00asm\" \"\\01\\00\\00\\00\")"), header);
  EXPECT_EQ(wat("(module quote \"(memory 1)\")"), wat("(memory 1)"));
}

TEST(TextWat, NameSectionFromIds) {
  Bytes module = wat("(module $m (func $f (param $x i32)))");
  Bytes expected_names = {
      0x04, 'n', 'a', 'm', 'e',
      0x00, 0x02, 0x01, 'm',                          // module name
      0x01, 0x04, 0x01, 0x00, 0x01, 'f',              // function 0 = "f"
      0x02, 0x06, 0x01, 0x00, 0x01, 0x00, 0x01, 'x',  // function 0, local 0 = "x"
  };
  EXPECT_EQ(section(module, 0), expected_names);
  // Quoted ids name things too, and equal plain ones.
  EXPECT_EQ(wat(R"((func $"f") (func (call $f)))"), wat("(func $f) (func (call $f))"));
}

TEST(TextWat, BareFieldsEqualWrappedModule) {
  EXPECT_EQ(wat("(memory 1) (func (result i32) (i32.const 7))"),
            wat("(module (memory 1) (func (result i32) (i32.const 7)))"));
}

TEST(TextWat, FoldedEqualsFlat) {
  const char* pairs[][2] = {
      {"(result i32) (i32.add (local.get 0) (i32.const 1))",
       "(result i32) local.get 0 i32.const 1 i32.add"},
      {"(block $l (br_if $l (i32.const 1)))", "block $l i32.const 1 br_if $l end"},
      {"(loop (nop))", "loop nop end"},
      {"(result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3)))",
       "(result i32) i32.const 1 if (result i32) i32.const 2 else i32.const 3 end"},
      {"(if (i32.const 0) (then))", "i32.const 0 if end"},
      {"(drop (select (i32.const 1) (i32.const 2) (i32.const 0)))",
       "i32.const 1 i32.const 2 i32.const 0 select drop"},
  };
  for (auto& pair : pairs) {
    EXPECT_EQ(wat(std::string("(func (param i32) ") + pair[0] + ")"),
              wat(std::string("(func (param i32) ") + pair[1] + ")"))
        << pair[0];
  }
}

TEST(TextWat, InstructionEncodings) {
  EXPECT_EQ(instrs("i32.const -1 drop"), (Bytes{0x41, 0x7f, 0x1a}));
  EXPECT_EQ(instrs("i32.const 0xffffffff drop"), (Bytes{0x41, 0x7f, 0x1a}));
  EXPECT_EQ(instrs("i64.const 0x8000000000000000 drop"),
            (Bytes{0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f, 0x1a}));
  EXPECT_EQ(instrs("f32.const 1.5 drop"), (Bytes{0x43, 0x00, 0x00, 0xc0, 0x3f, 0x1a}));
  EXPECT_EQ(instrs("f64.const -0x1p0 drop"),
            (Bytes{0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0xbf, 0x1a}));
  EXPECT_EQ(instrs("i32.const 0 i32.trunc_sat_f32_s drop"), (Bytes{0x41, 0x00, 0xfc, 0x00, 0x1a}));
  EXPECT_EQ(instrs("ref.null func drop ref.null extern drop"), (Bytes{0xd0, 0x70, 0x1a, 0xd0, 0x6f, 0x1a}));
  EXPECT_EQ(instrs("(drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))"),
            (Bytes{0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1c, 0x01, 0x7f, 0x1a}));
  EXPECT_EQ(instrs("(block (br_table 0 0 0 (i32.const 1)))"),
            (Bytes{0x02, 0x40, 0x41, 0x01, 0x0e, 0x02, 0x00, 0x00, 0x00, 0x0b}));
  EXPECT_EQ(instrs("return_call 0"), (Bytes{0x12, 0x00}));
  // Numeric indices are not range-checked: that is the validator's job.
  EXPECT_EQ(instrs("call 7"), (Bytes{0x10, 0x07}));
}

TEST(TextWat, MemoryImmediates) {
  const char* mem = "(memory 1)";
  EXPECT_EQ(instrs("(drop (i32.load offset=4 align=2 (i32.const 0)))", mem),
            (Bytes{0x41, 0x00, 0x28, 0x01, 0x04, 0x1a}));
  // Natural alignment by default, encoded as log2.
  EXPECT_EQ(instrs("(drop (i64.load8_s (i32.const 0)))", mem), (Bytes{0x41, 0x00, 0x30, 0x00, 0x00, 0x1a}));
  EXPECT_EQ(instrs("(drop (i64.load (i32.const 0)))", mem), (Bytes{0x41, 0x00, 0x29, 0x03, 0x00, 0x1a}));
  EXPECT_EQ(instrs("(drop (v128.load (i32.const 0)))", mem), (Bytes{0x41, 0x00, 0xfd, 0x00, 0x04, 0x00, 0x1a}));
  EXPECT_EQ(instrs("(drop (v128.load8x8_s (i32.const 0)))", mem),
            (Bytes{0x41, 0x00, 0xfd, 0x01, 0x03, 0x00, 0x1a}));
  EXPECT_EQ(instrs("(drop (v128.load32_zero offset=0x10 (i32.const 0)))", mem),
            (Bytes{0x41, 0x00, 0xfd, 0x5c, 0x02, 0x10, 0x1a}));
  EXPECT_EQ(instrs("(i32.store16 (i32.const 0) (i32.const 1))", mem),
            (Bytes{0x41, 0x00, 0x41, 0x01, 0x3b, 0x01, 0x00}));
  // A lone number after a lane instruction is the lane.
  Bytes lane1 = instrs("(drop (v128.load8_lane 1 (i32.const 0) (v128.const i64x2 0 0)))", mem);
  EXPECT_EQ(Bytes(lane1.end() - 6, lane1.end()), (Bytes{0xfd, 0x54, 0x00, 0x00, 0x01, 0x1a}));
  Bytes lane = instrs("i32.const 0 v128.const i64x2 0 0 v128.load8_lane offset=2 align=1 3 drop", mem);
  EXPECT_EQ(Bytes(lane.end() - 6, lane.end()), (Bytes{0xfd, 0x54, 0x00, 0x02, 0x03, 0x1a}));
  // Multiple memories: the memory index goes after the alignment with bit 6 set.
  const char* mems = "(memory 1) (memory $m 1)";
  EXPECT_EQ(instrs("(drop (i32.load $m offset=4 (i32.const 0)))", mems),
            (Bytes{0x41, 0x00, 0x28, 0x42, 0x01, 0x04, 0x1a}));
  EXPECT_EQ(instrs("(drop (memory.size $m))", mems), (Bytes{0x3f, 0x01, 0x1a}));
  EXPECT_EQ(instrs("(drop (memory.grow (i32.const 1)))", mems), (Bytes{0x41, 0x01, 0x40, 0x00, 0x1a}));
  Bytes lane_mem = instrs("i32.const 0 v128.const i64x2 0 0 v128.load8_lane 1 3 drop", mems);
  EXPECT_EQ(Bytes(lane_mem.end() - 7, lane_mem.end()), (Bytes{0xfd, 0x54, 0x40, 0x01, 0x00, 0x03, 0x1a}));
}

TEST(TextWat, BulkAndTableImmediates) {
  const char* fields = "(memory $m0 1) (memory $m1 1) (table $t0 1 funcref) (table $t1 1 funcref) "
                       "(data $d \"x\") (elem $e func)";
  Bytes b = instrs("(memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))", fields);
  EXPECT_EQ(Bytes(b.end() - 4, b.end()), (Bytes{0xfc, 0x08, 0x00, 0x00}));
  b = instrs("(memory.init $m1 $d (i32.const 0) (i32.const 0) (i32.const 0))", fields);
  EXPECT_EQ(Bytes(b.end() - 4, b.end()), (Bytes{0xfc, 0x08, 0x00, 0x01}));
  b = instrs("(memory.copy $m1 $m0 (i32.const 0) (i32.const 0) (i32.const 0))", fields);
  EXPECT_EQ(Bytes(b.end() - 4, b.end()), (Bytes{0xfc, 0x0a, 0x01, 0x00}));
  b = instrs("(table.init $t1 $e (i32.const 0) (i32.const 0) (i32.const 0))", fields);
  EXPECT_EQ(Bytes(b.end() - 4, b.end()), (Bytes{0xfc, 0x0c, 0x00, 0x01}));
  b = instrs("(table.copy (i32.const 0) (i32.const 0) (i32.const 0))", fields);
  EXPECT_EQ(Bytes(b.end() - 4, b.end()), (Bytes{0xfc, 0x0e, 0x00, 0x00}));
  EXPECT_EQ(instrs("data.drop $d elem.drop $e", fields), (Bytes{0xfc, 0x09, 0x00, 0xfc, 0x0d, 0x00}));
  EXPECT_EQ(instrs("(drop (table.size $t1))", fields), (Bytes{0xfc, 0x10, 0x01, 0x1a}));
  EXPECT_EQ(instrs("(drop (table.size))", fields), (Bytes{0xfc, 0x10, 0x00, 0x1a}));
  // call_indirect: type index, then table index.
  b = instrs("(call_indirect $t1 (type $v) (i32.const 0))", std::string(fields) + " (type $v (func))");
  EXPECT_EQ(Bytes(b.end() - 3, b.end()), (Bytes{0x11, 0x00, 0x01}));
}

TEST(TextWat, VectorImmediates) {
  EXPECT_EQ(instrs("v128.const i32x4 1 2 -1 0x10 drop"),
            (Bytes{0xfd, 0x0c, 1, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0, 0x1a}));
  EXPECT_EQ(instrs("v128.const f64x2 1 -0 drop"),
            (Bytes{0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x1a}));
  Bytes shuffle = instrs(
      "(drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 "
      "(v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0) (v128.const i16x8 0 0 0 0 0 0 0 0)))");
  EXPECT_EQ(Bytes(shuffle.end() - 19, shuffle.end()),
            (Bytes{0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31, 0x1a}));
  Bytes extract = instrs("(drop (i8x16.extract_lane_u 15 (v128.const i64x2 0 0)))");
  EXPECT_EQ(Bytes(extract.end() - 4, extract.end()), (Bytes{0xfd, 0x16, 0x0f, 0x1a}));
}

TEST(TextWat, NameResolution) {
  // Forward references, and every index space.
  Bytes module = wat(R"((module
    (type $t (func))
    (global $g (mut i32) (i32.const 0))
    (table $tab 1 funcref)
    (memory $mem 1)
    (func $a (call $b))
    (func $b (param $p i32) (local $l i32)
      (local.set $l (local.get $p))
      (global.set $g (i32.const 1))
      (call_indirect $tab (type $t) (i32.const 0))
      (call $a))
    (export "b" (func $b))
    (export "g" (global $g))
    (export "mem" (memory $mem)))
  )");
  EXPECT_EQ(body(module, 0), (Bytes{0x00, 0x10, 0x01, 0x0b}));
  EXPECT_EQ(body(module, 1), (Bytes{0x01, 0x01, 0x7f,             // one i32 local
                                    0x20, 0x00, 0x21, 0x01,       // local.get $p, local.set $l
                                    0x41, 0x01, 0x24, 0x00,       // global.set $g
                                    0x41, 0x00, 0x11, 0x00, 0x00,  // call_indirect
                                    0x10, 0x00, 0x0b}));
}

TEST(TextWat, UnknownAndDuplicateNames) {
  EXPECT_TRUE(contains(wat_error("(func (call $nope))"), "unknown function $nope"));
  EXPECT_TRUE(contains(wat_error("(func (drop (global.get $g)))"), "unknown global $g"));
  EXPECT_TRUE(contains(wat_error("(func (drop (local.get $x)))"), "unknown local $x"));
  EXPECT_TRUE(contains(wat_error("(func (br $l))"), "unknown label $l"));
  EXPECT_TRUE(contains(wat_error("(func (type $t))"), "unknown type $t"));
  EXPECT_TRUE(contains(wat_error("(func (data.drop $d))"), "unknown data segment $d"));
  EXPECT_TRUE(contains(wat_error("(func $f) (func $f)"), "duplicate func $f"));
  EXPECT_TRUE(contains(wat_error("(import \"\" \"\" (func $f)) (func $f)"), "duplicate func $f"));
  EXPECT_TRUE(contains(wat_error("(memory $m 1) (memory $m 1)"), "duplicate memory $m"));
  EXPECT_TRUE(contains(wat_error("(func (param $x i32) (local $x i32))"), "duplicate local $x"));
  EXPECT_TRUE(contains(wat_error("(type $t (func)) (type $t (func))"), "duplicate type $t"));
  EXPECT_TRUE(contains(wat_error("(elem $e func) (elem $e func)"), "duplicate elem $e"));
  // Errors carry line:column.
  EXPECT_EQ(wat_error("(module\n  (func\n    (call $nope)))").substr(0, 6), "3:11: ");
}

TEST(TextWat, Labels) {
  EXPECT_EQ(instrs("block $outer block br $outer end end"),
            (Bytes{0x02, 0x40, 0x02, 0x40, 0x0c, 0x01, 0x0b, 0x0b}));
  // An inner label shadows an outer one with the same name.
  EXPECT_EQ(instrs("block $l block $l br $l end end"),
            (Bytes{0x02, 0x40, 0x02, 0x40, 0x0c, 0x00, 0x0b, 0x0b}));
  // The folded if's condition is outside the if's label.
  EXPECT_EQ(instrs("(block $l (if $l (br_if $l (i32.const 1)) (then (br $l))))"),
            (Bytes{0x02, 0x40, 0x41, 0x01, 0x0d, 0x00, 0x04, 0x40, 0x0c, 0x00, 0x0b, 0x0b}));
  EXPECT_EQ(instrs("block $l end $l loop $m end $m i32.const 0 if $i else $i end $i"),
            (Bytes{0x02, 0x40, 0x0b, 0x03, 0x40, 0x0b, 0x41, 0x00, 0x04, 0x40, 0x05, 0x0b}));
  EXPECT_TRUE(contains(wat_error("(func block $a end $b)"), "mismatching label"));
  EXPECT_TRUE(contains(wat_error("(func block end $a)"), "mismatching label"));
  EXPECT_TRUE(contains(wat_error("(func i32.const 0 if $a else $b end)"), "mismatching label"));
  wat_error("(func block)");        // missing end
  wat_error("(func end)");          // end without block
  wat_error("(func block else end)");  // else outside if
}

TEST(TextWat, TypeUsesReuseOrAppendTypes) {
  Bytes module = wat(R"(
    (func (param i32))
    (type $t (func (param i32)))
    (func (result i64) (i64.const 0))
    (func (type $t) (param $x i32))
    (func (type $t)))");
  // The explicit type comes first, even when defined later; then the new one.
  EXPECT_EQ(section(module, 1), (Bytes{0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x01, 0x7e}));
  EXPECT_EQ(section(module, 3), (Bytes{0x04, 0x00, 0x01, 0x00, 0x00}));
  EXPECT_TRUE(contains(wat_error("(type $t (func (param i32))) (func (type $t) (param i64))"),
                       "inline function type"));
  EXPECT_TRUE(contains(wat_error("(type $t (func)) (func (type $t) (result i32) unreachable)"),
                       "inline function type"));
  // `(type $t)` alone makes the parameters unnamed locals 0..n-1.
  Bytes body_only = body(wat("(type $t (func (param i32 i64))) (func (type $t) (local i32) (local.set 2 (local.get 0)))"));
  EXPECT_EQ(body_only, (Bytes{0x01, 0x01, 0x7f, 0x20, 0x00, 0x21, 0x02, 0x0b}));
}

TEST(TextWat, BlockTypes) {
  EXPECT_EQ(instrs("(block (result i32) (i32.const 1)) drop"),
            (Bytes{0x02, 0x7f, 0x41, 0x01, 0x0b, 0x1a}));
  // Multi-value block types become type indices (appended after the function's type).
  Bytes module = wat("(func (block (result i32 i64) (i32.const 1) (i64.const 2)) drop drop)");
  EXPECT_EQ(section(module, 1), (Bytes{0x02, 0x60, 0x00, 0x00, 0x60, 0x00, 0x02, 0x7f, 0x7e}));
  EXPECT_EQ(body(module)[1], 0x02);
  EXPECT_EQ(body(module)[2], 0x01);
  module = wat("(type $p (func (param i32))) (func (block (param i32) drop) (i32.const 0) (block (type $p) drop))");
  EXPECT_EQ(body(module), (Bytes{0x00, 0x02, 0x00, 0x1a, 0x0b, 0x41, 0x00, 0x02, 0x00, 0x1a, 0x0b, 0x0b}));
  wat_error("(func (block (param $x i32)))");  // no names in block parameters
}

TEST(TextWat, LocalsAreCompressedIntoRuns) {
  EXPECT_EQ(body(wat("(func (local i32 i32) (local $x i64) (local f32 i32))")),
            (Bytes{0x04, 0x02, 0x7f, 0x01, 0x7e, 0x01, 0x7d, 0x01, 0x7f, 0x0b}));
}

TEST(TextWat, ImportsAndInlineExports) {
  Bytes module = wat(R"(
    (import "m" "f" (func $f (param i32)))
    (func $g (import "m" "g") (result i32))
    (global (import "m" "gl") (mut i64))
    (memory (import "m" "mem") 1 2)
    (table $t (export "t1") (export "t2") (import "m" "tab") 0 externref)
    (func (export "h") (call $f (call $g))))");
  Bytes imports = section(module, 2);
  EXPECT_EQ(imports[0], 5);
  EXPECT_EQ(section(module, 7), (Bytes{0x03, 0x02, 't', '1', 0x01, 0x00, 0x02, 't', '2', 0x01, 0x00,
                                       0x01, 'h', 0x00, 0x02}));
  EXPECT_EQ(body(module), (Bytes{0x00, 0x10, 0x01, 0x10, 0x00, 0x0b}));
  EXPECT_TRUE(contains(wat_error("(func) (import \"\" \"\" (func))"), "import after function"));
  EXPECT_TRUE(contains(wat_error("(global i32 (i32.const 0)) (memory (import \"\" \"\") 1)"),
                       "import after global"));
  EXPECT_TRUE(contains(wat_error("(export \"\\ff\" (func 0))"), "malformed UTF-8"));
}

TEST(TextWat, MemoryAndDataForms) {
  Bytes module = wat(R"(
    (memory $m (data "ab" "c"))
    (data (i32.const 4) "x")
    (data $p "yz")
    (data (memory $m) (offset (i32.const 8)))
    (memory $n i64 1 2))");
  EXPECT_EQ(section(module, 5), (Bytes{0x02, 0x01, 0x01, 0x01, 0x05, 0x01, 0x02}));
  EXPECT_EQ(section(module, 12), (Bytes{0x04}));  // data count
  EXPECT_EQ(section(module, 11), (Bytes{0x04,
                                        0x00, 0x41, 0x00, 0x0b, 0x03, 'a', 'b', 'c',
                                        0x00, 0x41, 0x04, 0x0b, 0x01, 'x',
                                        0x01, 0x02, 'y', 'z',
                                        0x00, 0x41, 0x08, 0x0b, 0x00}));
  // An abbreviated 64-bit memory gets an i64 offset; a non-zero memory is explicit.
  module = wat("(memory 0) (memory i64 (data \"q\"))");
  EXPECT_EQ(section(module, 11), (Bytes{0x01, 0x02, 0x01, 0x42, 0x00, 0x0b, 0x01, 'q'}));
  EXPECT_FALSE(has_section(wat("(memory 1)"), 12));
  // data.drop and memory.init need the data count section, even with no segments.
  EXPECT_EQ(section(wat("(func (data.drop 0))"), 12), (Bytes{0x00}));
}

TEST(TextWat, ElementSegmentForms) {
  Bytes module = wat(R"(
    (table $t 2 funcref)
    (func $f)
    (elem (i32.const 0) $f)
    (elem (table $t) (offset (i32.const 1)) func $f)
    (elem $p funcref (ref.func $f) (item ref.null func))
    (elem declare func $f)
    (elem (i32.const 0) externref (ref.null extern)))");
  EXPECT_EQ(section(module, 9), (Bytes{0x05,
                                       0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,
                                       0x00, 0x41, 0x01, 0x0b, 0x01, 0x00,
                                       0x05, 0x70, 0x02, 0xd2, 0x00, 0x0b, 0xd0, 0x70, 0x0b,
                                       0x03, 0x00, 0x01, 0x00,
                                       0x06, 0x00, 0x41, 0x00, 0x0b, 0x6f, 0x01, 0xd0, 0x6f, 0x0b}));
  // A table with inline elements is sized to them.
  module = wat("(func $f) (table $t funcref (elem $f $f))");
  EXPECT_EQ(section(module, 4), (Bytes{0x01, 0x70, 0x01, 0x02, 0x02}));
  EXPECT_EQ(section(module, 9), (Bytes{0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x00, 0x00}));
  // With a table use, the element list needs `func` or a reference type.
  wat_error("(table 1 funcref) (func $f) (elem (table 0) (i32.const 0) $f)");
  wat_error("(func $f) (elem $f)");
}

TEST(TextWat, GlobalsAndStart) {
  Bytes module = wat("(global $g (export \"g\") (mut f32) (f32.const 2)) (func $s) (start $s)");
  EXPECT_EQ(section(module, 6), (Bytes{0x01, 0x7d, 0x01, 0x43, 0x00, 0x00, 0x00, 0x40, 0x0b}));
  EXPECT_EQ(section(module, 8), (Bytes{0x00}));
  EXPECT_TRUE(contains(wat_error("(func) (start 0) (start 0)"), "multiple start sections"));
}

TEST(TextWat, ReferenceAndGcTypes) {
  Bytes module = wat(R"(
    (type $s (struct (field $a i32) (field (mut i8))))
    (type $arr (array (mut f64)))
    (rec (type $r1 (sub (func))) (type $r2 (sub final $r1 (func))))
    (global (ref null $s) (ref.null $s)))");
  EXPECT_EQ(section(module, 1), (Bytes{0x03,
                                       0x5f, 0x02, 0x7f, 0x00, 0x78, 0x01,
                                       0x5e, 0x7c, 0x01,
                                       0x4e, 0x02, 0x50, 0x00, 0x60, 0x00, 0x00,
                                       0x4f, 0x01, 0x02, 0x60, 0x00, 0x00}));
  EXPECT_EQ(section(module, 6), (Bytes{0x01, 0x63, 0x00, 0x00, 0xd0, 0x00, 0x0b}));
  wat_error("(type (struct (field $x i32) (field $x i32)))");
}

TEST(TextWat, Wasm3Features) {
  // 64-bit memories and tables set bit 2 of the limits flags.
  EXPECT_EQ(section(wat("(memory i64 1 2)"), 5), (Bytes{0x01, 0x05, 0x01, 0x02}));
  EXPECT_EQ(section(wat("(table i64 1 funcref)"), 4), (Bytes{0x01, 0x70, 0x04, 0x01}));
  EXPECT_EQ(section(wat("(memory 1 2 shared)"), 5), (Bytes{0x01, 0x03, 0x01, 0x02}));
  // Tags: their own section (13), between memories and globals, and as imports/exports.
  Bytes module = wat(R"((import "m" "t" (tag $a (param i64))) (tag $e (export "e") (param i32))
                         (global i32 (i32.const 0)))");
  EXPECT_EQ(section(module, 13), (Bytes{0x01, 0x00, 0x01}));
  EXPECT_EQ(section(module, 7), (Bytes{0x01, 0x01, 'e', 0x04, 0x01}));
  // Typed function references.
  EXPECT_EQ(section(wat("(type $t (func)) (table 1 (ref null $t))"), 4), (Bytes{0x01, 0x63, 0x00, 0x00, 0x01}));
  EXPECT_EQ(section(wat("(type $t (func)) (func $f) (elem declare func $f) (table 1 (ref $t) (ref.func $f))"), 4),
            (Bytes{0x01, 0x40, 0x00, 0x64, 0x00, 0x00, 0x01, 0xd2, 0x00, 0x0b}));
  // Extended constant expressions are ordinary instructions.
  EXPECT_EQ(section(wat("(global i32 (i32.add (i32.const 1) (i32.const 2)))"), 6),
            (Bytes{0x01, 0x7f, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b}));
  // Offsets beyond u32 are left to the decoder and validator (3.0: u64 in the text).
  EXPECT_EQ(instrs("(drop (i64.load offset=0x1_0000_0000 (i64.const 0)))", "(memory i64 1)"),
            (Bytes{0x42, 0x00, 0x29, 0x03, 0x80, 0x80, 0x80, 0x80, 0x10, 0x1a}));
}

TEST(TextWat, MalformedInputs) {
  const char* cases[] = {
      "(func (drop (i32.const0)))",                   // glued tokens
      "(func (i32.const 0x100000000) drop)",          // out of range
      "(func (f32.const 0x1p128) drop)",
      "(func (f32.const nan:0x0) drop)",
      "(func i32.wrong)",
      "(func get_local 0)",                           // obsolete name
      "(func (result i32) (param i32) (local.get 0))",  // param after result
      "(func (local i32) (param i32))",               // param after local
      "(memory 1) (func (drop (i32.load offset=-1 (i32.const 0))))",
      "(memory 1) (func (drop (i32.load align=3 (i32.const 0))))",
      "(memory 1) (func (drop (i32.load align=0 (i32.const 0))))",
      "(memory 1) (func (drop (i32.load align=1 offset=2 (i32.const 0))))",
      "(func (v128.const i32x4 1 2 3) drop)",         // too few lanes
      "(func (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0) drop)",
      "(func (i8x16.extract_lane_u 256 (v128.const i64x2 0 0)) drop)",
      "(func (call_indirect (param $x i32) (i32.const 0)))",
      "(func (br_table) )",
      "(data \"a\"\"b\")",
      "(module (func) (func)",                        // unclosed
      "(module) (module)",
      "(func) )",
      "(bogus)",
      "(func $)",
      "(func (then))",
      "(func (if (i32.const 0)))",                    // folded if needs (then)
      "(global i32 (i32.const 0) (i32.const 1) (end))",
      "(type (func (param $x i32 i64)))",
  };
  for (const char* source : cases) wat_error(source);
}

}  // namespace
}  // namespace kiln::text
