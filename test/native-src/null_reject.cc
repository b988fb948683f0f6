// Checks nullRejects (the power tally's test from rho alone) against nullPvalue(...) < alpha on
// adversarial inputs: rho exactly at a null value, one ulp and the tolerance either side, ties in
// the null, signs, NaN, a null of one value, and alphas at and next to every attainable p.
// Prints "ok <cases>" or the first mismatches.
#include <cmath>
#include <cstdio>
#include <vector>

#include "pvalues.hpp"

using spearsim::nullPvalue;
using spearsim::nullRejectIndex;
using spearsim::nullRejects;
using spearsim::Rng;

int main() {
  Rng rng(20261204);
  long cases = 0;
  int failures = 0;
  for (uint32_t m : {1u, 2u, 3u, 7u, 19u, 20u, 99u, 1000u, 50000u}) {
    for (int variant = 0; variant < 4; ++variant) {
      std::vector<double> null(m);
      // variant 1: heavy ties (few distinct values), 2: values on a grid of 1/8, else continuous
      for (double& v : null) {
        v = variant == 1 ? static_cast<double>(rng.bounded(4)) / 4 : variant == 2 ? static_cast<double>(rng.bounded(9)) / 8 : rng.uniform();
      }
      std::sort(null.begin(), null.end());
      std::vector<double> alphas = {1e-300, 1e-6, 0.001, 0.01, 0.05, 0.1, 0.5, 0.999999, std::nextafter(1.0, 0.0)};
      for (uint32_t count = 0; count <= m && count < 200; ++count) {  // every attainable p and its neighbours
        const double p = (1.0 + count) / (1.0 + m);
        alphas.push_back(p);
        alphas.push_back(std::nextafter(p, 0.0));
        alphas.push_back(std::nextafter(p, 2.0));
      }
      std::vector<double> rhos = {0.0, -0.0, 1.0, -1.0, NAN, 1e-13, -1e-13};
      for (uint32_t i = 0; i < m && i < 400; ++i) {
        const double v = null[rng.bounded(m)];
        for (double r : {v, std::nextafter(v, 2.0), std::nextafter(v, -2.0), v + 1e-12, v - 1e-12, v + 2e-12,
                         std::nextafter(v + 1e-12, 2.0), std::nextafter(v + 1e-12, -2.0)}) {
          rhos.push_back(r);
          rhos.push_back(-r);
        }
      }
      for (const double alpha : alphas) {
        if (!(alpha > 0 && alpha < 1)) continue;
        const int64_t index = nullRejectIndex(m, alpha);
        for (const double rho : rhos) {
          ++cases;
          const bool expected = nullPvalue(null.data(), m, rho) < alpha;
          if (nullRejects(null.data(), index, rho) != expected && failures++ < 5) {
            std::printf("mismatch m=%u variant=%d alpha=%.17g rho=%.17g expected=%d\n", m, variant, alpha, rho, expected);
          }
        }
      }
    }
  }
  if (failures) return 1;
  std::printf("ok %ld\n", cases);
  return 0;
}
