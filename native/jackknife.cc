#include "jackknife.hpp"

#include <vector>

#include "constants.hpp"
#include "ranks.hpp"

namespace spearsim {

namespace {

// Per item: the index of its run among the sorted runs of v, the run's size, and the sums
// 2 * (sum of w over earlier runs) + (sum of w over its run) = sum_j w_j s(v_i - v_j).
struct RunSums {
  std::vector<uint32_t> group;  // dense rank of v_i's run
  std::vector<uint32_t> size;   // size of v_i's run
  std::vector<int64_t> signedSum;
  std::vector<uint32_t> below;  // items strictly below v_i
};

RunSums runSums(const double* v, const uint32_t* order, uint32_t n, const int64_t* w) {
  RunSums r{std::vector<uint32_t>(n), std::vector<uint32_t>(n), std::vector<int64_t>(n), std::vector<uint32_t>(n)};
  int64_t before = 0;
  uint32_t g = 0;
  uint32_t i = 0;
  while (i < n) {
    uint32_t j = i + 1;
    while (j < n && v[order[j]] == v[order[i]]) ++j;
    int64_t run = 0;
    for (uint32_t t = i; t < j; ++t) run += w[order[t]];
    for (uint32_t t = i; t < j; ++t) {
      const uint32_t k = order[t];
      r.group[k] = g;
      r.size[k] = j - i;
      r.signedSum[k] = 2 * before + run;
      r.below[k] = i;
    }
    before += run;
    ++g;
    i = j;
  }
  return r;
}

double tieDrop(double t) { return t * t * t - t - ((t - 1) * (t - 1) * (t - 1) - (t - 1)); }

}  // namespace

void jackknifeRhos(const double* x, const double* y, uint32_t n, Context& ctx, double* out) {
  requireInRange<uint64_t>("n", n, 3, kMaxExactN);
  std::vector<uint32_t> xOrder, yOrder;
  std::vector<int64_t> rx(n), ry(n);
  stableOrder(x, n, xOrder);
  stableOrder(y, n, yOrder);
  ctx.throwIfCancelled();
  const double tiesX = ranksFromOrder(x, xOrder.data(), n, rx.data());
  const double tiesY = ranksFromOrder(y, yOrder.data(), n, ry.data());
  int64_t full = 0;
  for (uint32_t i = 0; i < n; ++i) full += rx[i] * ry[i];
  const RunSums byY = runSums(y, yOrder.data(), n, rx.data());  // A_i; y's groups
  const RunSums byX = runSums(x, xOrder.data(), n, ry.data());  // B_i; x's runs
  ctx.throwIfCancelled();
  // C_i: a Fenwick tree of counts per y group, filled x run by x run. Before item i's run is added
  // it holds the items with x below x_i; after, those with x at most x_i.
  std::vector<int64_t> concordance(n);
  std::vector<uint32_t> tree(static_cast<size_t>(n) + 1, 0);  // index g + 1 counts y group g
  const auto countBelow = [&tree](uint32_t group) {  // items in the tree with y group < group
    uint32_t c = 0;
    for (uint32_t k = group; k > 0; k -= k & (0u - k)) c += tree[k];
    return c;
  };
  const auto add = [&tree, n](uint32_t group) {
    for (uint32_t k = group + 1; k <= n; k += k & (0u - k)) ++tree[k];
  };
  uint32_t inserted = 0;
  uint32_t i = 0;
  while (i < n) {
    uint32_t j = i + 1;
    while (j < n && x[xOrder[j]] == x[xOrder[i]]) ++j;
    for (uint32_t t = i; t < j; ++t) {  // partners with smaller x: + concordant - discordant
      const uint32_t k = xOrder[t];
      const uint32_t g = byY.group[k];
      const int64_t yBelow = countBelow(g);
      const int64_t yAbove = static_cast<int64_t>(inserted) - countBelow(g + 1);
      concordance[k] = yBelow - yAbove;
    }
    for (uint32_t t = i; t < j; ++t) add(byY.group[xOrder[t]]);
    inserted += j - i;
    for (uint32_t t = i; t < j; ++t) {  // partners with larger x: all below/above y_i minus those with x <= x_i
      const uint32_t k = xOrder[t];
      const uint32_t g = byY.group[k];
      const int64_t yBelow = static_cast<int64_t>(byY.below[k]) - countBelow(g);
      const int64_t yAbove = static_cast<int64_t>(n - byY.below[k] - byY.size[k]) - (static_cast<int64_t>(inserted) - countBelow(g + 1));
      concordance[k] += yAbove - yBelow;
    }
    i = j;
  }
  ctx.throwIfCancelled();
  const double m = static_cast<double>(n) - 1;
  for (uint32_t k = 0; k < n; ++k) {
    const int64_t sxy4 = full - rx[k] * ry[k] + byY.signedSum[k] + byX.signedSum[k] + concordance[k];
    out[k] = rhoFromExact(static_cast<double>(sxy4), m, tiesX - tieDrop(byX.size[k]), tiesY - tieDrop(byY.size[k]));
  }
}

}  // namespace spearsim
