#include "interp/code_passes.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

#include "interp/fusion_switches.h"
#include "interp/fusion_tables.h"
#include "interp/handlers.h"
#include "interp/layouts.h"

namespace kiln::interp {
namespace {

using layout::AddBr;
using layout::AxpyIndexedRmw;

// Every producer of the accumulator writes its result to operand 0 (SET_DST).
constexpr uint32_t kProducedSlot = layout::word(0);

class LastPasses {
 public:
  LastPasses(Code& code, const std::vector<uint32_t>& jump_targets)
      : code_(code), words_(code.words.data()), offsets_(code.offsets), jump_targets_(jump_targets) {
    // Looked up once (handler_at is a search over all handlers).
    for (const auto& [at, offset] : offsets_) handlers_.push_back(handler_of(&code.words[at]));
  }

  void run() {
    if (fusion_on(Fusion::Accumulator)) use_accumulator();
    if (fusion_on(Fusion::AxpyPairs)) {
      pair_axpys();
      loop_axpys();
    }
    if (fusion_on(Fusion::ThenForms)) then_forms();
    if (fusion_on(Fusion::AddPairs)) pair_adds();
  }

 private:
  Code& code_;
  uint32_t* words_;
  const std::vector<std::pair<uint32_t, uint32_t>>& offsets_;
  const std::vector<uint32_t>& jump_targets_;
  std::vector<std::optional<Handler>> handlers_;  // per instruction

  bool is_jump_target(uint32_t at) const { return std::binary_search(jump_targets_.begin(), jump_targets_.end(), at); }
  uint32_t end_of(size_t i) const {
    return i + 1 < offsets_.size() ? offsets_[i + 1].first : static_cast<uint32_t>(code_.words.size());
  }
  // Instruction i gets handler h.
  void rewrite(size_t i, Handler h) {
    set_handler(&words_[offsets_[i].first], h);
    handlers_[i] = h;
  }

  // (accumulator.def) An instruction right after a producer of the
  // accumulator, reading the slot it wrote, takes the value from the
  // accumulator instead. Not where a jump lands: the accumulator would hold
  // whatever the jumping path left there. Only handlers change, no operand.
  void use_accumulator() {
    using layout::Pair;
    for (size_t i = 1; i < offsets_.size(); ++i) {
      const uint32_t previous = offsets_[i - 1].first, at = offsets_[i].first, end = end_of(i);
      if (previous >= at || at >= end || is_jump_target(at)) continue;
      const std::optional<Handler> producer = handlers_[i - 1], consumer = handlers_[i];
      if (!producer || !consumer || at - previous <= layout::kHandlerWords) continue;
      const Accumulator produced_in = accumulator_set_by(*producer);
      if (produced_in == Accumulator::None) continue;
      const uint32_t produced = words_[previous + kProducedSlot];
      // A pair reads b, which has no accumulator form; if its first operation
      // commutes, a and b trade places and a has one.
      uint32_t* pair = words_ + at;
      if (pair_first_commutes(*consumer) && pair[Pair::at(Pair::b)] == produced && pair[Pair::at(Pair::a)] != produced)
        std::swap(pair[Pair::at(Pair::a)], pair[Pair::at(Pair::b)]);
      for (uint32_t operand = 0; at + layout::word(operand) < end; ++operand) {
        if (words_[at + layout::word(operand)] != produced) continue;
        std::optional<AccumulatorForm> form = accumulator_form(*consumer, operand);
        if (!form || form->reads != produced_in || writes_before_reading(*consumer, at, produced)) continue;
        rewrite(i, form->form);
        break;
      }
    }
  }
  // Stores with an added address write the sum before they read the value:
  // if the sum goes to the produced slot, the value is the sum.
  bool writes_before_reading(Handler consumer, uint32_t at, uint32_t produced) const {
    using layout::StoreAdd;
    switch (consumer) {
#define KILN_ACC_STORE_ADD_CASE(name, ValT, MemT) case Handler::name:
      KILN_ACC_STORE_ADD(KILN_ACC_STORE_ADD_CASE)
#undef KILN_ACC_STORE_ADD_CASE
      return words_[at + StoreAdd::at(StoreAdd::s)] == produced;
      default:
        return false;
    }
  }

