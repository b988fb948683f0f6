// Permutation p-values of Spearman's rho with tied x (docs/methods.md, "P-values and power"),
// shared bit for bit with lib/pvalues.ts.
//
// Every permutation statistic is computed with the exact integer formula of ranks.hpp: x is a tie
// structure (group sizes in ascending-x order), y a multiset of doubled centred ranks (the
// integers 2i - n + 1 for untied y), and a uniform permutation of y against x gives
//   sxy4 = sum_g rank2x_g * (sum of the y ranks the permutation puts in group g),
// rho = rhoFromExact(sxy4, n, tiesX, tiesY): the same statistic, to the bit, as rho-hat.
//
// Only the group sums matter, so a permutation is drawn as a partial Fisher-Yates shuffle (from
// the top, as Rng::shuffle) of the positions of every group but the largest ("free") group, whose
// sum is minus the others' (centred ranks sum to 0): sxy4 = sum_{g != free} (r_g - r_free) S_g,
// each position's term added as the shuffle fills it.
// The draws at the top positions are uniform over the remaining elements whatever the current
// arrangement, so consecutive permutations can shuffle the same array without re-initialising it,
// and the statistic has exactly the distribution of a full uniform permutation.
//
// Streams: a null distribution's permutations are split into blocks of kNullBlock, block j drawn
// from Rng(childKey(nullKey, j)) starting from the ascending arrangement, so the null depends on
// its key only (not on thread count). A Monte Carlo p-value draws its nPerm permutations from the
// one stream it is given (the caller uses repStreamKey(powerKey, sim, kStreamPerm)).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "context.hpp"
#include "ranks.hpp"
#include "rng.hpp"

namespace spearsim {

constexpr uint32_t kNullBlock = 1024;       // permutations per child stream of a null's key
constexpr double kPvalueTolerance = 1e-12;  // |rho_perm| >= |rho_hat| - 1e-12 counts (docs/methods.md, "Departures from the reference")

// A tie structure arranged for drawing permutation statistics.
class PermutationLayout {
 public:
  // counts: group sizes in ascending-x order (all-distinct = n ones); at least two groups.
  explicit PermutationLayout(const std::vector<uint32_t>& counts);

  uint32_t n() const { return n_; }
  double tiesX() const { return tiesX_; }
  // Positions [fixedBelow, n) are shuffled; [0, fixedBelow) hold the free group.
  uint32_t fixedBelow() const { return fixedBelow_; }

  // Draws one permutation of y (doubled centred ranks, length n, rearranged in place) and returns
  // its sxy4. Each position's group coefficient is applied as the position is filled (integer
  // arithmetic: exact in any order).
  int64_t draw(Rng& rng, int32_t* y) const {
    int64_t sxy4 = 0;
    const int64_t* coef = positionCoef_.data();
    for (uint32_t i = n_; i > fixedBelow_; --i) {
      const uint32_t j = rng.bounded(i);
      const int32_t picked = y[j];
      y[j] = y[i - 1];
      y[i - 1] = picked;
      sxy4 += coef[i - 1] * picked;
    }
    return sxy4;
  }

 private:
  uint32_t n_ = 0;
  double tiesX_ = 0;
  uint32_t fixedBelow_ = 0;
  std::vector<int64_t> positionCoef_;  // r_g - r_free of the group owning each position (0 below fixedBelow)
};

// Doubled centred ranks of untied y in ascending order: 1 - n, 3 - n, ..., n - 1.
void untiedRanks(uint32_t n, int32_t* y);

// Doubled centred ranks of y in ascending order: untied when yCounts is empty, else the midranks
// of the groups yCounts (ascending y, summing to n).
void marginRanks(uint32_t n, const std::vector<uint32_t>& yCounts, int32_t* y);

// Sum of c^3 - c over the y groups (0 for untied y).
double marginTies(const std::vector<uint32_t>& yCounts);

// nPre permutation values of rho of y (untied, or tied as yCounts) against the layout, sorted:
// |rho| (keepSign false, the two-sided null), or rho itself (keepSign true, for one-sided tests).
// With both margins fixed the null depends on the two tie structures only.
void buildNull(const PermutationLayout& layout, const std::vector<uint32_t>& yCounts, bool keepSign, uint64_t nullKey, uint32_t nPre,
               Context& ctx, double* sorted);

// #{ |rho_b| >= |rho| - 1e-12 } by binary search in a sorted null.
inline uint64_t countAtLeast(const double* sortedAbs, uint64_t m, double rho) {
  const double threshold = (rho < 0 ? -rho : rho) - kPvalueTolerance;
  return m - static_cast<uint64_t>(std::lower_bound(sortedAbs, sortedAbs + m, threshold) - sortedAbs);
}

// The null test without its p-value: p = (1 + N) / (1 + m) < alpha exactly when N <= maxCount (the
// largest count that passes, found with the same floating-point expression), and N <= maxCount
// exactly when the (m - maxCount)-th smallest null value is below |rho| - 1e-12 (the comparison
// countAtLeast's binary search makes). Returns that value's index, or -1 if no count passes.
inline int64_t nullRejectIndex(uint64_t m, double alpha) {
  const double denominator = 1.0 + static_cast<double>(m);
  const auto passes = [&](int64_t count) { return (1.0 + static_cast<double>(count)) / denominator < alpha; };
  int64_t maxCount = static_cast<int64_t>(std::min(static_cast<double>(m), std::floor(alpha * denominator)));
  while (maxCount >= 0 && !passes(maxCount)) --maxCount;
  while (maxCount < static_cast<int64_t>(m) && passes(maxCount + 1)) ++maxCount;
  if (maxCount < 0) return -1;
  return static_cast<int64_t>(m) - maxCount - 1;  // >= 0: a count of m never passes an alpha below 1
}

// Whether the null test rejects at rho (nullPvalue(...) < alpha), given nullRejectIndex.
inline bool nullRejects(const double* sortedAbs, int64_t rejectIndex, double rho) {
  return rejectIndex >= 0 && sortedAbs[rejectIndex] < (rho < 0 ? -rho : rho) - kPvalueTolerance;
}

// p = (1 + N) / (1 + m); NaN for a NaN rho.
inline double nullPvalue(const double* sortedAbs, uint64_t m, double rho) {
  if (rho != rho) return rho;
  return (1.0 + static_cast<double>(countAtLeast(sortedAbs, m, rho))) / (1.0 + static_cast<double>(m));
}

// Monte Carlo permutation p-value of one dataset: y holds its doubled centred y ranks in any order
// (rearranged in place), tiesY their tie sum, rhoHat its Spearman value.
double mcPermutationPvalue(const PermutationLayout& layout, int32_t* y, double tiesY, double rhoHat, uint32_t nPerm,
                           Rng& rng);

// t statistic of the t approximation (docs/methods.md, "P-values and power"): rho sqrt((n - 2) / max(1 - rho^2, 1e-15)).
// p < alpha exactly when |t| > t_{n-2}(1 - alpha/2), the critical value computed in TypeScript.
inline double tStatistic(double rho, uint32_t n) {
  const double d = 1.0 - rho * rho;
  return rho * std::sqrt((static_cast<double>(n) - 2.0) / (d > 1e-15 ? d : 1e-15));
}

}  // namespace spearsim
