// The Monte Carlo permutation test of one real dataset (docs/methods.md, "Real data"), shared bit
// for bit with lib/permutation-test.ts.
//
// The nPerm permutations are split into blocks of kTestBlock; block j draws from
// Rng(childKey(testKey, j)) starting from y in data order, so the count depends on the key only,
// never on the thread count or on which thread ran a block. A permutation counts when its sxy4
// lies at or beyond one of two integer thresholds the caller derives from rho-hat (sxy4 <= lower
// or sxy4 >= upper): rho is a monotone function of sxy4, so this is the comparison of rho values
// with the p-value tolerance, without a division per permutation.
#pragma once
#include <cstdint>
#include <vector>

#include "constants.hpp"
#include "context.hpp"
#include "pvalues.hpp"

namespace spearsim {

struct PermutationTestSpec {
  std::vector<uint32_t> counts;  // x group sizes in ascending-x order
  std::vector<int32_t> y;        // doubled centred ranks of y in data order (each block starts from it)
  uint64_t testKey = 0;
  uint64_t nPerm = 0;
  double lower = 0;  // a permutation counts when sxy4 <= lower ...
  double upper = 0;  // ... or sxy4 >= upper (integers, or beyond every reachable sxy4)
};

// Permutations at or beyond the thresholds among nPerm (cancellable between blocks).
uint64_t permutationTestCount(const PermutationTestSpec& spec, Context& ctx);

}  // namespace spearsim
