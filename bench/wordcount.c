/* Word frequency count: a generated text of about 28 MiB is split into words,
 * lowercased, and counted in an open-addressing hash map (FNV-1a hashes,
 * linear probing, growth by doubling). String handling, hashing, memcmp and
 * unpredictable memory accesses. Prints the most frequent words. */
#include <string.h>

#include "common.h"

/* --- the text ------------------------------------------------------------ */

static const char* const SYLLABLES[] = {"ka", "lo", "mi", "ren", "to", "sa", "qua", "el", "dor", "in", "vy", "ne",
                                        "bra", "ush", "po", "te", "li", "gar", "on", "fe", "zu", "ha", "mo", "ri"};
enum { NSYL = sizeof SYLLABLES / sizeof SYLLABLES[0], VOCABULARY = 60000 };

/* Spells word number `k` (base-NSYL digits as syllables); returns its length. */
static int spell(uint32_t k, char* out) {
  int n = 0;
  do {
    const char* s = SYLLABLES[k % NSYL];
    while (*s) out[n++] = *s++;
    k /= NSYL;
  } while (k);
  return n;
}

/* Words drawn with a heavily skewed (Zipf-like) distribution, some
 * capitalized, with punctuation and line breaks. */
static char* make_text(size_t size, size_t* out_len) {
  char* text = malloc(size + 64);
  rng_t rng = {99};
  size_t n = 0;
  while (n < size) {
    uint64_t u = rng_below(&rng, 1u << 16);
    uint32_t rank = (uint32_t)((uint64_t)VOCABULARY * (u * u * u) >> 48);
    uint32_t extra = rng_next(&rng);
    size_t start = n;
    n += (size_t)spell(rank, text + n);
    if ((extra & 15) == 0) text[start] = (char)(text[start] - 'a' + 'A');
    switch ((extra >> 4) & 31) {
      case 0: text[n++] = ','; break;
      case 1: text[n++] = '.'; break;
      case 2: text[n++] = '!'; text[n++] = '\n'; continue;
      case 3: text[n++] = ';'; break;
      default: break;
    }
    text[n++] = ' ';
  }
  *out_len = n;
  return text;
}

/* --- the map --------------------------------------------------------------- */

typedef struct {
  uint32_t hash;   /* 0: empty slot */
  uint32_t key;    /* offset of the key in the arena */
  uint32_t len;
  uint32_t count;
} entry_t;

typedef struct {
  entry_t* slots;
  uint32_t capacity; /* a power of two */
  uint32_t size;
  char* arena;
  uint32_t arena_used, arena_cap;
} map_t;

static uint32_t fnv1a(const char* s, uint32_t n) {
  uint32_t h = 0x811c9dc5u;
  for (uint32_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 0x01000193u;
  return h ? h : 1;
}

static void map_init(map_t* m) {
  m->capacity = 1024;
  m->size = 0;
  m->slots = calloc(m->capacity, sizeof(entry_t));
  m->arena_cap = 1 << 16;
  m->arena_used = 0;
  m->arena = malloc(m->arena_cap);
}

static void map_free(map_t* m) {
  free(m->slots);
  free(m->arena);
}

static void map_grow(map_t* m) {
  uint32_t cap = m->capacity * 2;
  entry_t* slots = calloc(cap, sizeof(entry_t));
  for (uint32_t i = 0; i < m->capacity; i++) {
    entry_t e = m->slots[i];
    if (!e.hash) continue;
    uint32_t j = e.hash & (cap - 1);
    while (slots[j].hash) j = (j + 1) & (cap - 1);
    slots[j] = e;
  }
  free(m->slots);
  m->slots = slots;
  m->capacity = cap;
}

static void map_add(map_t* m, const char* word, uint32_t len) {
  uint32_t h = fnv1a(word, len);
  uint32_t i = h & (m->capacity - 1);
  for (;;) {
    entry_t* e = &m->slots[i];
    if (!e->hash) break;
    if (e->hash == h && e->len == len && memcmp(m->arena + e->key, word, len) == 0) {
      e->count++;
      return;
    }
    i = (i + 1) & (m->capacity - 1);
  }
  if (m->arena_used + len > m->arena_cap) {
    while (m->arena_used + len > m->arena_cap) m->arena_cap *= 2;
    m->arena = realloc(m->arena, m->arena_cap);
  }
  memcpy(m->arena + m->arena_used, word, len);
  m->slots[i] = (entry_t){h, m->arena_used, len, 1};
  m->arena_used += len;
  if (++m->size * 10 > m->capacity * 7) map_grow(m);
}

/* --- counting ------------------------------------------------------------- */

static int is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static uint64_t count_words(map_t* m, const char* text, size_t len) {
  char word[64];
  uint64_t total = 0;
  size_t i = 0;
  while (i < len) {
    while (i < len && !is_letter(text[i])) i++;
    uint32_t n = 0;
    while (i < len && is_letter(text[i])) {
      char c = text[i++];
      if (c <= 'Z') c = (char)(c - 'A' + 'a');
      if (n < sizeof word) word[n++] = c;
    }
    if (n) {
      map_add(m, word, n);
      total++;
    }
  }
  return total;
}

/* True if entry a ranks before b: higher count, then alphabetical. */
static int ranks_before(const map_t* m, const entry_t* a, const entry_t* b) {
  if (a->count != b->count) return a->count > b->count;
  uint32_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(m->arena + a->key, m->arena + b->key, n);
  return c ? c < 0 : a->len < b->len;
}

int main(int argc, char** argv) {
  const uint32_t rounds = 4;
  size_t len;
  char* text = make_text(bench_reps(28u << 20, bench_scale(argc, argv)), &len);
  enum { TOP = 5 };
  entry_t top[TOP];
  uint64_t total = 0;
  uint32_t distinct = 0, h = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    map_t m;
    map_init(&m);
    /* Each round starts at a different word, so the counts differ a little. */
    size_t skip = r * 1000;
    total = count_words(&m, text + skip, len - skip);
    distinct = m.size;
    int ntop = 0;
    for (uint32_t i = 0; i < m.capacity; i++) {
      const entry_t* e = &m.slots[i];
      if (!e->hash) continue;
      h += e->hash * e->count; /* independent of the slot order */
      if (ntop < TOP || ranks_before(&m, e, &top[TOP - 1])) {
        int j = ntop < TOP ? ntop++ : TOP - 1;
        while (j > 0 && ranks_before(&m, e, &top[j - 1])) {
          top[j] = top[j - 1];
          j--;
        }
        top[j] = *e;
      }
    }
    if (r + 1 == rounds) {
      printf("wordcount: %u rounds, %llu words, %u distinct, checksum %08x; top:", rounds,
             (unsigned long long)total, distinct, h);
      for (int i = 0; i < ntop; i++) printf(" %.*s=%u", (int)top[i].len, m.arena + top[i].key, top[i].count);
      printf("\n");
    }
    map_free(&m);
  }
  free(text);
  return 0;
}