  // Two indexed axpy instructions in a row, the second's pa and xa being the
  // first's p and xs slots, become one (handlers.def): the first's handler
  // changes and runs both; the second's words stay where they are. Not where
  // a jump lands on the second, and not when the first's xs goes to its p
  // slot (the axpy translation refuses that already).
  void pair_axpys() {
    using A = AxpyIndexedRmw;
    for (size_t i = 1; i < offsets_.size(); ++i) {
      const uint32_t first_at = offsets_[i - 1].first, second_at = offsets_[i].first;
      if (second_at != first_at + A::kWords) continue;
      const std::optional<Handler> h1 = handlers_[i - 1], h2 = handlers_[i];
      if (!h1 || h1 != h2 || (*h1 != Handler::F64AxpyIndexedRmw && *h1 != Handler::F32AxpyIndexedRmw)) continue;
      if (is_jump_target(second_at)) continue;
      const uint32_t *first = words_ + first_at, *second = words_ + second_at;
      if (second[A::at(A::pa)] != first[A::at(A::p)] || second[A::at(A::xa)] != first[A::at(A::xs)] ||
          first[A::at(A::p)] == first[A::at(A::xs)])
        continue;
      rewrite(i - 1, *h1 == Handler::F64AxpyIndexedRmw ? Handler::F64AxpyIndexedRmwTwice
                                                        : Handler::F32AxpyIndexedRmwTwice);
      ++i;  // the second is part of the first now
    }
  }

  // A paired axpy whose next instruction adds to its counter and loops back to
  // it (AddBrI32Ne) becomes one instruction running the whole loop: valid when
  // the loop writes nothing it reads except the counter, which must be the
  // index both sums add (b and xb) and the branch's own sum.
  void loop_axpys() {
    using A = AxpyIndexedRmw;
    constexpr uint32_t kPairWords = 2 * A::kWords;
    for (size_t i = 2; i < offsets_.size(); ++i) {
      const uint32_t pair_at = offsets_[i - 2].first, branch_at = offsets_[i].first;
      if (branch_at != pair_at + kPairWords || handlers_[i] != Handler::AddBrI32Ne) continue;
      const std::optional<Handler> h = handlers_[i - 2];
      if (h != Handler::F64AxpyIndexedRmwTwice && h != Handler::F32AxpyIndexedRmwTwice) continue;
      const uint32_t *first = words_ + pair_at, *second = first + A::kWords;
      uint32_t* branch = words_ + branch_at;
      // The branch goes back to the pair, or to the HotnessCount just before
      // it (which then counts once per run of the loop).
      const bool counted = i >= 3 && handlers_[i - 3] == Handler::HotnessCount &&
                           offsets_[i - 3].first + layout::HotnessCount::kWords == pair_at;
      const int32_t back = -static_cast<int32_t>(kPairWords + (counted ? layout::HotnessCount::kWords : 0));
      if (static_cast<int32_t>(branch[AddBr::at(AddBr::rel)]) != back) continue;
      const uint32_t counter = branch[AddBr::at(AddBr::s)];
      const bool swap = branch[AddBr::at(AddBr::b)] == counter;  // a + b either way round: the handler wants a
      const uint32_t step = branch[AddBr::at(swap ? AddBr::a : AddBr::b)];
      if (branch[AddBr::at(swap ? AddBr::b : AddBr::a)] != counter || first[A::at(A::pb)] != counter ||
          first[A::at(A::xb)] != counter)
        continue;
      // The sums p, xs, p2, xs2 the loop stores, and what it reads besides the
      // counter: a, xa, k, pb2, xb2, k2, step, end. Those reads must not change
      // in the loop, and no sum may go to the counter's slot (the index the
      // rest of the round reads would change).
      const uint32_t sums[] = {first[A::at(A::p)], first[A::at(A::xs)], second[A::at(A::p)], second[A::at(A::xs)]};
      const uint32_t invariants[] = {first[A::at(A::pa)],  first[A::at(A::xa)],  first[A::at(A::k)],
                                     second[A::at(A::pb)], second[A::at(A::xb)], second[A::at(A::k)],
                                     step,                 branch[AddBr::at(AddBr::c)]};
      bool valid = true;
      for (uint32_t sum : sums) valid = valid && sum != counter;
      for (uint32_t r : invariants) {
        valid = valid && r != counter;
        for (uint32_t sum : sums) valid = valid && r != sum;
      }
      if (!valid) continue;
      if (swap) std::swap(branch[AddBr::at(AddBr::a)], branch[AddBr::at(AddBr::b)]);
      rewrite(i - 2, h == Handler::F64AxpyIndexedRmwTwice ? Handler::F64AxpyLoop : Handler::F32AxpyLoop);
    }
  }

