// Pool y models (generators/pooled.hpp).
#include "generators/pooled.hpp"

#include <algorithm>

#include "mathfn.hpp"
#include "ranks.hpp"

namespace spearsim {

void drawPool(Rng& rng, const EmpiricalPool& pool, LineVector<double>& out) {
  out.assign(pool.fixed.begin(), pool.fixed.end());
  const auto sourceSize = static_cast<uint32_t>(pool.fillSource.size());
  for (uint32_t f = 0; f < pool.fillCount; ++f) out.push_back(pool.fillSource[rng.bounded(sourceSize)]);
  for (uint32_t f = 0; f < pool.logUniformCount; ++f) out.push_back(mathfn::exp(pool.logLo + pool.logSpan * rng.uniform()));
  std::sort(out.begin(), out.end());
}

void PooledModel::drawComponents(Rng& rng, DatasetParts& parts) const {
  signal_->drawComponents(rng, parts);
  drawPool(rng, pool_, parts.pool);
}

void PooledModel::values(Rng&, const DatasetParts& parts, const double* signal, double* y, GeneratorScratch& ws) const {
  const auto n = static_cast<uint32_t>(parts.x.size());
  stableOrder(signal, n, ws.order);
  for (uint32_t j = 0; j < n; ++j) y[ws.order[j]] = parts.pool[j];
}

}  // namespace spearsim
