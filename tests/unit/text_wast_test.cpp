// parse_wast: every command kind, actions, expected values, and module forms.
#include <gtest/gtest.h>

#include "text/wast.h"
#include "text/wat.h"

namespace kiln::text {
namespace {

using Kind = ScriptCommand::Kind;
using VKind = ScriptValue::Kind;
using Nan = ScriptValue::NanPattern;

Script parse(std::string_view source) {
  auto script = parse_wast(source);
  EXPECT_TRUE(script.has_value()) << (script ? "" : script.error().message);
  return script ? *script : Script{};
}

TEST(TextWast, ModuleForms) {
  Script s = parse(R"wast(
(module $M (func (export "f")))
(module binary "\00asm" "\01\00\00\00")
(module $Q quote "(func)" " (memory 1)")
(module definition $D (memory 1))
(module instance $I $D)
(module instance $D)
)wast");
  ASSERT_EQ(s.commands.size(), 6u);
  const ScriptModule& text = *s.commands[0].module;
  EXPECT_EQ(s.commands[0].kind, Kind::Module);
  EXPECT_EQ(text.form, ScriptModule::Form::Text);
  EXPECT_EQ(text.name, "$M");
  EXPECT_EQ(text.line, 2u);
  EXPECT_EQ(text.text, R"((module $M (func (export "f"))))");
  EXPECT_TRUE(text.to_binary().has_value());

  const ScriptModule& binary = *s.commands[1].module;
  EXPECT_EQ(binary.form, ScriptModule::Form::Binary);
  EXPECT_FALSE(binary.name.has_value());
  EXPECT_EQ(binary.binary, (std::vector<uint8_t>{0, 'a', 's', 'm', 1, 0, 0, 0}));
  EXPECT_EQ(*binary.to_binary(), binary.binary);

  const ScriptModule& quote = *s.commands[2].module;
  EXPECT_EQ(quote.form, ScriptModule::Form::Quote);
  EXPECT_EQ(quote.name, "$Q");
  EXPECT_EQ(quote.text, "(func) (memory 1)");
  EXPECT_EQ(*quote.to_binary(), *wat_to_wasm("(module (func) (memory 1))"));

  const ScriptModule& def = *s.commands[3].module;
  EXPECT_TRUE(def.is_definition);
  EXPECT_EQ(def.name, "$D");
  EXPECT_EQ(*def.to_binary(), *wat_to_wasm("(module $D (memory 1))"));

  EXPECT_EQ(s.commands[4].kind, Kind::Instance);
  EXPECT_EQ(s.commands[4].instance_name, "$I");
  EXPECT_EQ(s.commands[4].instance_module, "$D");
  EXPECT_EQ(s.commands[5].instance_name, "");
  EXPECT_EQ(s.commands[5].instance_module, "$D");
}

TEST(TextWast, InlineModuleScript) {
  // A script may be the bare fields of one module.
  Script s = parse("(func) (memory 0) (func (export \"f\"))");
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(s.commands[0].kind, Kind::Module);
  EXPECT_EQ(s.commands[0].module->form, ScriptModule::Form::Text);
  EXPECT_EQ(*s.commands[0].module->to_binary(),
            *wat_to_wasm("(module (func) (memory 0) (func (export \"f\")))"));
}

TEST(TextWast, ModuleErrorsStayInTheirCommand) {
  // An unsupported or broken text module does not fail the script.
  Script s = parse(R"wast(
(module (func i32.frobnicate))
(module quote "(func" ")")
(assert_return (invoke "x"))
)wast");
  ASSERT_EQ(s.commands.size(), 3u);
  auto bad = s.commands[0].module->to_binary();
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, ErrorKind::Malformed);
  EXPECT_EQ(bad.error().message, "1:15: unknown operator i32.frobnicate");
  EXPECT_TRUE(s.commands[1].module->to_binary().has_value());
}

TEST(TextWast, ActionsAndRegister) {
  Script s = parse(R"wast(
(register "lib" $M)
(register "lib2")
(invoke "f" (i32.const -1) (i64.const 0x10) (f32.const 1.5) (f64.const -inf))
(get $M "g")
(invoke $M "h" (ref.null extern) (ref.extern 7) (ref.host 3) (v128.const i16x8 1 2 3 4 5 6 7 -1))
)wast");
  ASSERT_EQ(s.commands.size(), 5u);
  EXPECT_EQ(s.commands[0].kind, Kind::Register);
  EXPECT_EQ(s.commands[0].register_name, "lib");
  EXPECT_EQ(s.commands[0].register_module, "$M");
  EXPECT_FALSE(s.commands[1].register_module.has_value());

  const ScriptAction& invoke = *s.commands[2].action;
  EXPECT_EQ(s.commands[2].kind, Kind::Action);
  EXPECT_EQ(invoke.kind, ScriptAction::Kind::Invoke);
  EXPECT_EQ(invoke.field, "f");
  EXPECT_FALSE(invoke.module.has_value());
  ASSERT_EQ(invoke.args.size(), 4u);
  EXPECT_EQ(invoke.args[0].kind, VKind::I32);
  EXPECT_EQ(invoke.args[0].bits, 0xFFFFFFFFu);
  EXPECT_EQ(invoke.args[1].kind, VKind::I64);
  EXPECT_EQ(invoke.args[1].bits, 16u);
  EXPECT_EQ(invoke.args[2].kind, VKind::F32);
  EXPECT_EQ(invoke.args[2].bits, 0x3FC00000u);
  EXPECT_EQ(invoke.args[3].kind, VKind::F64);
  EXPECT_EQ(invoke.args[3].bits, 0xFFF0000000000000u);

  const ScriptAction& get = *s.commands[3].action;
  EXPECT_EQ(get.kind, ScriptAction::Kind::Get);
  EXPECT_EQ(get.module, "$M");
  EXPECT_EQ(get.field, "g");

  const ScriptAction& refs = *s.commands[4].action;
  ASSERT_EQ(refs.args.size(), 4u);
  EXPECT_EQ(refs.args[0].kind, VKind::RefNull);
  EXPECT_EQ(refs.args[0].heap, "extern");
  EXPECT_EQ(refs.args[1].kind, VKind::RefExtern);
  EXPECT_TRUE(refs.args[1].has_number);
  EXPECT_EQ(refs.args[1].bits, 7u);
  EXPECT_EQ(refs.args[2].kind, VKind::RefHost);
  EXPECT_EQ(refs.args[2].bits, 3u);
  EXPECT_EQ(refs.args[3].kind, VKind::V128);
  EXPECT_EQ(refs.args[3].lane_shape, "i16x8");
  EXPECT_EQ(refs.args[3].v128[0], 1);
  EXPECT_EQ(refs.args[3].v128[1], 0);
  EXPECT_EQ(refs.args[3].v128[14], 0xFF);
  EXPECT_EQ(refs.args[3].v128[15], 0xFF);
}

TEST(TextWast, ExpectedResults) {
  Script s = parse(R"wast(
(assert_return (invoke "f")
  (f32.const nan:canonical) (f64.const nan:arithmetic) (f32.const nan:0x200000)
  (v128.const f32x4 nan:canonical 1 nan:arithmetic -0)
  (ref.extern) (ref.func) (ref.null func) (ref.null) (ref.i31) (ref.struct)
  (either (i32.const 1) (i32.const 2)))
)wast");
  ASSERT_EQ(s.commands.size(), 1u);
  const ScriptCommand& c = s.commands[0];
  EXPECT_EQ(c.kind, Kind::AssertReturn);
  ASSERT_EQ(c.expected.size(), 11u);
  EXPECT_EQ(c.expected[0].kind, VKind::F32);
  EXPECT_EQ(c.expected[0].nan, Nan::Canonical);
  EXPECT_EQ(c.expected[1].kind, VKind::F64);
  EXPECT_EQ(c.expected[1].nan, Nan::Arithmetic);
  EXPECT_EQ(c.expected[2].nan, Nan::None);
  EXPECT_EQ(c.expected[2].bits, 0x7FA00000u);
  const ScriptValue& v = c.expected[3];
  EXPECT_EQ(v.kind, VKind::V128);
  EXPECT_EQ(v.lane_shape, "f32x4");
  EXPECT_EQ(v.lane_nan[0], Nan::Canonical);
  EXPECT_EQ(v.lane_nan[1], Nan::None);
  EXPECT_EQ(v.lane_nan[2], Nan::Arithmetic);
  EXPECT_EQ(v.lane_nan[3], Nan::None);
  EXPECT_EQ(v.v128[7], 0x3F);   // lane 1 = 1.0f
  EXPECT_EQ(v.v128[15], 0x80);  // lane 3 = -0.0f
  EXPECT_EQ(c.expected[4].kind, VKind::RefExtern);
  EXPECT_FALSE(c.expected[4].has_number);
  EXPECT_EQ(c.expected[5].kind, VKind::RefFunc);
  EXPECT_EQ(c.expected[6].kind, VKind::RefNull);
  EXPECT_EQ(c.expected[6].heap, "func");
  EXPECT_EQ(c.expected[7].heap, "");
  EXPECT_EQ(c.expected[8].kind, VKind::RefI31);
  EXPECT_EQ(c.expected[9].kind, VKind::RefStruct);
  EXPECT_EQ(c.expected[10].kind, VKind::Either);
  ASSERT_EQ(c.expected[10].alternatives.size(), 2u);
  EXPECT_EQ(c.expected[10].alternatives[1].bits, 2u);
}

TEST(TextWast, Assertions) {
  Script s = parse(R"wast(
(assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_exception (invoke "throw"))
(assert_malformed (module quote "(func i32.wrong)") "unknown operator")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_unlinkable (module (import "m" "f" (func))) "unknown import")
(assert_uninstantiable (module (memory 0) (data (i32.const 1) "a")) "out of bounds")
(assert_malformed_custom (module quote "(@custom \"x\" \"\")") "malformed")
(assert_invalid_custom (module quote "") "invalid")
(thread $T (shared (module $M)) (invoke "f"))
(wait $T)
)wast");
  ASSERT_EQ(s.commands.size(), 12u);
  EXPECT_EQ(s.commands[0].kind, Kind::AssertTrap);
  EXPECT_TRUE(s.commands[0].action.has_value());
  EXPECT_EQ(s.commands[0].message, "integer divide by zero");
  EXPECT_EQ(s.commands[1].kind, Kind::AssertTrap);
  EXPECT_TRUE(s.commands[1].module.has_value());
  EXPECT_FALSE(s.commands[1].action.has_value());
  EXPECT_EQ(s.commands[2].kind, Kind::AssertExhaustion);
  EXPECT_EQ(s.commands[3].kind, Kind::AssertException);
  EXPECT_EQ(s.commands[3].action->field, "throw");
  EXPECT_EQ(s.commands[4].kind, Kind::AssertMalformed);
  EXPECT_FALSE(s.commands[4].module->to_binary().has_value());
  EXPECT_EQ(s.commands[5].kind, Kind::AssertInvalid);
  EXPECT_TRUE(s.commands[5].module->to_binary().has_value());  // invalid, but well-formed
  EXPECT_EQ(s.commands[6].kind, Kind::AssertUnlinkable);
  EXPECT_EQ(s.commands[7].kind, Kind::AssertUninstantiable);
  EXPECT_EQ(s.commands[8].kind, Kind::AssertMalformedCustom);
  EXPECT_EQ(s.commands[9].kind, Kind::AssertInvalidCustom);
  EXPECT_EQ(s.commands[10].kind, Kind::Unsupported);
  EXPECT_EQ(s.commands[10].message, "thread");
  EXPECT_EQ(s.commands[11].kind, Kind::Unsupported);
  EXPECT_EQ(s.commands[11].line, 13u);
}

TEST(TextWast, ScriptSyntaxErrors) {
  for (const char* bad : {"(assert_return (invoke \"f\") (i32.const 0x1_0000_0000))",
                          "(invoke \"f\" (i32.const))", "(module", "(register)",
                          "(assert_trap (invoke \"f\"))", "junk", "\"unterminated"}) {
    auto script = parse_wast(bad);
    EXPECT_FALSE(script.has_value()) << bad;
    if (!script) {
      EXPECT_EQ(script.error().kind, ErrorKind::Malformed);
    }
  }
  // NaN patterns are results, never arguments.
  EXPECT_FALSE(parse_wast("(invoke \"f\" (f32.const nan:canonical))").has_value());
}

}  // namespace
}  // namespace kiln::text