  // Gives an instruction its then form (handlers.def, KILN_THEN) when the
  // instruction after it is the form's follower: last instruction first, so
  // that a follower already given a then form can be a chain's next link. Runs
  // after use_accumulator: then forms keep the accumulator as the first
  // instruction leaves it.
  void then_forms() {
    for (size_t i = offsets_.size(); i-- > 1;) {
      const uint32_t first = offsets_[i - 1].first, second = offsets_[i].first;
      const std::optional<Handler> h1 = handlers_[i - 1], h2 = handlers_[i];
      if (!h1 || !h2) continue;
      std::optional<Handler> then = then_form(*h1, *h2);
      if (then && second - first == then_first_words(*h1)) rewrite(i - 1, *then);
    }
  }
  static std::optional<Handler> then_form(Handler first, Handler next) {
#define KILN_THEN_CASE(f, n) \
  if (first == Handler::f && next == Handler::n) return Handler::f##Then##n;
    KILN_THEN(KILN_THEN_CASE)
#undef KILN_THEN_CASE
    return std::nullopt;
  }
  // The words of a first instruction of KILN_THEN (the jump to the follower
  // skips them).
  static uint32_t then_first_words(Handler first) {
    switch (first) {
      case Handler::I32Load8UAdd: return layout::LoadAdd::kWords;
      case Handler::F32MulAddAccC: return layout::Pair::kWords;
      case Handler::I32TruncF32SGuardedAcc: return layout::Unary::kWords;
      case Handler::I32Load8U: case Handler::I32Load16S: return layout::Load::kWords;
      case Handler::I32Store8: return layout::Store::kWords;
      default: return layout::Binary::kWords;  // I32Add, I64Add, F32Mul, F32AddAccA
    }
  }

  // Two plain additions in a row become one instruction (AddPair*). A jump may
  // still land on the second: its words, handler included, are unchanged. Runs
  // after use_accumulator: a plain second addition reads nothing from the
  // accumulator, and the pair leaves the second's result there as the second
  // did.
  void pair_adds() {
    for (size_t i = 1; i < offsets_.size(); ++i) {
      const uint32_t first = offsets_[i - 1].first, second = offsets_[i].first;
      if (second != first + layout::Binary::kWords) continue;
      const std::optional<Handler> h1 = handlers_[i - 1], h2 = handlers_[i];
      if (!h1 || !h2) continue;
      const bool first_i32 = *h1 == Handler::I32Add, second_i32 = *h2 == Handler::I32Add;
      if ((!first_i32 && *h1 != Handler::I64Add) || (!second_i32 && *h2 != Handler::I64Add)) continue;
      rewrite(i - 1, first_i32 ? (second_i32 ? Handler::AddPairI32I32 : Handler::AddPairI32I64)
                               : (second_i32 ? Handler::AddPairI64I32 : Handler::AddPairI64I64));
      ++i;  // the second is part of the first now
    }
  }
};

}  // namespace

void run_last_passes(Code& code, const std::vector<uint32_t>& jump_targets) { LastPasses(code, jump_targets).run(); }

}  // namespace kiln::interp
