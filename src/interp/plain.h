// Which instructions of ir/opcodes.def the interpreter runs with a handler of
// their own, and which of those handlers follow from the instruction's row and
// its semantic function alone (runtime/semantics.h), expanded from opcodes.def
// so that no list of names is kept by hand:
//
// - KILN_FIXED_ROW(X, row...): X(Name) for every instruction with a fixed
//   signature: handlers.def lists their handlers (the generic operand layout:
//   destination, operands in stack order, immediates).
// - KILN_PLAIN_ROW(X, row...): X(Name, signature) for the plain numeric ones
//   among them (no immediate, scalar operands): interpreter.cpp generates
//   their handlers from the semantic function semantics::Name, typed by
//   Semantic<> below and checked against the row (KILN_CHECK_SEMANTIC).
//
// The helper macros map a row's signature (and immediate kind) to X or to
// nothing; a new signature in opcodes.h needs its line here (the build fails
// on an unknown one).
#pragma once

#include <string_view>
#include <type_traits>

#include "kiln/error.hpp"
#include "runtime/semantics.h"

// Every signature but Special is fixed.
#define KILN_FIXED_SIG_Special(X, name)
#define KILN_FIXED_SIG_a_i(X, name) X(name)
#define KILN_FIXED_SIG_a_l(X, name) X(name)
#define KILN_FIXED_SIG_a_f(X, name) X(name)
#define KILN_FIXED_SIG_a_d(X, name) X(name)
#define KILN_FIXED_SIG_a_v(X, name) X(name)
#define KILN_FIXED_SIG_ai_(X, name) X(name)
#define KILN_FIXED_SIG_al_(X, name) X(name)
#define KILN_FIXED_SIG_af_(X, name) X(name)
#define KILN_FIXED_SIG_ad_(X, name) X(name)
#define KILN_FIXED_SIG_av_(X, name) X(name)
#define KILN_FIXED_SIG_av_v(X, name) X(name)
#define KILN_FIXED_SIG__a(X, name) X(name)
#define KILN_FIXED_SIG_a_a(X, name) X(name)
#define KILN_FIXED_SIG__i(X, name) X(name)
#define KILN_FIXED_SIG__l(X, name) X(name)
#define KILN_FIXED_SIG__f(X, name) X(name)
#define KILN_FIXED_SIG__d(X, name) X(name)
#define KILN_FIXED_SIG__v(X, name) X(name)
#define KILN_FIXED_SIG_i_i(X, name) X(name)
#define KILN_FIXED_SIG_ii_i(X, name) X(name)
#define KILN_FIXED_SIG_l_i(X, name) X(name)
#define KILN_FIXED_SIG_ll_i(X, name) X(name)
#define KILN_FIXED_SIG_ff_i(X, name) X(name)
#define KILN_FIXED_SIG_dd_i(X, name) X(name)
#define KILN_FIXED_SIG_l_l(X, name) X(name)
#define KILN_FIXED_SIG_ll_l(X, name) X(name)
#define KILN_FIXED_SIG_f_f(X, name) X(name)
#define KILN_FIXED_SIG_ff_f(X, name) X(name)
#define KILN_FIXED_SIG_d_d(X, name) X(name)
#define KILN_FIXED_SIG_dd_d(X, name) X(name)
#define KILN_FIXED_SIG_f_i(X, name) X(name)
#define KILN_FIXED_SIG_d_i(X, name) X(name)
#define KILN_FIXED_SIG_i_l(X, name) X(name)
#define KILN_FIXED_SIG_f_l(X, name) X(name)
#define KILN_FIXED_SIG_d_l(X, name) X(name)
#define KILN_FIXED_SIG_i_f(X, name) X(name)
#define KILN_FIXED_SIG_l_f(X, name) X(name)
#define KILN_FIXED_SIG_d_f(X, name) X(name)
#define KILN_FIXED_SIG_i_d(X, name) X(name)
#define KILN_FIXED_SIG_l_d(X, name) X(name)
#define KILN_FIXED_SIG_f_d(X, name) X(name)
#define KILN_FIXED_SIG_v_v(X, name) X(name)
#define KILN_FIXED_SIG_vv_v(X, name) X(name)
#define KILN_FIXED_SIG_vvv_v(X, name) X(name)
#define KILN_FIXED_SIG_v_i(X, name) X(name)
#define KILN_FIXED_SIG_v_l(X, name) X(name)
#define KILN_FIXED_SIG_v_f(X, name) X(name)
#define KILN_FIXED_SIG_v_d(X, name) X(name)
#define KILN_FIXED_SIG_i_v(X, name) X(name)
#define KILN_FIXED_SIG_l_v(X, name) X(name)
#define KILN_FIXED_SIG_f_v(X, name) X(name)
#define KILN_FIXED_SIG_d_v(X, name) X(name)
#define KILN_FIXED_SIG_vi_v(X, name) X(name)
#define KILN_FIXED_SIG_vl_v(X, name) X(name)
#define KILN_FIXED_SIG_vf_v(X, name) X(name)
#define KILN_FIXED_SIG_vd_v(X, name) X(name)
#define KILN_FIXED_ROW(X, name, prefix, code, text, imm, sig) KILN_FIXED_SIG_##sig(X, name)

