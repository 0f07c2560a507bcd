/* Gravitational n-body simulation in double precision: a softened O(n^2)
 * force loop with square roots and divisions, integrated with the leapfrog
 * (kick-drift-kick) scheme. Uses only +, -, *, / and sqrt, which IEEE 754
 * rounds exactly, so native and wasm results agree to the last bit. */
#include <math.h>

#include "common.h"

#define NBODIES 48

typedef struct {
  double x[NBODIES], y[NBODIES], z[NBODIES];
  double vx[NBODIES], vy[NBODIES], vz[NBODIES];
  double ax[NBODIES], ay[NBODIES], az[NBODIES];
  double m[NBODIES];
} system_t;

static const double G = 1.0;
static const double SOFTENING2 = 1e-4;

static void accelerations(system_t* s) {
  for (int i = 0; i < NBODIES; i++) s->ax[i] = s->ay[i] = s->az[i] = 0.0;
  for (int i = 0; i < NBODIES; i++) {
    double xi = s->x[i], yi = s->y[i], zi = s->z[i];
    double axi = 0.0, ayi = 0.0, azi = 0.0;
    for (int j = i + 1; j < NBODIES; j++) {
      double dx = s->x[j] - xi, dy = s->y[j] - yi, dz = s->z[j] - zi;
      double d2 = dx * dx + dy * dy + dz * dz + SOFTENING2;
      double inv = 1.0 / (d2 * sqrt(d2));
      double fi = G * s->m[j] * inv, fj = G * s->m[i] * inv;
      axi += dx * fi;
      ayi += dy * fi;
      azi += dz * fi;
      s->ax[j] -= dx * fj;
      s->ay[j] -= dy * fj;
      s->az[j] -= dz * fj;
    }
    s->ax[i] += axi;
    s->ay[i] += ayi;
    s->az[i] += azi;
  }
}

static double energy(const system_t* s) {
  double e = 0.0;
  for (int i = 0; i < NBODIES; i++) {
    e += 0.5 * s->m[i] * (s->vx[i] * s->vx[i] + s->vy[i] * s->vy[i] + s->vz[i] * s->vz[i]);
    for (int j = i + 1; j < NBODIES; j++) {
      double dx = s->x[j] - s->x[i], dy = s->y[j] - s->y[i], dz = s->z[j] - s->z[i];
      e -= G * s->m[i] * s->m[j] / sqrt(dx * dx + dy * dy + dz * dz + SOFTENING2);
    }
  }
  return e;
}

/* A central heavy body and light bodies on roughly circular orbits in a thick
 * disc, with the total momentum removed. */
static void init(system_t* s) {
  rng_t rng = {2024};
  s->m[0] = 1000.0;
  s->x[0] = s->y[0] = s->z[0] = s->vx[0] = s->vy[0] = s->vz[0] = 0.0;
  for (int i = 1; i < NBODIES; i++) {
    double r = 1.0 + 9.0 * rng_unit(&rng);
    double c = 2.0 * rng_unit(&rng) - 1.0; /* a point on a circle, without trig */
    double sgn = rng_unit(&rng) < 0.5 ? -1.0 : 1.0;
    double sn = sgn * sqrt(1.0 - c * c);
    s->m[i] = 0.01 + 0.1 * rng_unit(&rng);
    s->x[i] = r * c;
    s->y[i] = r * sn;
    s->z[i] = 0.1 * (rng_unit(&rng) - 0.5);
    double v = sqrt(G * s->m[0] / r);
    s->vx[i] = -v * sn;
    s->vy[i] = v * c;
    s->vz[i] = 0.01 * (rng_unit(&rng) - 0.5);
  }
  double px = 0, py = 0, pz = 0, mt = 0;
  for (int i = 0; i < NBODIES; i++) {
    px += s->m[i] * s->vx[i];
    py += s->m[i] * s->vy[i];
    pz += s->m[i] * s->vz[i];
    mt += s->m[i];
  }
  for (int i = 0; i < NBODIES; i++) {
    s->vx[i] -= px / mt;
    s->vy[i] -= py / mt;
    s->vz[i] -= pz / mt;
  }
}

int main(int argc, char** argv) {
  uint32_t steps = bench_reps(120000, bench_scale(argc, argv));
  static system_t s;
  init(&s);
  double e0 = energy(&s);
  const double dt = 1e-4;
  accelerations(&s);
  for (uint32_t step = 0; step < steps; step++) {
    for (int i = 0; i < NBODIES; i++) {
      s.vx[i] += 0.5 * dt * s.ax[i];
      s.vy[i] += 0.5 * dt * s.ay[i];
      s.vz[i] += 0.5 * dt * s.az[i];
      s.x[i] += dt * s.vx[i];
      s.y[i] += dt * s.vy[i];
      s.z[i] += dt * s.vz[i];
    }
    accelerations(&s);
    for (int i = 0; i < NBODIES; i++) {
      s.vx[i] += 0.5 * dt * s.ax[i];
      s.vy[i] += 0.5 * dt * s.ay[i];
      s.vz[i] += 0.5 * dt * s.az[i];
    }
  }
  double e1 = energy(&s);
  printf("nbody: %d bodies, %u steps, energy %.12e -> %.12e, body 1 at (%.9f, %.9f, %.9f)\n", NBODIES, steps, e0,
         e1, s.x[1], s.y[1], s.z[1]);
  return 0;
}
