// Midranks and Spearman's rho as the Pearson correlation of midranks, computed exactly.
//
// With ties the midrank of a run over sorted positions [i, j) is (i + j + 1) / 2, so the
// "doubled centred" rank 2*midrank - (n + 1) = i + j - n is an integer. Then
//   sum (rx - m)(ry - m) = Sxy4 / 4        (Sxy4 = sum of products of doubled centred ranks)
//   sum (rx - m)^2       = (n^3 - n - Tx) / 12,  Tx = sum over tie runs of (t^3 - t)
// are exact integers, and rho = 3 * Sxy4 / sqrt((n^3 - n - Tx)(n^3 - n - Ty)) is one rounding of
// exact quantities: the same bits in C++ and TypeScript whatever the summation order.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "constants.hpp"
#include "line_vector.hpp"

namespace spearsim {

// Indices of v (length n) in ascending order of value, equal values in index order (the order a
// stable sort gives). Without NaNs, (value, index) pairs are totally ordered, so the unstable
// std::sort finds that order without the buffer std::stable_sort allocates per call (this runs
// once or more per dataset); a NaN (no total order) takes std::stable_sort.
template <class IndexVector>
void stableOrder(const double* v, uint32_t n, IndexVector& order) {
  order.resize(n);
  if (std::any_of(v, v + n, [](double d) { return d != d; })) {
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [v](uint32_t a, uint32_t b) { return v[a] < v[b]; });
    return;
  }
  struct Keyed {
    double value;
    uint32_t index;
  };
  thread_local LineVector<Keyed> keyed;  // per thread: no allocation once it has grown
  keyed.resize(n);
  for (uint32_t i = 0; i < n; ++i) keyed[i] = Keyed{v[i], i};
  std::sort(keyed.begin(), keyed.end(),
            [](const Keyed& a, const Keyed& b) { return a.value < b.value || (a.value == b.value && a.index < b.index); });
  for (uint32_t i = 0; i < n; ++i) order[i] = keyed[i].index;
}

// Writes doubled centred ranks of v (length n) into rank2, given the indices of v in ascending
// order (equal values in any order), and returns the tie sum sum(t^3 - t).
inline double ranksFromOrder(const double* v, const uint32_t* order, uint32_t n, int64_t* rank2) {
  double ties = 0;
  uint32_t i = 0;
  while (i < n) {
    uint32_t j = i + 1;
    while (j < n && v[order[j]] == v[order[i]]) ++j;
    const int64_t r2 = static_cast<int64_t>(i) + j - n;
    for (uint32_t t = i; t < j; ++t) rank2[order[t]] = r2;
    const double t = j - i;
    ties += t * t * t - t;
    i = j;
  }
  return ties;
}

// Writes doubled centred ranks of v (length n) into rank2 and returns the tie sum sum(t^3 - t).
// `order` is scratch space of length n.
template <class IndexVector>
double doubledCentredRanks(const double* v, uint32_t n, int64_t* rank2, IndexVector& order) {
  stableOrder(v, n, order);
  return ranksFromOrder(v, order.data(), n, rank2);
}

// rho from the exact pieces; NaN when either side is constant (no Spearman value exists).
inline double rhoFromExact(double sxy4, double n, double tiesX, double tiesY) {
  const double n3 = n * n * n - n;
  const double sxx12 = n3 - tiesX;
  const double syy12 = n3 - tiesY;
  if (sxx12 <= 0 || syy12 <= 0) return std::nan("");
  const double r = (3.0 * sxy4) / std::sqrt(sxx12 * syy12);
  return r > 1.0 ? 1.0 : (r < -1.0 ? -1.0 : r);
}

// Spearman's rho of (x, y) given the ascending orders of both; NaN if x or y is constant. rx, ry:
// scratch of length n.
inline double spearmanFromOrders(const double* x, const uint32_t* xOrder, const double* y, const uint32_t* yOrder,
                                 uint32_t n, int64_t* rx, int64_t* ry) {
  const double tx = ranksFromOrder(x, xOrder, n, rx);
  const double ty = ranksFromOrder(y, yOrder, n, ry);
  int64_t sxy4 = 0;
  for (uint32_t i = 0; i < n; ++i) sxy4 += rx[i] * ry[i];
  return rhoFromExact(static_cast<double>(sxy4), n, tx, ty);
}

// Spearman's rho of (x, y); NaN if x or y is constant.
inline double spearman(const double* x, const double* y, uint32_t n) {
  std::vector<int64_t> rx(n), ry(n);
  std::vector<uint32_t> xOrder, yOrder;
  stableOrder(x, n, xOrder);
  stableOrder(y, n, yOrder);
  return spearmanFromOrders(x, xOrder.data(), y, yOrder.data(), n, rx.data(), ry.data());
}

}  // namespace spearsim
