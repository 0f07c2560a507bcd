/* Image filters over a 1920x1080 RGBA picture, repeated: sepia (float
 * arithmetic, clamping, float-to-int conversion), invert and grayscale
 * (integer), then a checksum pass. Byte loads and stores over a large memory. */
#include <string.h>

#include "common.h"

enum { WIDTH = 1920, HEIGHT = 1080, PIXELS = WIDTH * HEIGHT };

static uint8_t clamp_to_byte(float v) {
  if (v > 255.0f) v = 255.0f;
  return (uint8_t)(int32_t)(v + 0.5f);
}

static void sepia(const uint8_t* src, uint8_t* dst) {
  for (int i = 0; i < PIXELS; i++) {
    float r = src[4 * i], g = src[4 * i + 1], b = src[4 * i + 2];
    dst[4 * i] = clamp_to_byte(0.393f * r + 0.769f * g + 0.189f * b);
    dst[4 * i + 1] = clamp_to_byte(0.349f * r + 0.686f * g + 0.168f * b);
    dst[4 * i + 2] = clamp_to_byte(0.272f * r + 0.534f * g + 0.131f * b);
    dst[4 * i + 3] = src[4 * i + 3];
  }
}

static void invert(uint8_t* img) {
  for (int i = 0; i < PIXELS; i++) {
    img[4 * i] = (uint8_t)(255 - img[4 * i]);
    img[4 * i + 1] = (uint8_t)(255 - img[4 * i + 1]);
    img[4 * i + 2] = (uint8_t)(255 - img[4 * i + 2]);
  }
}

/* Rec. 601 luma in 8.8 fixed point; pixels with low alpha are left alone. */
static void grayscale(uint8_t* img) {
  for (int i = 0; i < PIXELS; i++) {
    uint8_t* p = img + 4 * i;
    if (p[3] < 16) continue;
    uint32_t y = (77u * p[0] + 150u * p[1] + 29u * p[2] + 128u) >> 8;
    p[0] = p[1] = p[2] = (uint8_t)y;
  }
}

/* Reads the image as 32-bit words, as a hash would. */
static uint32_t checksum(const uint8_t* img) {
  uint32_t h = 0;
  for (int i = 0; i < PIXELS; i++) {
    uint32_t px;
    memcpy(&px, img + 4 * i, 4);
    h = (h ^ px) * 0x01000193u;
  }
  return h;
}

int main(int argc, char** argv) {
  uint32_t reps = bench_reps(80, bench_scale(argc, argv));
  uint8_t* src = malloc(4 * PIXELS);
  uint8_t* dst = malloc(4 * PIXELS);
  /* Smooth gradients plus noise, with an alpha pattern. */
  rng_t rng = {7};
  for (int y = 0; y < HEIGHT; y++) {
    for (int x = 0; x < WIDTH; x++) {
      uint8_t* p = src + 4 * (y * WIDTH + x);
      uint32_t noise = rng_next(&rng);
      p[0] = (uint8_t)((x * 255 / WIDTH + (noise & 31)) & 255);
      p[1] = (uint8_t)((y * 255 / HEIGHT + ((noise >> 5) & 31)) & 255);
      p[2] = (uint8_t)(((x + y) * 3 + ((noise >> 10) & 63)) & 255);
      p[3] = (uint8_t)(((x >> 4) ^ (y >> 4)) & 1 ? 255 : (noise >> 16) & 255);
    }
  }
  uint32_t h = 0;
  for (uint32_t r = 0; r < reps; r++) {
    sepia(src, dst);
    invert(dst);
    grayscale(dst);
    h = mix32(h, checksum(dst));
    /* Change the source a little so no round repeats another. */
    src[(r * 7919u) % (4 * PIXELS)] += 1;
  }
  printf("imagefilter: %dx%d, %u rounds of sepia+invert+grayscale, checksum %08x\n", WIDTH, HEIGHT, reps, h);
  free(src);
  free(dst);
  return 0;
}
