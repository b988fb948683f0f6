// Monte Carlo power of the Spearman test (docs/methods.md, "P-values and power"), shared bit for
// bit with lib/kernels/power.ts.
//
// Sim i of a power evaluation is dataset i of Rng(repStreamKey(powerKey, i, kStreamData)) drawn
// by the generator (generators.hpp), i.e. exactly the calibration datasets' layout, so the sims
// live in SignalSets (signal_set.hpp): the rho-independent parts of each dataset are drawn
// once, and every evaluation at another generator input only mixes, re-ranks (insertion re-sort)
// and tests. The same set evaluated at every bisection step is the common-random-numbers design of
// the search made literal: each step sees the very same datasets up to the mix.
//
// p-values: from the structure's precomputed null (p = (1 + N) / (1 + n_pre)), the t
// approximation (reject when |t| > t_crit, which is p < alpha for p = 2 (1 - T(|t|))), or per-sim
// Monte Carlo permutations. The MC path regenerates each dataset with Generator::generate (its
// permutations need the y ranks) and draws its permutations from
// Rng(repStreamKey(powerKey, i, kStreamPerm)): independent of chunking and thread count.
//
// Memory: the sims' sets are kept across evaluations when they fit in memoryLimit (minus the
// caller's fixed bytes); otherwise the sims are processed in chunks of the largest size that fits,
// each chunk's set rebuilt per evaluation. Results never depend on the chunking: per-sim values are
// pure functions of (sim, mix) and are tallied in sim order.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "signal_set.hpp"
#include "context.hpp"
#include "generators.hpp"
#include "pvalues.hpp"

namespace spearsim {

enum class PvalueMethod : uint32_t { kNull = 0, kMonteCarlo = 1, kTApprox = 2 };

// How one evaluation tests its sims.
struct PowerTest {
  PvalueMethod method = PvalueMethod::kNull;
  double alpha = 0.05;
  std::vector<double> sortedNull;  // kNull: sorted |rho| of the structure's null
  uint32_t nPerm = 0;              // kMonteCarlo
  double tCrit = 0;                // kTApprox: t_{n-2}(1 - alpha / 2)
};

struct PowerTally {
  uint64_t rejections = 0;
  double sumRho = 0;  // rho-hat summed in sim order
};

struct PowerPlan {
  uint64_t chunkSims;     // sims per chunk
  bool keepSets;          // all chunks stay in memory across evaluations
  uint64_t bytes;         // bytes the plan needs
  uint64_t minimalBytes;  // bytes with a chunk of one sim
};

// kMaxChunkSims (constants.hpp), the largest chunk of the native engine: a set of 4096 datasets of n = 80 is ~9 MB, so chunks stay
// cache-friendly and a single evaluation of many sims needs little memory. (lib/kernels/power.ts uses
// smaller chunks so that the fallback can yield between them; results never depend on the chunk.)

// Chunking of nSims sims under memoryLimit; fixedBytes = what the caller holds besides the sims
// (null copies, per-sim outputs). Sets are kept across evaluations when wanted (repeated
// evaluations, e.g. a bisection) and all of them fit. Throws ERR_MEMORY_LIMIT if one sim does
// not fit.
PowerPlan planPowerMemory(uint32_t n, uint64_t nSims, bool monteCarlo, bool wantKeep, int threads, uint64_t memoryLimit,
                          uint64_t fixedBytes, uint64_t maxChunk);

// One evaluation request: a full evaluation (per-sim outputs if keepPerSim) or, when bracketed, a
// bisection step given the regions at the bracket's ends (empty = that end not evaluated yet).
struct PowerRequest {
  Mix mix;
  bool keepPerSim = false;
  bool bracketed = false;
  std::vector<int8_t> lower, upper;
};

// What an evaluation returns: the tally (a bisection step leaves sumRho NaN) and, as requested,
// per-sim rho-hat and p-values or every sim's region.
struct PowerOutcome {
  PowerTally tally;
  std::vector<double> rho, p;
  std::vector<int8_t> regions;
};

// The sims of one scenario, generator and test, evaluated at any number of generator inputs.
class PowerSet {
 public:
  // counts: the x tie structure of the generator's template (the MC permutation layout).
  // Throws ERR_MEMORY_LIMIT (from the plan) if one sim does not fit.
  PowerSet(std::shared_ptr<const Generator> gen, std::vector<uint32_t> counts, uint64_t powerKey, uint64_t nSims,
           bool values, PowerTest test, bool keepSets, int threads, uint64_t memoryLimit, uint64_t fixedBytes);

  // One power evaluation at `mix` (on ctx.threads() threads: any count gives the same results).
  // rhoOut / pOut (nullable, nSims entries) receive per-sim rho-hat and p-value (NaN p under the t
  // approximation).
  PowerTally evaluate(Mix mix, Context& ctx, double* rhoOut, double* pOut);

  // Bracketed bisection (minDetectableRho). With common random numbers each sim's rho-hat is a
  // non-decreasing function of the generator input (its signal is t A + B with A increasing in the
  // x rank and t increasing in rho), and its test outcome depends on |rho-hat| only for the null
  // and t methods, so its region (-1 rejects low, 0 keeps H0, +1 rejects high) is monotone too.
  // A sim whose region is the same at both ends of the current bracket keeps it at any point
  // inside: only the others are re-evaluated. Exact: the rejection count equals a full
  // evaluation's. Falls back to full evaluations for Monte Carlo p-values or unkept sets.
  // evaluateBracketed writes every sim's region at `mix` to regionsOut (nSims entries) and returns
  // the rejections; lower/upper are the regions at the bracket's ends from earlier steps (null if
  // that end has not been evaluated). The bracket belongs to the caller, so concurrent searches on
  // one set do not interfere.
  uint64_t evaluateBracketed(Mix mix, const int8_t* lower, const int8_t* upper, int8_t* regionsOut, Context& ctx);

  // Runs a request on the path it asks for (evaluate or evaluateBracketed).
  PowerOutcome run(const PowerRequest& request, Context& ctx);

  uint64_t nSims() const { return nSims_; }
  uint32_t n() const { return gen_->n(); }
  // Threads of asynchronous evaluations (the count the plan was sized for).
  int threads() const { return threads_; }
  const PowerPlan& plan() const { return plan_; }

 private:
  PowerTally evaluateLocked(Mix mix, Context& ctx, double* rhoOut, double* pOut);
  // p is read by the Monte Carlo method only: the null and t tests decide from rho alone.
  bool rejects(double rho, double p) const;
  int8_t region(double rho, double p) const { return rejects(rho, p) ? (rho > 0 ? 1 : -1) : 0; }
  void chunkRhos(uint64_t chunk, uint64_t first, uint64_t count, Mix mix, Context& ctx, double* rho);
  void chunkMonteCarlo(uint64_t first, uint64_t count, Mix mix, Context& ctx, double* rho, double* p);

  std::mutex mutex_;  // one evaluation at a time (the sets' item orders are state)
  std::shared_ptr<const Generator> gen_;
  PermutationLayout layout_;
  uint64_t key_;
  uint64_t nSims_;
  bool values_;
  PowerTest test_;
  int64_t nullRejectIndex_ = -1;  // kNull: see nullRejectIndex (pvalues.hpp)
  int threads_;
  uint64_t memoryLimit_;
  PowerPlan plan_;
  std::vector<std::unique_ptr<SignalSet>> sets_;  // kept sets, one per chunk
};

}  // namespace spearsim