// Plain: no immediate and a scalar signature (operands and one result).
#define KILN_PLAIN_IMM_None(X, name, sig) KILN_PLAIN_SIG_##sig(X, name)
#define KILN_PLAIN_IMM_BlockType(X, name, sig)
#define KILN_PLAIN_IMM_Label(X, name, sig)
#define KILN_PLAIN_IMM_BrTable(X, name, sig)
#define KILN_PLAIN_IMM_Func(X, name, sig)
#define KILN_PLAIN_IMM_CallIndirect(X, name, sig)
#define KILN_PLAIN_IMM_SelectTypes(X, name, sig)
#define KILN_PLAIN_IMM_Local(X, name, sig)
#define KILN_PLAIN_IMM_Global(X, name, sig)
#define KILN_PLAIN_IMM_Table(X, name, sig)
#define KILN_PLAIN_IMM_Memory(X, name, sig)
#define KILN_PLAIN_IMM_MemArg(X, name, sig)
#define KILN_PLAIN_IMM_MemArgLane(X, name, sig)
#define KILN_PLAIN_IMM_I32(X, name, sig)
#define KILN_PLAIN_IMM_I64(X, name, sig)
#define KILN_PLAIN_IMM_F32(X, name, sig)
#define KILN_PLAIN_IMM_F64(X, name, sig)
#define KILN_PLAIN_IMM_V128(X, name, sig)
#define KILN_PLAIN_IMM_Shuffle(X, name, sig)
#define KILN_PLAIN_IMM_Lane(X, name, sig)
#define KILN_PLAIN_IMM_HeapType(X, name, sig)
#define KILN_PLAIN_IMM_Data(X, name, sig)
#define KILN_PLAIN_IMM_Elem(X, name, sig)
#define KILN_PLAIN_IMM_MemoryInit(X, name, sig)
#define KILN_PLAIN_IMM_MemoryCopy(X, name, sig)
#define KILN_PLAIN_IMM_TableInit(X, name, sig)
#define KILN_PLAIN_IMM_TableCopy(X, name, sig)
#define KILN_PLAIN_SIG_Special(X, name)
#define KILN_PLAIN_SIG_a_i(X, name)
#define KILN_PLAIN_SIG_a_l(X, name)
#define KILN_PLAIN_SIG_a_f(X, name)
#define KILN_PLAIN_SIG_a_d(X, name)
#define KILN_PLAIN_SIG_a_v(X, name)
#define KILN_PLAIN_SIG_ai_(X, name)
#define KILN_PLAIN_SIG_al_(X, name)
#define KILN_PLAIN_SIG_af_(X, name)
#define KILN_PLAIN_SIG_ad_(X, name)
#define KILN_PLAIN_SIG_av_(X, name)
#define KILN_PLAIN_SIG_av_v(X, name)
#define KILN_PLAIN_SIG__a(X, name)
#define KILN_PLAIN_SIG_a_a(X, name)
#define KILN_PLAIN_SIG__i(X, name)
#define KILN_PLAIN_SIG__l(X, name)
#define KILN_PLAIN_SIG__f(X, name)
#define KILN_PLAIN_SIG__d(X, name)
#define KILN_PLAIN_SIG__v(X, name)
#define KILN_PLAIN_SIG_i_i(X, name) X(name, i_i)
#define KILN_PLAIN_SIG_ii_i(X, name) X(name, ii_i)
#define KILN_PLAIN_SIG_l_i(X, name) X(name, l_i)
#define KILN_PLAIN_SIG_ll_i(X, name) X(name, ll_i)
#define KILN_PLAIN_SIG_ff_i(X, name) X(name, ff_i)
#define KILN_PLAIN_SIG_dd_i(X, name) X(name, dd_i)
#define KILN_PLAIN_SIG_l_l(X, name) X(name, l_l)
#define KILN_PLAIN_SIG_ll_l(X, name) X(name, ll_l)
#define KILN_PLAIN_SIG_f_f(X, name) X(name, f_f)
#define KILN_PLAIN_SIG_ff_f(X, name) X(name, ff_f)
#define KILN_PLAIN_SIG_d_d(X, name) X(name, d_d)
#define KILN_PLAIN_SIG_dd_d(X, name) X(name, dd_d)
#define KILN_PLAIN_SIG_f_i(X, name) X(name, f_i)
#define KILN_PLAIN_SIG_d_i(X, name) X(name, d_i)
#define KILN_PLAIN_SIG_i_l(X, name) X(name, i_l)
#define KILN_PLAIN_SIG_f_l(X, name) X(name, f_l)
#define KILN_PLAIN_SIG_d_l(X, name) X(name, d_l)
#define KILN_PLAIN_SIG_i_f(X, name) X(name, i_f)
#define KILN_PLAIN_SIG_l_f(X, name) X(name, l_f)
#define KILN_PLAIN_SIG_d_f(X, name) X(name, d_f)
#define KILN_PLAIN_SIG_i_d(X, name) X(name, i_d)
#define KILN_PLAIN_SIG_l_d(X, name) X(name, l_d)
#define KILN_PLAIN_SIG_f_d(X, name) X(name, f_d)
#define KILN_PLAIN_SIG_v_v(X, name)
#define KILN_PLAIN_SIG_vv_v(X, name)
#define KILN_PLAIN_SIG_vvv_v(X, name)
#define KILN_PLAIN_SIG_v_i(X, name)
#define KILN_PLAIN_SIG_v_l(X, name)
#define KILN_PLAIN_SIG_v_f(X, name)
#define KILN_PLAIN_SIG_v_d(X, name)
#define KILN_PLAIN_SIG_i_v(X, name)
#define KILN_PLAIN_SIG_l_v(X, name)
#define KILN_PLAIN_SIG_f_v(X, name)
#define KILN_PLAIN_SIG_d_v(X, name)
#define KILN_PLAIN_SIG_vi_v(X, name)
#define KILN_PLAIN_SIG_vl_v(X, name)
#define KILN_PLAIN_SIG_vf_v(X, name)
#define KILN_PLAIN_SIG_vd_v(X, name)
#define KILN_PLAIN_ROW(X, name, prefix, code, text, imm, sig) KILN_PLAIN_IMM_##imm(X, name, sig)

