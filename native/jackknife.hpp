// The leave-one-out Spearman values of a dataset in O(n log n) (docs/methods.md, "Bootstrap
// confidence intervals"), shared bit for bit with lib/jackknife.ts.
//
// Dropping item i lowers every larger value's doubled centred rank by 1, raises every smaller
// value's by 1 and leaves tied values' unchanged (over n - 1 items), so with s(u) the sign of u
//   sxy4_(i) = sum_{j != i} (rx_j + s(x_i - x_j)) (ry_j + s(y_i - y_j))
//            = S - rx_i ry_i + A_i + B_i + C_i,
//   A_i = sum_j rx_j s(y_i - y_j),  B_i = sum_j ry_j s(x_i - x_j),
//   C_i = sum_j s(x_i - x_j) s(y_i - y_j)  (concordant minus discordant partners of i),
// with S = sum rx ry. A and B follow from prefix sums over the sorted runs, C from a Fenwick tree
// of y's groups filled in ascending x. Every quantity is an exact integer, so rho_(i) =
// rhoFromExact(sxy4_(i), n - 1, tiesX - dropX_i, tiesY - dropY_i) has the bits of the direct
// O(n^2) sum.
#pragma once
#include <cstdint>

#include "context.hpp"

namespace spearsim {

// rho_(i) for i = 0..n-1 into out (NaN where dropping i leaves x or y constant); cancellable
// between its passes.
void jackknifeRhos(const double* x, const double* y, uint32_t n, Context& ctx, double* out);

}  // namespace spearsim
