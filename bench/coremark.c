/* A CoreMark-like mix of small integer workloads, each folded into a CRC-16:
 *   - linked lists: build, search, reverse, remove, merge sort (through a
 *     comparison function pointer, i.e. call_indirect in wasm);
 *   - matrices: 16-bit matrix times constant, vector and matrix, bit
 *     extraction from the 32-bit products;
 *   - a state machine that classifies number-like tokens character by character;
 *   - CRC-16/CCITT, bit by bit.
 * Each iteration seeds its data from the previous CRC, so nothing can be
 * computed once and reused. Written for Kiln; not EEMBC's CoreMark, and its
 * score is not comparable with CoreMark's. */
#include <string.h>

#include "common.h"

/* --- CRC-16/CCITT ---------------------------------------------------------- */

static uint16_t crc_byte(uint8_t b, uint16_t crc) {
  crc ^= (uint16_t)(b << 8);
  for (int i = 0; i < 8; i++) crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
  return crc;
}

static uint16_t crc_u16(uint16_t v, uint16_t crc) { return crc_byte((uint8_t)(v >> 8), crc_byte((uint8_t)v, crc)); }
static uint16_t crc_u32(uint32_t v, uint16_t crc) { return crc_u16((uint16_t)(v >> 16), crc_u16((uint16_t)v, crc)); }

/* --- linked lists ------------------------------------------------------------ */

typedef struct node {
  struct node* next;
  int16_t value;
  uint16_t id;
} node_t;

enum { LIST_NODES = 160 };
static node_t pool[LIST_NODES];

typedef int (*node_cmp)(const node_t*, const node_t*);
static int by_value(const node_t* a, const node_t* b) { return a->value != b->value ? a->value - b->value : a->id - b->id; }
static int by_id(const node_t* a, const node_t* b) { return a->id - b->id; }

static node_t* list_build(uint32_t seed) {
  rng_t rng = {seed};
  node_t* head = NULL;
  for (int i = 0; i < LIST_NODES; i++) {
    /* Node order in memory is scrambled so the list is not sequential. */
    node_t* n = &pool[(i * 37) % LIST_NODES];
    n->id = (uint16_t)i;
    n->value = (int16_t)(rng_next(&rng) & 0x3fff) - 0x2000;
    n->next = head;
    head = n;
  }
  return head;
}

static node_t* list_reverse(node_t* head) {
  node_t* prev = NULL;
  while (head) {
    node_t* next = head->next;
    head->next = prev;
    prev = head;
    head = next;
  }
  return prev;
}

/* Index of the first node with the value's low 8 bits, or -1. */
static int list_find(const node_t* head, int16_t value) {
  for (int i = 0; head; head = head->next, i++)
    if ((head->value & 0xff) == (value & 0xff)) return i;
  return -1;
}

/* Removes every node whose id is a multiple of k; returns the new head. */
static node_t* list_remove_every(node_t* head, int k) {
  node_t** link = &head;
  while (*link) {
    if ((*link)->id % k == 0) *link = (*link)->next;
    else link = &(*link)->next;
  }
  return head;
}

/* Bottom-up merge sort of a singly linked list. */
static node_t* list_sort(node_t* head, node_cmp cmp) {
  for (int width = 1;; width *= 2) {
    node_t* p = head;
    node_t* tail = NULL;
    head = NULL;
    int merges = 0;
    while (p) {
      merges++;
      node_t* q = p;
      int psize = 0;
      for (int i = 0; i < width && q; i++) {
        psize++;
        q = q->next;
      }
      int qsize = width;
      while (psize > 0 || (qsize > 0 && q)) {
        node_t* e;
        if (psize == 0) { e = q; q = q->next; qsize--; }
        else if (qsize == 0 || !q || cmp(p, q) <= 0) { e = p; p = p->next; psize--; }
        else { e = q; q = q->next; qsize--; }
        if (tail) tail->next = e;
        else head = e;
        tail = e;
      }
      p = q;
    }
    if (tail) tail->next = NULL;
    if (merges <= 1) return head;
  }
}

static void list_error(const char* what) {
  printf("coremark: list %s\n", what);
  exit(1);
}

