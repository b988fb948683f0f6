// Checks native percentilePair (bucket selection of order statistics) against a sort-based type-7
// quantile on adversarial inputs: duplicates, constant data, tiny and overflowing ranges,
// infinities, NaNs to drop, every size from 1 up; with the Monte Carlo SEs of the two percentiles
// too, against the order-statistic rule on the sorted values. Prints "ok <cases>" or the first
// mismatches.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <vector>

#include "bootstrap.hpp"

using spearsim::Rng;

namespace {

double sortedType7(std::vector<double> v, double q) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const double h = static_cast<double>(v.size() - 1) * q;
  const auto f = static_cast<size_t>(std::floor(h));
  if (f + 1 >= v.size()) return v[f];
  return v[f] + (h - static_cast<double>(f)) * (v[f + 1] - v[f]);
}

// The order-statistic rule of percentilePair on the sorted values: (Q(q + z s) - Q(q - z s)) / (2 z).
double sortedSe(const std::vector<double>& v, double q) {
  const auto valid = static_cast<double>(std::count_if(v.begin(), v.end(), [](double x) { return !std::isnan(x); }));
  if (valid < 2) return NAN;
  const double s = spearsim::kMcSeZ * std::sqrt((q * (1 - q)) / valid);
  return (sortedType7(v, std::min(1.0, q + s)) - sortedType7(v, std::max(0.0, q - s))) / (2 * spearsim::kMcSeZ);
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

int main() {
  Rng rng(12345);
  const double qs[][2] = {{0.025, 0.975}, {0, 1}, {0.5, 0.5}, {0.3, 0.31}, {0.005, 0.995}, {1e-9, 1 - 1e-9}};
  int cases = 0;
  int failures = 0;
  for (uint32_t m : {1u, 2u, 3u, 4u, 5u, 7u, 16u, 17u, 100u, 255u, 256u, 257u, 1000u, 4099u}) {
    for (int kind = 0; kind < 9; ++kind) {
      std::vector<double> v(m);
      for (uint32_t i = 0; i < m; ++i) {
        const double u = rng.normal();
        switch (kind) {
          case 0: v[i] = u; break;                                                  // continuous
          case 1: v[i] = 0.75; break;                                               // constant
          case 2: v[i] = std::round(u * 3) / 3; break;                              // heavy ties
          case 3: v[i] = 1 + static_cast<double>(rng.bounded(5)) * DBL_EPSILON; break;  // tiny range
          case 4: v[i] = (u < 0 ? -DBL_MAX : DBL_MAX) * std::fabs(std::tanh(u)); break;  // range overflows
          case 5: v[i] = i % 7 == 0 ? (u < 0 ? -INFINITY : INFINITY) : u; break;     // infinities
          case 6: v[i] = i % 3 == 0 ? NAN : u; break;                                // NaNs dropped
          case 7: v[i] = std::tanh(u) * 0.999; break;                                // rho-like, in (-1, 1)
          default: v[i] = i % 2 == 0 ? -1.0 : 1.0; break;                            // two values, at the ends
        }
      }
      for (const auto& q : qs) {
        std::vector<double> work = v;
        double lo = 0;
        double hi = 0;
        const uint32_t dropped = spearsim::percentilePair(work.data(), m, q[0], q[1], lo, hi);
        const uint32_t nans = static_cast<uint32_t>(std::count_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }));
        const double wantLo = sortedType7(v, q[0]);
        const double wantHi = sortedType7(v, q[1]);
        ++cases;
        if (dropped != nans || !same(lo, wantLo) || !same(hi, wantHi)) {
          if (++failures <= 10) {
            std::printf("mismatch m=%u kind=%d q=(%g,%g): got (%.17g, %.17g, dropped %u) want (%.17g, %.17g, %u)\n", m, kind,
                        q[0], q[1], lo, hi, dropped, wantLo, wantHi, nans);
          }
        }
        // the same pair with the SEs: the endpoints unchanged, the SEs those of the sorted values
        std::vector<double> again = v;
        double lo2 = 0;
        double hi2 = 0;
        double loSe = 0;
        double hiSe = 0;
        spearsim::percentilePair(again.data(), m, q[0], q[1], lo2, hi2, &loSe, &hiSe);
        const double wantLoSe = sortedSe(v, q[0]);
        const double wantHiSe = sortedSe(v, q[1]);
        ++cases;
        if (!same(lo2, lo) || !same(hi2, hi) || !same(loSe, wantLoSe) || !same(hiSe, wantHiSe)) {
          if (++failures <= 10) {
            std::printf("SE mismatch m=%u kind=%d q=(%g,%g): got (%.17g, %.17g) want (%.17g, %.17g)\n", m, kind, q[0], q[1], loSe,
                        hiSe, wantLoSe, wantHiSe);
          }
        }
      }
    }
  }
  if (failures == 0) std::printf("ok %d\n", cases);
  return failures == 0 ? 0 : 1;
}
