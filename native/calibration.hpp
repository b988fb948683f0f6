// Calibration of the generator input (docs/methods.md, "Calibration"), shared bit for bit with
// lib/kernels/calibration.ts: F(rho) = mean over n_cal datasets of Spearman(x, y(rho)), on one
// SignalSet (signal_set.hpp) of the generating process, summed in dataset order; each probe is
// solved by bisection on those common random numbers.
#pragma once
#include <cstdint>
#include <map>
#include <vector>

#include "context.hpp"
#include "generators.hpp"
#include "signal_set.hpp"

namespace spearsim {

struct BisectionSettings {
  uint32_t maxIter = 25;
  double tolerance = 5e-5;
  double hiCap = 0.999;
};

// Solution of F(rhoIn) = probe; unreachable probes have rhoIn = achieved = NaN.
struct ProbeSolution {
  double rhoIn;
  double achieved;
};

class CalibrationSet {
 public:
  // The calibration datasets 0 .. nCal - 1 of `key` (see SignalSet); throws ERR_MEMORY_LIMIT if
  // they exceed memoryLimit.
  CalibrationSet(const Generator& gen, uint64_t key, uint32_t nCal, uint64_t memoryLimit, Context& ctx);

  // F(rho) = mean of the datasets' Spearman at mixAt(generator, rho), summed in dataset order;
  // memoised.
  double meanSpearman(double rho, Context& ctx);

  // Bisection for probe p > 0: returns the endpoint whose F is closer to p.
  ProbeSolution solve(double probe, const BisectionSettings& settings, Context& ctx);

  // Evaluations of F actually computed (memo misses).
  uint32_t evaluations() const { return evaluations_; }

 private:
  SignalSet datasets_;
  std::vector<double> rhos_;  // per-dataset Spearman of the current evaluation
  std::map<double, double> memo_;
  uint32_t evaluations_ = 0;
};

// What one calibration job computes: every probe solved and F at every listed input.
struct CalibrationRun {
  std::vector<ProbeSolution> solutions;  // one per probe
  std::vector<double> curve;             // F at each of rhos
  uint32_t evaluations = 0;              // evaluations of F computed
};

// Solves `probes` and evaluates F at `rhos` on one calibration set of nCal datasets.
CalibrationRun calibrate(const Generator& gen, uint64_t key, uint32_t nCal, uint64_t memoryLimit,
                         const std::vector<double>& probes, const std::vector<double>& rhos, const BisectionSettings& settings,
                         Context& ctx);

}  // namespace spearsim