static uint16_t bench_list(uint16_t seed) {
  uint16_t crc = seed;
  node_t* head = list_build(seed * 2654435761u + 1);
  for (int i = 0; i < 24; i++) crc = crc_u16((uint16_t)list_find(head, (int16_t)(seed + i * 19)), crc);
  head = list_reverse(head);
  head = list_sort(head, by_value);
  for (node_t* n = head; n; n = n->next) {
    if (n->next && by_value(n, n->next) > 0) list_error("not sorted by value");
    crc = crc_u16((uint16_t)n->value, crc);
  }
  head = list_remove_every(head, 3 + (seed & 3));
  head = list_sort(head, by_id);
  int count = 0;
  for (node_t* n = head; n; n = n->next, count++) {
    if (n->next && n->id >= n->next->id) list_error("not sorted by id");
    crc = crc_u16(n->id, crc);
  }
  int k = 3 + (seed & 3);
  if (count != LIST_NODES - (LIST_NODES + k - 1) / k) list_error("wrong length after removal");
  return crc_u16((uint16_t)count, crc);
}

/* --- matrices ------------------------------------------------------------------- */

enum { MAT_N = 20 };

static void mat_add_const(int16_t* a, int16_t v) {
  for (int i = 0; i < MAT_N * MAT_N; i++) a[i] = (int16_t)(a[i] + v);
}
static void mat_mul_const(int32_t* c, const int16_t* a, int16_t v) {
  for (int i = 0; i < MAT_N * MAT_N; i++) c[i] = (int32_t)a[i] * v;
}
static void mat_mul_vec(int32_t* c, const int16_t* a, const int16_t* v) {
  for (int i = 0; i < MAT_N; i++) {
    int32_t s = 0;
    for (int j = 0; j < MAT_N; j++) s += (int32_t)a[i * MAT_N + j] * v[j];
    c[i] = s;
  }
}
static void mat_mul_mat(int32_t* c, const int16_t* a, const int16_t* b) {
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      int32_t s = 0;
      for (int k = 0; k < MAT_N; k++) s += (int32_t)a[i * MAT_N + k] * b[k * MAT_N + j];
      c[i * MAT_N + j] = s;
    }
}
/* Sums a bit field of each product, with data-dependent branches. */
static int16_t mat_bits(const int32_t* c, int n) {
  int16_t acc = 0;
  int32_t prev = 0;
  for (int i = 0; i < n; i++) {
    int32_t field = (c[i] >> 3) & 0x7f;
    if (field > 64) acc = (int16_t)(acc + field);
    else if (c[i] > prev) acc = (int16_t)(acc ^ field);
    else acc = (int16_t)(acc - 1);
    prev = c[i];
  }
  return acc;
}

static uint16_t bench_matrix(uint16_t seed) {
  static int16_t a[MAT_N * MAT_N], b[MAT_N * MAT_N];
  static int32_t c[MAT_N * MAT_N];
  rng_t rng = {seed + 0x1234567u};
  for (int i = 0; i < MAT_N * MAT_N; i++) {
    a[i] = (int16_t)(rng_next(&rng) & 0x7ff);
    b[i] = (int16_t)((rng_next(&rng) & 0x7ff) - 0x400);
  }
  uint16_t crc = 0;
  int16_t v = (int16_t)(seed | 0xf);
  mat_add_const(a, v);
  mat_mul_const(c, a, v);
  crc = crc_u16((uint16_t)mat_bits(c, MAT_N * MAT_N), crc);
  mat_mul_vec(c, a, b);
  crc = crc_u16((uint16_t)mat_bits(c, MAT_N), crc);
  mat_mul_mat(c, a, b);
  crc = crc_u16((uint16_t)mat_bits(c, MAT_N * MAT_N), crc);
  mat_add_const(a, (int16_t)-v);
  mat_mul_mat(c, b, a);
  crc = crc_u16((uint16_t)mat_bits(c, MAT_N * MAT_N), crc);
  return crc_u32((uint32_t)c[seed % (MAT_N * MAT_N)], crc);
}

/* --- state machine ---------------------------------------------------------- */

