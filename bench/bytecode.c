/* A small bytecode interpreter: a stack machine with 64-bit values, a switch
 * dispatch loop, jumps, and calls through a return stack. It runs two
 * programs assembled at startup: total Collatz steps for 1..N, and a prime
 * count by trial division through a called subroutine. Measures what
 * interpreters themselves are made of: indirect branches and small loads. */
#include "common.h"

enum {
  OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_INC, OP_DUP, OP_DROP,
  OP_ADD, OP_SUB, OP_MUL, OP_REMU, OP_AND, OP_SHR1, OP_LT, OP_EQ,
  OP_JMP, OP_JZ, OP_JNZ, OP_CALL, OP_RET,
};

/* --- a tiny assembler --------------------------------------------------- */

enum { MAX_CODE = 1024, MAX_LABELS = 32 };
typedef struct {
  int32_t code[MAX_CODE];
  int n;
  int label_at[MAX_LABELS];
  int nlabels;
  int fixup_pos[MAX_LABELS * 4], fixup_label[MAX_LABELS * 4];
  int nfixups;
} asm_t;

static void emit(asm_t* a, int op) { a->code[a->n++] = op; }
static void emit1(asm_t* a, int op, int32_t arg) {
  a->code[a->n++] = op;
  a->code[a->n++] = arg;
}
static int label(asm_t* a) {
  a->label_at[a->nlabels] = -1;
  return a->nlabels++;
}
static void bind(asm_t* a, int l) { a->label_at[l] = a->n; }
static void jump(asm_t* a, int op, int l) {
  a->code[a->n++] = op;
  a->fixup_pos[a->nfixups] = a->n;
  a->fixup_label[a->nfixups++] = l;
  a->code[a->n++] = -1;
}
static void link(asm_t* a) {
  for (int i = 0; i < a->nfixups; i++) a->code[a->fixup_pos[i]] = a->label_at[a->fixup_label[i]];
}

/* --- the machine ---------------------------------------------------------- */

typedef struct {
  int64_t vars[16];
  uint64_t executed; /* instructions run */
} vm_t;

static int64_t run(vm_t* vm, const int32_t* code) {
  int64_t stack[64];
  int32_t rstack[64];
  int sp = 0, rsp = 0, pc = 0;
  uint64_t executed = 0;
  for (;;) {
    executed++;
    switch (code[pc++]) {
      case OP_HALT:
        vm->executed += executed;
        return stack[sp - 1];
      case OP_PUSH: stack[sp++] = code[pc++]; break;
      case OP_LOAD: stack[sp++] = vm->vars[code[pc++]]; break;
      case OP_STORE: vm->vars[code[pc++]] = stack[--sp]; break;
      case OP_INC: vm->vars[code[pc++]]++; break;
      case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case OP_DROP: sp--; break;
      case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case OP_REMU: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] % (uint64_t)stack[sp]); break;
      case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
      case OP_SHR1: stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> 1); break;
      case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
      case OP_JMP: pc = code[pc]; break;
      case OP_JZ: pc = stack[--sp] == 0 ? code[pc] : pc + 1; break;
      case OP_JNZ: pc = stack[--sp] != 0 ? code[pc] : pc + 1; break;
      case OP_CALL: rstack[rsp++] = pc + 1; pc = code[pc]; break;
      case OP_RET: pc = rstack[--rsp]; break;
      default:
        printf("bytecode: bad opcode %d at %d\n", code[pc - 1], pc - 1);
        exit(1);
    }
  }
}

/* total = sum over n in [1, limit] of the Collatz steps from n down to 1. */
static void assemble_collatz(asm_t* a, int32_t limit) {
  enum { N, X, STEPS, TOTAL };
  int loop_n = label(a), loop_x = label(a), even = label(a), next = label(a), done_x = label(a);
  emit1(a, OP_PUSH, 1); emit1(a, OP_STORE, N);
  emit1(a, OP_PUSH, 0); emit1(a, OP_STORE, TOTAL);
  bind(a, loop_n);
  emit1(a, OP_LOAD, N); emit1(a, OP_STORE, X);
  emit1(a, OP_PUSH, 0); emit1(a, OP_STORE, STEPS);
  bind(a, loop_x);
  emit1(a, OP_LOAD, X); emit1(a, OP_PUSH, 1); emit(a, OP_EQ); jump(a, OP_JNZ, done_x);
  emit1(a, OP_LOAD, X); emit1(a, OP_PUSH, 1); emit(a, OP_AND); jump(a, OP_JZ, even);
  emit1(a, OP_LOAD, X); emit1(a, OP_PUSH, 3); emit(a, OP_MUL); emit1(a, OP_PUSH, 1); emit(a, OP_ADD);
  emit1(a, OP_STORE, X); jump(a, OP_JMP, next);
  bind(a, even);
  emit1(a, OP_LOAD, X); emit(a, OP_SHR1); emit1(a, OP_STORE, X);
  bind(a, next);
  emit1(a, OP_INC, STEPS); jump(a, OP_JMP, loop_x);
  bind(a, done_x);
  emit1(a, OP_LOAD, TOTAL); emit1(a, OP_LOAD, STEPS); emit(a, OP_ADD); emit1(a, OP_STORE, TOTAL);
  emit1(a, OP_INC, N); emit1(a, OP_LOAD, N); emit1(a, OP_PUSH, limit + 1); emit(a, OP_LT); jump(a, OP_JNZ, loop_n);
  emit1(a, OP_LOAD, TOTAL); emit(a, OP_HALT);
  link(a);
}

