/* Reads a binary PPM (P6) image, applies three filters (grayscale, invert,
 * sepia) and writes each result beside the input, printing how long each
 * step took (the fastest of a few runs). The same file builds natively and for wasm32-wasi, so `make
 * demo` can show the cost of running it under kiln.
 *
 *   imagefilter INPUT.ppm OUTDIR           filter INPUT into OUTDIR/{gray,invert,sepia}.ppm
 *   imagefilter --generate OUT.ppm W H     write a W x H test image
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { kRuns = 5 }; /* each filter's time is the fastest of this many runs */

typedef struct {
  int width, height;
  uint8_t* rgb; /* width * height * 3 bytes */
} Image;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char* what, const char* path) {
  fprintf(stderr, "imagefilter: %s %s\n", what, path);
  exit(1);
}

/* Reads the next header number of a PPM, skipping whitespace and comments. */
static int read_number(FILE* f) {
  int c = fgetc(f);
  while (c == '#' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
    if (c == '#')
      while (c != '\n' && c != EOF) c = fgetc(f);
    c = fgetc(f);
  }
  int n = 0;
  while (c >= '0' && c <= '9') {
    n = n * 10 + (c - '0');
    c = fgetc(f);
  }
  return n; /* the one whitespace byte after the number is consumed */
}

static Image read_ppm(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) die("cannot open", path);
  Image img = {0, 0, NULL};
  if (fgetc(f) != 'P' || fgetc(f) != '6') die("not a binary PPM (P6):", path);
  img.width = read_number(f);
  img.height = read_number(f);
  if (read_number(f) != 255 || img.width <= 0 || img.height <= 0) die("unsupported PPM header in", path);
  size_t size = (size_t)img.width * (size_t)img.height * 3;
  img.rgb = malloc(size);
  if (!img.rgb || fread(img.rgb, 1, size, f) != size) die("truncated pixel data in", path);
  fclose(f);
  return img;
}

static void write_ppm(const char* path, const Image* img) {
  FILE* f = fopen(path, "wb");
  if (!f) die("cannot create", path);
  fprintf(f, "P6\n%d %d\n255\n", img->width, img->height);
  size_t size = (size_t)img->width * (size_t)img->height * 3;
  if (fwrite(img->rgb, 1, size, f) != size || fclose(f) != 0) die("cannot write", path);
}

static Image copy_of(const Image* img) {
  size_t size = (size_t)img->width * (size_t)img->height * 3;
  Image out = *img;
  out.rgb = malloc(size);
  if (!out.rgb) die("out of memory for", "a copy");
  memcpy(out.rgb, img->rgb, size);
  return out;
}

/* Rec. 601 luma in 8.8 fixed point. */
static void grayscale(Image* img) {
  size_t n = (size_t)img->width * (size_t)img->height;
  for (size_t i = 0; i < n; i++) {
    uint8_t* p = img->rgb + 3 * i;
    uint8_t y = (uint8_t)((77u * p[0] + 150u * p[1] + 29u * p[2] + 128u) >> 8);
    p[0] = p[1] = p[2] = y;
  }
}

static void invert(Image* img) {
  size_t size = (size_t)img->width * (size_t)img->height * 3;
  for (size_t i = 0; i < size; i++) img->rgb[i] = (uint8_t)(255 - img->rgb[i]);
}

static uint8_t clamp_to_byte(float v) { return v >= 255.0f ? 255 : (uint8_t)(v + 0.5f); }

static void sepia(Image* img) {
  size_t n = (size_t)img->width * (size_t)img->height;
  for (size_t i = 0; i < n; i++) {
    uint8_t* p = img->rgb + 3 * i;
    float r = p[0], g = p[1], b = p[2];
    p[0] = clamp_to_byte(0.393f * r + 0.769f * g + 0.189f * b);
    p[1] = clamp_to_byte(0.349f * r + 0.686f * g + 0.168f * b);
    p[2] = clamp_to_byte(0.272f * r + 0.534f * g + 0.131f * b);
  }
}

/* A smooth colour field with rings, so every filter has work to show. */
static int generate(const char* path, int width, int height) {
  Image img = {width, height, malloc((size_t)width * (size_t)height * 3)};
  if (!img.rgb || width <= 0 || height <= 0) die("bad size for", path);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++) {
      uint8_t* p = img.rgb + 3 * ((size_t)y * (size_t)width + (size_t)x);
      int dx = x - width / 2, dy = y - height / 2;
      int ring = ((dx * dx + dy * dy) >> 9) & 0xff;
      p[0] = (uint8_t)(x * 255 / width);
      p[1] = (uint8_t)(y * 255 / height);
      p[2] = (uint8_t)(ring ^ ((x >> 4) & 0x3f));
    }
  write_ppm(path, &img);
  printf("wrote %s (%dx%d)\n", path, width, height);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 5 && strcmp(argv[1], "--generate") == 0) return generate(argv[2], atoi(argv[3]), atoi(argv[4]));
  if (argc != 3) {
    fprintf(stderr, "usage: %s INPUT.ppm OUTDIR | --generate OUT.ppm WIDTH HEIGHT\n", argv[0]);
    return 2;
  }
  double t = now_ms();
  Image input = read_ppm(argv[1]);
  printf("%-10s %9.1f ms  %s (%dx%d)\n", "read", now_ms() - t, argv[1], input.width, input.height);

  static const struct {
    const char* name;
    void (*apply)(Image*);
  } filters[] = {{"grayscale", grayscale}, {"invert", invert}, {"sepia", sepia}};
  double total = 0;
  for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
    /* The fastest of a few runs, each on a fresh copy: less noise from a busy machine. */
    Image out = copy_of(&input);
    double took = 1e30;
    for (int run = 0; run < kRuns; run++) {
      memcpy(out.rgb, input.rgb, (size_t)input.width * (size_t)input.height * 3);
      t = now_ms();
      filters[i].apply(&out);
      double elapsed = now_ms() - t;
      if (elapsed < took) took = elapsed;
    }
    total += took;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.ppm", argv[2], filters[i].name);
    write_ppm(path, &out);
    printf("%-10s %9.1f ms  -> %s\n", filters[i].name, took, path);
    free(out.rgb);
  }
  printf("%-10s %9.1f ms\n", "filters", total);
  free(input.rgb);
  return 0;
}
