// Checks the batched inverse normal CDF (normal_batch.hpp) against mathfn::ndtri one value at a
// time, bit for bit, on both paths (AVX-512 where the CPU has it and SPEARSIM_SIMD allows it, and
// the portable loop): uniform
// draws, the branch edges |p - 0.5| = 0.425 and their neighbours, 0, 1, tiny and near-1 values,
// NaN, out-of-range inputs, every length 0..40 (partial vectors). Prints "ok <cases> <path>".
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "mathfn.hpp"
#include "normal_batch.hpp"

using namespace spearsim;

namespace {

bool sameBits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace

int main() {
  Rng rng(20261204);
  std::vector<double> inputs;
  for (int i = 0; i < 200000; ++i) inputs.push_back(rng.uniformOpen());
  for (double edge : {0.075, 0.925, 0.5, 0.0, 1.0, 1e-300, 5e-324, 1e-17, 1.0 - 1e-16, 0.999999, 1e-8, 1.0 - 1e-8}) {
    for (double v : {edge, std::nextafter(edge, -1.0), std::nextafter(edge, 2.0)}) inputs.push_back(v);
  }
  for (double bad : {std::nan(""), -0.0, -1e-300, -0.5, 1.5, HUGE_VAL, -HUGE_VAL}) inputs.push_back(bad);
  long cases = 0;
  int failures = 0;
  const bool wide = simdLevel() == SimdLevel::kAvx512;
  for (int path = 0; path < (wide ? 2 : 1); ++path) {
    // every short length, then the whole list
    for (uint32_t len = 0; len <= 41; ++len) {
      const uint32_t n = len == 41 ? static_cast<uint32_t>(inputs.size()) : len;
      for (uint32_t start = 0; start + n <= inputs.size() && start < (len == 41 ? 1u : 300u); start += 7) {
        std::vector<double> batch(inputs.begin() + start, inputs.begin() + start + n);
        if (path == 1) ndtriInPlaceAvx512(batch.data(), n); else ndtriInPlaceScalar(batch.data(), n);
        for (uint32_t i = 0; i < n; ++i) {
          ++cases;
          const double want = mathfn::ndtri(inputs[start + i]);
          if (!sameBits(batch[i], want) && failures++ < 5) {
            std::printf("mismatch path=%d p=%.17g batch=%.17g scalar=%.17g\n", path, inputs[start + i], batch[i], want);
          }
        }
      }
    }
  }
  // the normals helper consumes the stream exactly as rng.normal() does
  Rng a(7), b(7);
  std::vector<double> normals(73);
  drawNormals(a, normals.data(), 73, simdLevel());
  for (int i = 0; i < 73; ++i) {
    ++cases;
    if (!sameBits(normals[i], b.normal()) && failures++ < 5) std::printf("drawNormals differs at %d\n", i);
  }
  if (a.next() != b.next() && failures++ < 5) std::printf("drawNormals left the stream elsewhere\n");
  if (failures) return 1;
  std::printf("ok %ld %s\n", cases, wide ? "avx512+scalar" : "scalar");
  return 0;
}