enum { S_START, S_SIGN, S_INT, S_ZERO, S_HEX, S_DOT, S_FRAC, S_EXP, S_EXP_SIGN, S_EXP_INT, S_BAD, S_STATES };

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static int next_state(int state, char c) {
  switch (state) {
    case S_START:
      if (c == '+' || c == '-') return S_SIGN;
      if (c == '0') return S_ZERO;
      if (is_digit(c)) return S_INT;
      if (c == '.') return S_DOT;
      return S_BAD;
    case S_SIGN:
      if (c == '0') return S_ZERO;
      if (is_digit(c)) return S_INT;
      if (c == '.') return S_DOT;
      return S_BAD;
    case S_ZERO:
      if (c == 'x' || c == 'X') return S_HEX;
      /* fall through */
    case S_INT:
      if (is_digit(c)) return S_INT;
      if (c == '.') return S_DOT;
      if (c == 'e' || c == 'E') return S_EXP;
      return S_BAD;
    case S_HEX: return is_hex_digit(c) ? S_HEX : S_BAD;
    case S_DOT: return is_digit(c) ? S_FRAC : S_BAD;
    case S_FRAC:
      if (is_digit(c)) return S_FRAC;
      if (c == 'e' || c == 'E') return S_EXP;
      return S_BAD;
    case S_EXP:
      if (c == '+' || c == '-') return S_EXP_SIGN;
      return is_digit(c) ? S_EXP_INT : S_BAD;
    case S_EXP_SIGN:
    case S_EXP_INT: return is_digit(c) ? S_EXP_INT : S_BAD;
    default: return S_BAD;
  }
}

enum { TEXT_LEN = 1200 };
static char text[TEXT_LEN + 1];

/* Fills `text` with comma-separated tokens, most of them numbers of some form. */
static void make_tokens(uint32_t seed) {
  static const char alphabet[] = "0123456789+-.eExabcdfz";
  static const char* const shapes[] = {"ddd", "-dd.dd", "0xhhh", "d.ddEdd", "+d", ".dde-d", "dd..d", "0xz", "d"};
  rng_t rng = {seed};
  int n = 0;
  while (n < TEXT_LEN - 16) {
    const char* shape = shapes[rng_below(&rng, sizeof shapes / sizeof shapes[0])];
    for (const char* s = shape; *s; s++) {
      uint32_t r = rng_next(&rng);
      char c = *s;
      if (c == 'd') c = (char)('0' + r % 10);
      else if (c == 'h') c = "0123456789abcdef"[r % 16];
      if ((r >> 20) % 97 == 0) c = alphabet[(r >> 8) % (sizeof alphabet - 1)]; /* a random typo */
      text[n++] = c;
    }
    text[n++] = ',';
  }
  text[n] = 0;
}

static uint16_t bench_state(uint16_t seed) {
  uint32_t finals[S_STATES] = {0}, transitions = 0;
  make_tokens(seed * 40503u + 7);
  for (int rep = 0; rep < 2; rep++) {
    int state = S_START;
    for (const char* p = text; *p; p++) {
      if (*p == ',') {
        finals[state]++;
        state = S_START;
        continue;
      }
      int next = next_state(state, *p);
      transitions += next != state;
      state = next;
    }
    /* Second pass over a corrupted copy: every 13th character flipped. */
    for (int i = rep * 5; i < TEXT_LEN; i += 13)
      if (text[i] && text[i] != ',') text[i] ^= 1;
  }
  uint16_t crc = crc_u32(transitions, 0);
  for (int i = 0; i < S_STATES; i++) crc = crc_u32(finals[i], crc);
  return crc;
}

int main(int argc, char** argv) {
  uint32_t iterations = bench_reps(14000, bench_scale(argc, argv));
  uint16_t crc = 0, list_crc = 0, matrix_crc = 0, state_crc = 0;
  for (uint32_t i = 0; i < iterations; i++) {
    uint16_t seed = crc_u32(i, crc);
    list_crc = bench_list(seed);
    matrix_crc = bench_matrix(seed ^ list_crc);
    state_crc = bench_state(seed ^ matrix_crc);
    crc = crc_u16(list_crc, crc);
    crc = crc_u16(matrix_crc, crc);
    crc = crc_u16(state_crc, crc);
  }
  printf("coremark: %u iterations, crc %04x (last list %04x, matrix %04x, state %04x)\n", iterations, crc, list_crc,
         matrix_crc, state_crc);
  return 0;
}
