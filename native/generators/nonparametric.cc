// Nonparametric rank mixing (the recommended generator): signal = rho s_x + sqrt(1 - rho^2) s_n
// with rho clipped to +-0.999; y values are n log-normal draws, the j-th smallest given to the
// item with the j-th smallest signal.
#include <algorithm>
#include <memory>

#include "generators/rank_noise.hpp"
#include "mathfn.hpp"
#include "normal_batch.hpp"
#include "ranks.hpp"

namespace spearsim {
namespace {

class Nonparametric final : public RankNoiseModel {
 public:
  using RankNoiseModel::RankNoiseModel;

  void values(Rng& rng, const DatasetParts& parts, const double* signal, double* y, GeneratorScratch& ws) const override {
    const auto n = static_cast<uint32_t>(parts.x.size());
    ws.draws.resize(n);
    drawNormals(rng, ws.draws.data(), n, simd_);
    for (uint32_t j = 0; j < n; ++j) ws.draws[j] = mathfn::exp(mu_ + sigma_ * ws.draws[j]);
    std::sort(ws.draws.begin(), ws.draws.end());
    stableOrder(signal, n, ws.order);
    for (uint32_t j = 0; j < n; ++j) y[ws.order[j]] = ws.draws[j];
  }
};

double mixCoefficient(double rho) { return clipGeneratorInput(rho); }

std::unique_ptr<const YModel> build(const GeneratorSpec& spec, const XTemplate& x) { return std::make_unique<Nonparametric>(spec, x); }

}  // namespace

extern const GeneratorEntry kNonparametricGenerator{"nonparametric", 0, false, false, mixCoefficient, build};

}  // namespace spearsim