/* count = number of primes in [2, limit], testing each with a subroutine that
 * tries odd divisors up to the square root. */
static void assemble_primes(asm_t* a, int32_t limit) {
  enum { N = 0, COUNT = 1, D = 2, ARG = 3, RESULT = 4 };
  int loop = label(a), not_prime = label(a), is_prime = label(a), try_d = label(a), yes = label(a),
      no = label(a), check_two = label(a);
  emit1(a, OP_PUSH, 2); emit1(a, OP_STORE, N);
  emit1(a, OP_PUSH, 0); emit1(a, OP_STORE, COUNT);
  bind(a, loop);
  emit1(a, OP_LOAD, N); emit1(a, OP_STORE, ARG); jump(a, OP_CALL, is_prime);
  emit1(a, OP_LOAD, RESULT); jump(a, OP_JZ, not_prime);
  emit1(a, OP_INC, COUNT);
  bind(a, not_prime);
  emit1(a, OP_INC, N); emit1(a, OP_LOAD, N); emit1(a, OP_PUSH, limit + 1); emit(a, OP_LT); jump(a, OP_JNZ, loop);
  emit1(a, OP_LOAD, COUNT); emit(a, OP_HALT);
  /* is_prime(ARG) -> RESULT, for ARG >= 2 */
  bind(a, is_prime);
  emit1(a, OP_LOAD, ARG); emit1(a, OP_PUSH, 1); emit(a, OP_AND); jump(a, OP_JZ, check_two);
  emit1(a, OP_PUSH, 3); emit1(a, OP_STORE, D);
  bind(a, try_d);
  emit1(a, OP_LOAD, D); emit(a, OP_DUP); emit(a, OP_MUL); emit1(a, OP_LOAD, ARG); emit(a, OP_LT);
  emit1(a, OP_LOAD, D); emit(a, OP_DUP); emit(a, OP_MUL); emit1(a, OP_LOAD, ARG); emit(a, OP_EQ); emit(a, OP_ADD);
  jump(a, OP_JZ, yes); /* d*d > arg: no divisor found */
  emit1(a, OP_LOAD, ARG); emit1(a, OP_LOAD, D); emit(a, OP_REMU); jump(a, OP_JZ, no);
  emit1(a, OP_LOAD, D); emit1(a, OP_PUSH, 2); emit(a, OP_ADD); emit1(a, OP_STORE, D); jump(a, OP_JMP, try_d);
  bind(a, check_two); /* even: prime only if it is 2 */
  emit1(a, OP_LOAD, ARG); emit1(a, OP_PUSH, 2); emit(a, OP_EQ); emit1(a, OP_STORE, RESULT); emit(a, OP_RET);
  bind(a, yes);
  emit1(a, OP_PUSH, 1); emit1(a, OP_STORE, RESULT); emit(a, OP_RET);
  bind(a, no);
  emit1(a, OP_PUSH, 0); emit1(a, OP_STORE, RESULT); emit(a, OP_RET);
  link(a);
}

int main(int argc, char** argv) {
  int pct = bench_scale(argc, argv);
  int32_t collatz_limit = (int32_t)bench_reps(180000, pct);
  int32_t primes_limit = (int32_t)bench_reps(360000, pct);
  static asm_t collatz, primes;
  assemble_collatz(&collatz, collatz_limit);
  assemble_primes(&primes, primes_limit);
  vm_t vm = {{0}, 0};
  int64_t steps = run(&vm, collatz.code);
  int64_t count = run(&vm, primes.code);
  printf("bytecode: collatz steps for 1..%d = %lld, primes up to %d = %lld, %llu instructions\n", collatz_limit,
         (long long)steps, primes_limit, (long long)count, (unsigned long long)vm.executed);
  return 0;
}
