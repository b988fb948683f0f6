#include "constants.hpp"
#include "pvalues.hpp"

#include <omp.h>

#include <string>

#include "errors.hpp"

namespace spearsim {

PermutationLayout::PermutationLayout(const std::vector<uint32_t>& counts) {
  if (counts.size() < 2) throw KernelError(code::kOutOfRange, "counts must list at least 2 groups (native check)");
  uint64_t total = 0;
  for (const uint32_t c : counts) {
    if (c < 1) throw KernelError(code::kOutOfRange, "counts must be positive integers (native check)");
    total += c;
  }
  requireInRange<uint64_t>("n", total, 3, kMaxExactN);
  n_ = static_cast<uint32_t>(total);
  // the largest group (the first of equal ones) is the free group
  size_t free = 0;
  for (size_t g = 1; g < counts.size(); ++g) {
    if (counts[g] > counts[free]) free = g;
  }
  std::vector<int64_t> rank2(counts.size());
  int64_t before = 0;
  for (size_t g = 0; g < counts.size(); ++g) {
    const int64_t c = counts[g];
    rank2[g] = 2 * before + c - n_;
    before += c;
    const double t = static_cast<double>(c);
    tiesX_ += t * t * t - t;
  }
  fixedBelow_ = counts[free];
  positionCoef_.assign(n_, 0);
  uint32_t at = fixedBelow_;
  for (size_t g = 0; g < counts.size(); ++g) {
    if (g == free) continue;
    for (uint32_t c = 0; c < counts[g]; ++c) positionCoef_[at++] = rank2[g] - rank2[free];
  }
}

void untiedRanks(uint32_t n, int32_t* y) {
  for (uint32_t i = 0; i < n; ++i) y[i] = static_cast<int32_t>(2 * i + 1) - static_cast<int32_t>(n);
}

namespace {

// Sorts non-negative integer-valued doubles ascending: a counting sort when their range is small
// (|sxy4| <= (n^3 - n) / 3, e.g. 170 640 at n = 80: a few times faster than std::sort for 50 000
// values), std::sort otherwise. The sorted order of a multiset is unique, so the TypeScript mirror
// may sort differently and still get the same array.
void sortIntegers(double* v, uint32_t m) {
  double top = 0;
  for (uint32_t i = 0; i < m; ++i) top = v[i] > top ? v[i] : top;
  if (top > 16.0 * m + 1024 || top > 1 << 26) {
    std::sort(v, v + m);
    return;
  }
  std::vector<uint32_t> count(static_cast<size_t>(top) + 1, 0);
  for (uint32_t i = 0; i < m; ++i) ++count[static_cast<size_t>(v[i])];
  uint32_t at = 0;
  for (size_t value = 0; value < count.size(); ++value) {
    for (uint32_t c = count[value]; c > 0; --c) v[at++] = static_cast<double>(value);
  }
}

}  // namespace

void marginRanks(uint32_t n, const std::vector<uint32_t>& yCounts, int32_t* y) {
  if (yCounts.empty()) {
    untiedRanks(n, y);
    return;
  }
  uint32_t at = 0;
  for (const uint32_t c : yCounts) {
    const int32_t rank2 = static_cast<int32_t>(2 * at + c) - static_cast<int32_t>(n);
    for (uint32_t i = 0; i < c; ++i) y[at + i] = rank2;
    at += c;
  }
}

double marginTies(const std::vector<uint32_t>& yCounts) {
  double ties = 0;
  for (const uint32_t c : yCounts) ties += static_cast<double>(c) * c * c - c;
  return ties;
}

void buildNull(const PermutationLayout& layout, const std::vector<uint32_t>& yCounts, bool keepSign, uint64_t nullKey, uint32_t nPre,
               Context& ctx, double* sorted) {
  requireInRange<uint64_t>("nPre", nPre, 1, kMaxPre);
  const uint32_t n = layout.n();
  if (!yCounts.empty()) {
    uint64_t total = 0;
    for (const uint32_t c : yCounts) {
      if (c == 0) throw KernelError(code::kOutOfRange, "yCounts must be positive integers");
      total += c;
    }
    if (yCounts.size() < 2 || total != n) throw KernelError(code::kOutOfRange, "yCounts must list at least 2 groups summing to n");
  }
  const uint32_t blocks = (nPre + kNullBlock - 1) / kNullBlock;
  // sxy4 are integers below 2^53, stored as doubles: sorting them sorts rho (a monotone map)
  // and keeps the TypeScript mirror on Float64Array.
  ctx.setTotal(nPre);
#pragma omp parallel num_threads(ctx.threads())
  {
    std::vector<int32_t> y(n);
#pragma omp for schedule(dynamic, 1)
    for (int64_t j = 0; j < static_cast<int64_t>(blocks); ++j) {
      if (ctx.cancelled()) continue;
      Rng rng(childKey(nullKey, static_cast<uint64_t>(j)));
      marginRanks(n, yCounts, y.data());
      const uint32_t from = static_cast<uint32_t>(j) * kNullBlock;
      const uint32_t to = std::min(nPre, from + kNullBlock);
      for (uint32_t b = from; b < to; ++b) {
        const int64_t s = layout.draw(rng, y.data());
        sorted[b] = static_cast<double>(keepSign || s >= 0 ? s : -s);
      }
      ctx.advance(to - from);
    }
  }
  ctx.throwIfCancelled();
  if (keepSign) std::sort(sorted, sorted + nPre);
  else sortIntegers(sorted, nPre);
  const double nd = n;
  const double tiesX = layout.tiesX();
  const double tiesY = marginTies(yCounts);
  for (uint32_t b = 0; b < nPre; ++b) sorted[b] = rhoFromExact(sorted[b], nd, tiesX, tiesY);
}

double mcPermutationPvalue(const PermutationLayout& layout, int32_t* y, double tiesY, double rhoHat, uint32_t nPerm,
                           Rng& rng) {
  if (rhoHat != rhoHat) return rhoHat;
  const double threshold = (rhoHat < 0 ? -rhoHat : rhoHat) - kPvalueTolerance;
  const double nd = layout.n();
  const double tiesX = layout.tiesX();
  uint32_t count = 0;
  for (uint32_t b = 0; b < nPerm; ++b) {
    const double rho = rhoFromExact(static_cast<double>(layout.draw(rng, y)), nd, tiesX, tiesY);
    if ((rho < 0 ? -rho : rho) >= threshold) ++count;
  }
  return (1.0 + count) / (1.0 + nPerm);
}

}  // namespace spearsim
