// Empirical pool: the nonparametric signal, with y values from a pool of known values (fixed,
// drawn with replacement, log-uniform), sorted and given in signal order. Pool values tie, so y
// is always values (never rank-only).
#include <algorithm>
#include <memory>

#include "generators/rank_noise.hpp"
#include "mathfn.hpp"
#include "ranks.hpp"

namespace spearsim {
namespace {

class Empirical final : public RankNoiseModel {
 public:
  Empirical(const GeneratorSpec& spec, const XTemplate& x) : RankNoiseModel(spec, x), pool_(spec.pool) {}

  void drawComponents(Rng& rng, DatasetParts& parts) const override {
    RankNoiseModel::drawComponents(rng, parts);
    parts.pool.assign(pool_.fixed.begin(), pool_.fixed.end());
    const auto sourceSize = static_cast<uint32_t>(pool_.fillSource.size());
    for (uint32_t f = 0; f < pool_.fillCount; ++f) parts.pool.push_back(pool_.fillSource[rng.bounded(sourceSize)]);
    for (uint32_t f = 0; f < pool_.logUniformCount; ++f) {
      parts.pool.push_back(mathfn::exp(pool_.logLo + pool_.logSpan * rng.uniform()));
    }
    std::sort(parts.pool.begin(), parts.pool.end());
  }

  void values(Rng&, const DatasetParts& parts, const double* signal, double* y, GeneratorScratch& ws) const override {
    const auto n = static_cast<uint32_t>(parts.x.size());
    stableOrder(signal, n, ws.order);
    for (uint32_t j = 0; j < n; ++j) y[ws.order[j]] = parts.pool[j];
  }

 private:
  EmpiricalPool pool_;
};

double mixCoefficient(double rho) { return clipGeneratorInput(rho); }

std::unique_ptr<const YModel> build(const GeneratorSpec& spec, const XTemplate& x) { return std::make_unique<Empirical>(spec, x); }

}  // namespace

extern const GeneratorEntry kEmpiricalGenerator{"empirical", 3, true, true, mixCoefficient, build};

}  // namespace spearsim
