#include "calibration.hpp"

#include <algorithm>
#include <cmath>

namespace spearsim {

CalibrationSet::CalibrationSet(const Generator& gen, uint64_t key, uint32_t nCal, uint64_t memoryLimit, Context& ctx)
    : datasets_(gen, key, 0, nCal, memoryLimit, ctx), rhos_(nCal) {}

double CalibrationSet::meanSpearman(double rho, Context& ctx) {
  const auto hit = memo_.find(rho);
  if (hit != memo_.end()) return hit->second;
  ctx.throwIfCancelled();
  datasets_.datasetRhos(mixAt(datasets_.generator().entry(), rho), rhos_.data(), ctx);
  double sum = 0;
  for (const double r : rhos_) sum += r;
  const double f = sum / static_cast<double>(rhos_.size());
  memo_.emplace(rho, f);
  ++evaluations_;
  return f;
}

ProbeSolution CalibrationSet::solve(double p, const BisectionSettings& s, Context& ctx) {
  double lo = 0;
  double hi = std::min(2 * p, s.hiCap);
  double fHi = meanSpearman(hi, ctx);
  if (fHi < p) {
    hi = s.hiCap;
    fHi = meanSpearman(hi, ctx);
    if (fHi < p) return ProbeSolution{std::nan(""), std::nan("")};  // the structure's ceiling
  }
  for (uint32_t it = 0; it < s.maxIter; ++it) {
    const double mid = (lo + hi) / 2;
    const double f = meanSpearman(mid, ctx);
    if (f < p) {
      lo = mid;
    } else {
      hi = mid;
      fHi = f;
    }
    if (hi - lo < s.tolerance) break;
  }
  const double fLo = meanSpearman(lo, ctx);
  return std::abs(fHi - p) <= std::abs(fLo - p) ? ProbeSolution{hi, fHi} : ProbeSolution{lo, fLo};
}

CalibrationRun calibrate(const Generator& gen, uint64_t key, uint32_t nCal, uint64_t memoryLimit,
                         const std::vector<double>& probes, const std::vector<double>& rhos, const BisectionSettings& settings,
                         Context& ctx) {
  CalibrationSet set(gen, key, nCal, memoryLimit, ctx);
  CalibrationRun out;
  for (const double p : probes) out.solutions.push_back(set.solve(p, settings, ctx));
  for (const double r : rhos) out.curve.push_back(set.meanSpearman(r, ctx));
  out.evaluations = set.evaluations();
  return out;
}

}  // namespace spearsim
