// W1 on the C++ kernel alone (no Node, no job hand-off): 200 datasets, n = 73, x counts
// [19,18,18,18], y a random permutation of ranks, 1000 resamples each, on 1 and 2 threads,
// alternating. Prints one JSON object: per thread count the median and minimum of `calls` calls.
// Built and run by bench/native-kernel.js.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bootstrap.hpp"
#include "simd.hpp"

using namespace spearsim;

int main(int argc, char** argv) {
  const int calls = argc > 1 ? std::atoi(argv[1]) : 30;
  const uint32_t reps = 200, n = 73;
  const uint32_t counts[4] = {19, 18, 18, 18};
  std::vector<double> x(reps * n), y(reps * n);
  Rng rng(7);
  for (uint32_t r = 0; r < reps; ++r) {
    uint32_t i = 0;
    for (int g = 0; g < 4; ++g) {
      for (uint32_t c = 0; c < counts[g]; ++c) x[r * n + i++] = g;
    }
    for (uint32_t k = 0; k < n; ++k) y[r * n + k] = k + 1;
    rng.shuffle(y.data() + r * n, n);
  }
  StoredDatasets source(x.data(), y.data(), n);
  BootstrapSpec spec;
  spec.nReps = reps;
  spec.nBoot = 1000;
  spec.baseKey = 1;
  spec.simd = simdLevel();
  std::vector<RepSummary> out(reps);
  std::vector<double> ms[3];
  for (int call = 0; call < calls; ++call) {
    for (int threads : {1, 2}) {
      Context ctx(threads, nullptr);
      const auto t0 = std::chrono::steady_clock::now();
      bootstrapBatch(source, spec, ctx, out.data());
      ms[threads].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  for (int threads : {1, 2}) std::sort(ms[threads].begin(), ms[threads].end());
  const auto median = [&](int t) { return ms[t][ms[t].size() / 2]; };
  std::printf("{\"calls\":%d,\"t1\":{\"median_ms\":%.3f,\"min_ms\":%.3f},\"t2\":{\"median_ms\":%.3f,\"min_ms\":%.3f},"
              "\"speedupOfMedians\":%.3f,\"speedupOfMinima\":%.3f}\n",
              calls, median(1), ms[1][0], median(2), ms[2][0], median(1) / median(2), ms[1][0] / ms[2][0]);
  return 0;
}
