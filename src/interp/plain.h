// Which instructions of ir/opcodes.def the interpreter runs with a handler of
// their own, and which of those handlers follow from the instruction's row and
// its semantic function alone (runtime/semantics.h), expanded from opcodes.def
// so that no list of names is kept by hand:
//
// - KILN_FOR_FIXED(X): X(Name) for every instruction with a fixed signature:
//   handlers.def lists their handlers (the generic operand layout: destination,
//   operands in stack order, immediates).
// - KILN_FOR_PLAIN(X): X(Name) for the plain numeric ones among them (no
//   immediate, scalar operands): interpreter.cpp generates their handlers from
//   the semantic function semantics::Name, typed by Semantic<> below.
//
// The helper macros map a row's signature (and immediate kind) to X or to
// nothing; a new signature in opcodes.h needs its line here (the build fails
// on an unknown one).
#pragma once

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
#define KILN_PLAIN_SIG_i_i(X, name) X(name)
#define KILN_PLAIN_SIG_ii_i(X, name) X(name)
#define KILN_PLAIN_SIG_l_i(X, name) X(name)
#define KILN_PLAIN_SIG_ll_i(X, name) X(name)
#define KILN_PLAIN_SIG_ff_i(X, name) X(name)
#define KILN_PLAIN_SIG_dd_i(X, name) X(name)
#define KILN_PLAIN_SIG_l_l(X, name) X(name)
#define KILN_PLAIN_SIG_ll_l(X, name) X(name)
#define KILN_PLAIN_SIG_f_f(X, name) X(name)
#define KILN_PLAIN_SIG_ff_f(X, name) X(name)
#define KILN_PLAIN_SIG_d_d(X, name) X(name)
#define KILN_PLAIN_SIG_dd_d(X, name) X(name)
#define KILN_PLAIN_SIG_f_i(X, name) X(name)
#define KILN_PLAIN_SIG_d_i(X, name) X(name)
#define KILN_PLAIN_SIG_i_l(X, name) X(name)
#define KILN_PLAIN_SIG_f_l(X, name) X(name)
#define KILN_PLAIN_SIG_d_l(X, name) X(name)
#define KILN_PLAIN_SIG_i_f(X, name) X(name)
#define KILN_PLAIN_SIG_l_f(X, name) X(name)
#define KILN_PLAIN_SIG_d_f(X, name) X(name)
#define KILN_PLAIN_SIG_i_d(X, name) X(name)
#define KILN_PLAIN_SIG_l_d(X, name) X(name)
#define KILN_PLAIN_SIG_f_d(X, name) X(name)
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

