#include "permutation_test.hpp"

#include <algorithm>

#include "constants.hpp"
#include "line_vector.hpp"

namespace spearsim {

uint64_t permutationTestCount(const PermutationTestSpec& spec, Context& ctx) {
  const PermutationLayout layout(spec.counts);
  const uint32_t n = layout.n();
  if (spec.y.size() != n) throw KernelError(code::kLengthMismatch, "y must have as many ranks as counts sum to (native check)");
  requireInRange<uint64_t>("nPerm", spec.nPerm, 1, kMaxPre);
  const uint64_t blocks = (spec.nPerm + kTestBlock - 1) / kTestBlock;
  std::vector<uint32_t> blockCount(blocks, 0);
  const double lower = spec.lower;
  const double upper = spec.upper;
  ctx.setTotal(spec.nPerm);
#pragma omp parallel num_threads(ctx.threads())
  {
    LineVector<int32_t> y;
    y.resize(n);
#pragma omp for schedule(dynamic, 1)
    for (int64_t j = 0; j < static_cast<int64_t>(blocks); ++j) {
      if (ctx.cancelled()) continue;
      Rng rng(childKey(spec.testKey, static_cast<uint64_t>(j)));
      std::copy(spec.y.begin(), spec.y.end(), y.begin());
      const uint64_t from = static_cast<uint64_t>(j) * kTestBlock;
      const uint64_t to = std::min<uint64_t>(spec.nPerm, from + kTestBlock);
      uint32_t count = 0;
      for (uint64_t b = from; b < to; ++b) {
        if (ctx.cancelled()) break;  // a block of a large dataset is long: abort within a permutation
        const double s = static_cast<double>(layout.draw(rng, y.data()));
        count += (s <= lower) | (s >= upper);
      }
      blockCount[j] = count;
      ctx.advance(to - from);
    }
  }
  ctx.throwIfCancelled();
  uint64_t total = 0;
  for (const uint32_t c : blockCount) total += c;
  return total;
}

}  // namespace spearsim
