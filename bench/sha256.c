/* SHA-256 (FIPS 180-4) over a large buffer, many times: 32-bit rotates, shifts
 * and adds in a tight loop, plus big-endian loads. Checked against the standard
 * "abc" test vector before it starts. */
#include <string.h>

#include "common.h"

typedef struct {
  uint32_t h[8];
  uint64_t length; /* bytes hashed so far */
  uint8_t block[64];
  uint32_t used; /* bytes in `block` */
} sha256_t;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static inline uint32_t load_be32(const uint8_t* p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void compress(uint32_t state[8], const uint8_t* block) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++) w[i] = load_be32(block + 4 * i);
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

static void sha256_init(sha256_t* s) {
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, iv, sizeof iv);
  s->length = 0;
  s->used = 0;
}

static void sha256_update(sha256_t* s, const uint8_t* data, size_t n) {
  s->length += n;
  if (s->used) {
    size_t take = 64 - s->used < n ? 64 - s->used : n;
    memcpy(s->block + s->used, data, take);
    s->used += (uint32_t)take;
    data += take;
    n -= take;
    if (s->used < 64) return;
    compress(s->h, s->block);
    s->used = 0;
  }
  for (; n >= 64; n -= 64, data += 64) compress(s->h, data);
  memcpy(s->block, data, n);
  s->used = (uint32_t)n;
}

static void sha256_final(sha256_t* s, uint8_t out[32]) {
  uint64_t bits = s->length * 8;
  uint8_t pad[72] = {0x80};
  size_t padlen = (s->used < 56 ? 56 : 120) - s->used;
  for (int i = 0; i < 8; i++) pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update(s, pad, padlen + 8);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(s->h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
    out[4 * i + 3] = (uint8_t)s->h[i];
  }
}

static void to_hex(const uint8_t d[32], char out[65]) {
  for (int i = 0; i < 32; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

int main(int argc, char** argv) {
  uint32_t rounds = bench_reps(24, bench_scale(argc, argv));

  /* Self-check with the test vectors of FIPS 180-2, appendix B (one block, and
   * a message whose padding needs a second block). */
  static const char* const vectors[2][2] = {
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  uint8_t digest[32];
  char hex[65];
  sha256_t s;
  for (int v = 0; v < 2; v++) {
    sha256_init(&s);
    sha256_update(&s, (const uint8_t*)vectors[v][0], strlen(vectors[v][0]));
    sha256_final(&s, digest);
    to_hex(digest, hex);
    if (strcmp(hex, vectors[v][1]) != 0) {
      printf("sha256: self-check FAILED on \"%s\": %s\n", vectors[v][0], hex);
      return 1;
    }
  }

  const size_t size = 8u << 20;
  uint8_t* buf = malloc(size);
  rng_t rng = {12345};
  for (size_t i = 0; i < size; i += 8) {
    uint64_t v = rng_next64(&rng);
    memcpy(buf + i, &v, 8);
  }
  /* Each round hashes the whole buffer (fed in uneven pieces), then writes the
   * digest into it, so every round depends on the one before. */
  for (uint32_t r = 0; r < rounds; r++) {
    sha256_init(&s);
    size_t pos = 0, piece = 1000 + r;
    while (pos < size) {
      size_t n = size - pos < piece ? size - pos : piece;
      sha256_update(&s, buf + pos, n);
      pos += n;
      piece = piece * 3 % 100003 + 1;
    }
    sha256_final(&s, digest);
    memcpy(buf + (r * 4099u) % (size - 32), digest, 32);
  }
  to_hex(digest, hex);
  printf("sha256: %u rounds over %u MiB, last digest %s\n", rounds, (unsigned)(size >> 20), hex);
  free(buf);
  return 0;
}
