/* One loop nest in main and nothing else: a Mandelbrot set, iterated in
 * place. No function is called while it runs, so a tier that switches code
 * only at calls never gets to switch; measures what happens to a hot loop in
 * a function that is entered once (C's main). */
#include "common.h"

#define WIDTH 320
#define HEIGHT 240
#define MAX_ITERATIONS 256

int main(int argc, char** argv) {
  uint32_t frames = bench_reps(14, bench_scale(argc, argv));
  uint32_t checksum = 0;
  uint64_t iterations = 0;
  for (uint32_t frame = 0; frame < frames; frame++) {
    /* Each frame zooms in a little, so no two frames are the same work. */
    double scale = 3.0 / WIDTH / (1.0 + 0.05 * frame);
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        double cr = -0.743643887 + (x - WIDTH / 2) * scale;
        double ci = 0.131825904 + (y - HEIGHT / 2) * scale;
        double zr = 0.0, zi = 0.0;
        int n = 0;
        while (n < MAX_ITERATIONS && zr * zr + zi * zi <= 4.0) {
          double t = zr * zr - zi * zi + cr;
          zi = 2.0 * zr * zi + ci;
          zr = t;
          n++;
        }
        iterations += (uint64_t)n;
        checksum = checksum * 31u + (uint32_t)n;
      }
    }
  }
  printf("mainloop: %u frames of %dx%d, %llu iterations, checksum %08x\n", frames, WIDTH, HEIGHT,
         (unsigned long long)iterations, checksum);
  return 0;
}