namespace kiln::interp {

// The operand and result types of a semantic function, and whether it traps
// (a TrapCode result and the value through a last reference parameter).
template <class F>
struct Semantic;
template <class R, class A>
struct Semantic<R (*)(A)> {
  using Result = R;
  using A0 = A;
  using A1 = void;
  static constexpr int arity = 1;
  static constexpr bool traps = false;
};
template <class R, class A, class B>
struct Semantic<R (*)(A, B)> {
  using Result = R;
  using A0 = A;
  using A1 = B;
  static constexpr int arity = 2;
  static constexpr bool traps = false;
};
template <class A, class R>
struct Semantic<TrapCode (*)(A, R&)> {
  using Result = R;
  using A0 = A;
  using A1 = void;
  static constexpr int arity = 1;
  static constexpr bool traps = true;
};
template <class A, class B, class R>
struct Semantic<TrapCode (*)(A, B, R&)> {
  using Result = R;
  using A0 = A;
  using A1 = B;
  static constexpr int arity = 2;
  static constexpr bool traps = true;
};

}  // namespace kiln::interp

// The traits of semantics::Name.
#define KILN_SEMANTIC(name) ::kiln::interp::Semantic<decltype(&::kiln::semantics::name)>

namespace kiln::interp {

// A C type's letter in opcodes.def signatures (either signedness for integers).
template <class T>
constexpr char signature_letter() {
  if constexpr (std::is_same_v<T, float>) return 'f';
  if constexpr (std::is_same_v<T, double>) return 'd';
  if constexpr (std::is_integral_v<T> && sizeof(T) == 4) return 'i';
  if constexpr (std::is_integral_v<T> && sizeof(T) == 8) return 'l';
  return '?';
}

// Whether a semantic function's types are those of its row's signature
// (`ii_i`: two i32 operands, an i32 result).
template <class S>
constexpr bool has_signature(std::string_view signature) {
  char letters[4] = {signature_letter<typename S::A0>(), '_', signature_letter<typename S::Result>(), 0};
  if constexpr (S::arity == 2) {
    char two[5] = {letters[0], signature_letter<typename S::A1>(), '_', letters[2], 0};
    return signature == std::string_view(two);
  }
  return signature == std::string_view(letters);
}

}  // namespace kiln::interp

// Fails the build when semantics::name does not have the types of its row.
#define KILN_CHECK_SEMANTIC(name, sig)                            \
  static_assert(::kiln::interp::has_signature<KILN_SEMANTIC(name)>(#sig), \
                "semantics::" #name " does not have the types of its opcodes.def row");

