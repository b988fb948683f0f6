// Prints bit patterns of spearsim::mathfn::{log, exp, ndtri} on a deterministic input list, one
// line per evaluation: "<fn> <input bits hex> <output bits hex>". test/mathfn.test.ts compiles
// this with the native build flags and checks lib/mathfn.ts reproduces every output bit for bit.
// Usage: mathfn_vectors [count-per-family]   (default 4000)
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "mathfn.hpp"

namespace {

uint64_t g_state = 0x243f6a8885a308d3ULL;  // fixed seed: the list is the same on every run

uint64_t next64() {  // SplitMix64
  uint64_t z = (g_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double uniform01() { return static_cast<double>(next64() >> 11) * 0x1.0p-53; }  // [0, 1)

double fromBits(uint64_t b) {
  double d;
  std::memcpy(&d, &b, sizeof d);
  return d;
}

uint64_t toBits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

double pow2(int e) {  // exact 2^e for -1074 <= e <= 1023
  if (e >= -1022) return fromBits(static_cast<uint64_t>(e + 1023) << 52);
  return fromBits(1ULL << (e + 1074));
}

// Neighbours (+-1, +-2 ulp) of a value, for boundary coverage.
void addNeighbours(std::vector<double>& v, double x) {
  const uint64_t b = toBits(x);
  for (int64_t d = -2; d <= 2; ++d) v.push_back(fromBits(b + static_cast<uint64_t>(d)));
}

void emit(const char* name, double (*fn)(double), const std::vector<double>& xs) {
  for (double x : xs) {
    std::printf("%s %016" PRIx64 " %016" PRIx64 "\n", name, toBits(x), toBits(fn(x)));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 4000;
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double dmin = std::numeric_limits<double>::min();
  const double dmax = std::numeric_limits<double>::max();
  const double dtrue_min = std::numeric_limits<double>::denorm_min();

  // ---- log ----
  std::vector<double> lx = {0.0, -0.0, 1.0, -1.0, inf, -inf, nan, dmin, dmax, dtrue_min, 3 * dtrue_min,
                            dmin / 3, 0.5, 2.0, 2.718281828459045, 10.0, 1e-300, 1e300, 0.1, 0.7071067811865476,
                            1.4142135623730951, 1e-10, 0.025, 0.975};
  addNeighbours(lx, 1.0);
  addNeighbours(lx, 0.7071067811865476);
  addNeighbours(lx, 1.4142135623730951);
  addNeighbours(lx, dmin);
  addNeighbours(lx, 1.0 + 0x1.0p-20);
  addNeighbours(lx, 1.0 - 0x1.0p-20);
  for (int i = 0; i < n; ++i) lx.push_back(fromBits(next64() & 0x7fefffffffffffffULL));  // any positive finite
  for (int i = 0; i < n; ++i) lx.push_back(0.5 + 1.5 * uniform01());                       // [0.5, 2)
  for (int i = 0; i < n; ++i) {                                                            // near 1
    const int e = static_cast<int>(next64() % 52);
    lx.push_back(1.0 + (uniform01() - 0.5) * pow2(-e));
  }
  for (int i = 0; i < n / 4; ++i) lx.push_back(fromBits(next64() & 0x000fffffffffffffULL));  // subnormal
  for (int i = 0; i < n / 4; ++i) lx.push_back(-uniform01() * 10);                           // negative
  for (int i = 0; i < n; ++i) lx.push_back(static_cast<double>(1 + next64() % 100000));       // integers
  emit("log", spearsim::mathfn::log, lx);

  // ---- exp ----
  std::vector<double> ex = {0.0, -0.0, 1.0, -1.0, inf, -inf, nan, 709.782712893383973096, -745.133219101941108420,
                            709.0, 710.0, -708.39641853226410622, -709.0, -720.0, -745.0, -746.0, -1000.0, 1000.0,
                            0x1.0p-28, -0x1.0p-28, 0.34657359027997264, -0.34657359027997264, 1.0397207708399179,
                            -1.0397207708399179, 1e-300, -1e-300, dtrue_min};
  addNeighbours(ex, 709.782712893383973096);
  addNeighbours(ex, -745.133219101941108420);
  addNeighbours(ex, -708.3964185322641);
  addNeighbours(ex, 0x1.0p-28);
  addNeighbours(ex, 0.34657359027997264);
  addNeighbours(ex, 1.0397207708399179);
  addNeighbours(ex, -0.34657359027997264);
  addNeighbours(ex, -1.0397207708399179);
  for (int i = 0; i < n; ++i) ex.push_back(-746.0 + 1456.0 * uniform01());   // whole range
  for (int i = 0; i < n; ++i) ex.push_back(-2.0 + 4.0 * uniform01());        // reduction branches
  for (int i = 0; i < n; ++i) ex.push_back(-745.2 + 37.0 * uniform01());     // subnormal results
  for (int i = 0; i < n; ++i) {                                              // tiny arguments
    const int e = static_cast<int>(next64() % 60);
    ex.push_back((uniform01() - 0.5) * pow2(-e));
  }
  for (int i = 0; i < n; ++i) ex.push_back(fromBits(next64()));              // any bit pattern
  emit("exp", spearsim::mathfn::exp, ex);

  // ---- ndtri ----
  std::vector<double> nx = {0.0, -0.0, 1.0, 0.5, nan, -1.0, 2.0, inf, -inf, 0.075, 0.925, 1e-300, 1e-10, 0.025, 0.975,
                            dtrue_min, dmin, 1.0 - 0x1.0p-53, 1.0 - 0x1.0p-52, 0x1.0p-53, 1e-16, 0.05, 0.95, 0.8,
                            0.2, 1.3887943864964021e-11 /* exp(-25): r = 5 boundary */};
  addNeighbours(nx, 0.075);
  addNeighbours(nx, 0.925);
  addNeighbours(nx, 0.5);
  addNeighbours(nx, 1.3887943864964021e-11);
  for (int i = 0; i < n; ++i) nx.push_back(uniform01());  // [0, 1)
  for (int i = 0; i < n; ++i) {                           // log-uniform lower tail down to 1e-320
    const double p = spearsim::mathfn::exp(-737.0 * uniform01());
    nx.push_back(p);
    nx.push_back(1.0 - p);
  }
  for (int i = 0; i < n; ++i) nx.push_back(0.5 + (uniform01() - 0.5) * 0.0001);  // near the median
  emit("ndtri", spearsim::mathfn::ndtri, nx);
  return 0;
}
