// Pool y models: y values from a pool (spec.pool), given in the order of another generator's
// signal (the pool's j-th smallest value goes to the item with the j-th smallest signal). A fixed
// pool of ordinal levels makes this the ordinal discretisation of that generator's y with a fixed
// margin; a pilot sample drawn with replacement makes it an empirical pool (docs/methods.md,
// "Generators" and "Planning your own study"). Pool values tie, so y is always values.
#pragma once
#include <memory>

#include "generators.hpp"

namespace spearsim {

// A dataset's pool from the data stream: the fixed values, fillCount draws with replacement from
// fillSource, logUniformCount log-uniform values; sorted ascending.
void drawPool(Rng& rng, const EmpiricalPool& pool, LineVector<double>& out);

// The signal model's components, then the pool; y = the pool in signal order.
class PooledModel final : public YModel {
 public:
  PooledModel(std::unique_ptr<const YModel> signal, const EmpiricalPool& pool) : signal_(std::move(signal)), pool_(pool) {}
  void drawComponents(Rng& rng, DatasetParts& parts) const override;
  void values(Rng& rng, const DatasetParts& parts, const double* signal, double* y, GeneratorScratch& ws) const override;

 private:
  std::unique_ptr<const YModel> signal_;
  EmpiricalPool pool_;
};

// Entry functions of the pool variant of a registered generator `Signal`.
template <const GeneratorEntry& Signal>
double pooledMix(double rho) {
  return Signal.mixCoefficient(rho);
}
template <const GeneratorEntry& Signal>
std::unique_ptr<const YModel> buildPooled(const GeneratorSpec& spec, const XTemplate& x) {
  return std::make_unique<PooledModel>(Signal.build(spec, x), spec.pool);
}

}  // namespace spearsim
