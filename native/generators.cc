#include "generators.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "bootstrap.hpp"
#include "errors.hpp"
#include "ranks.hpp"

namespace spearsim {

Mix mixAt(const GeneratorEntry& entry, double rho) {
  const double c = entry.mixCoefficient(rho);
  return Mix{c, std::sqrt(1.0 - c * c)};
}

namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw KernelError(code::kOutOfRange, message + " (native check)");
}

bool allFinite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double d) { return std::isfinite(d); });
}

void checkPool(const EmpiricalPool& pool, uint32_t n) {
  require(pool.fixed.size() + pool.fillCount + pool.logUniformCount == n, "empirical pool sizes must add up to n");
  require(pool.fillCount == 0 || !pool.fillSource.empty(), "fillSource must not be empty when fillCount > 0");
  require(pool.fillSource.size() < 4294967295u, "fillSource is too long");
  require(allFinite(pool.fixed) && allFinite(pool.fillSource), "pool values must be finite");
  require(std::isfinite(pool.logLo) && std::isfinite(pool.logSpan) && pool.logSpan >= 0, "log-uniform bounds must be finite, lo <= hi");
}

}  // namespace

Generator::Generator(GeneratorSpec spec) : spec_(std::move(spec)) {
  entry_ = generatorEntry(spec_.kind);
  require(entry_ != nullptr && entry_->code == spec_.kind, "generator kind must be a code of the generator table");
  const std::vector<double>& t = spec_.xTemplate;
  require(t.size() >= 3 && t.size() <= kMaxExactN, "xTemplate must hold between 3 and " + std::to_string(kMaxExactN) + " values");
  require(allFinite(t) && std::is_sorted(t.begin(), t.end()), "xTemplate must be finite and sorted ascending");
  require(t.front() < t.back(), "xTemplate must hold at least two distinct values");
  require(std::isfinite(spec_.mu) && std::isfinite(spec_.sigma) && spec_.sigma >= kMinSigma, "mu must be finite and sigma >= 0.01");
  n_ = static_cast<uint32_t>(t.size());

  // x midranks per template position (runs of equal values)
  tmplRank2_.resize(n_);
  for (uint32_t i = 0; i < n_;) {
    uint32_t j = i + 1;
    while (j < n_ && t[j] == t[i]) ++j;
    for (uint32_t p = i; p < j; ++p) tmplRank2_[p] = static_cast<int32_t>(static_cast<int64_t>(i) + j - n_);
    const double size = j - i;
    xTies_ += size * size * size - size;
    i = j;
  }
  if (entry_->needsPool) checkPool(spec_.pool, n_);
  model_ = entry_->build(spec_, XTemplate{t, tmplRank2_, xTies_});
}

void Generator::drawParts(Rng& rng, DatasetParts& parts) const {
  const uint32_t n = n_;
  parts.perm.resize(n);
  parts.x.resize(n);
  parts.xRank2.resize(n);
  parts.a.resize(n);
  parts.b.resize(n);
  std::iota(parts.perm.begin(), parts.perm.end(), 0u);
  rng.shuffle(parts.perm.data(), n);  // the same draws as shuffling the template values
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t p = parts.perm[i];
    parts.x[i] = spec_.xTemplate[p];
    parts.xRank2[i] = tmplRank2_[p];
  }
  model_->drawComponents(rng, parts);
}

void Generator::signal(const DatasetParts& parts, Mix mix, double* out) const {
  const double* a = parts.a.data();
  const double* b = parts.b.data();
  for (uint32_t i = 0; i < n_; ++i) out[i] = a[i] * mix.a + b[i] * mix.b;
}

void Generator::finish(Rng& rng, const DatasetParts& parts, const double* signal, bool values, double* y,
                       GeneratorScratch& ws) const {
  const uint32_t n = n_;
  if (!values) {
    require(!entry_->needsValues, std::string("rank-only y is invalid for the ") + entry_->name + " generator (pool ties)");
    ws.rank2.resize(n);
    doubledCentredRanks(signal, n, ws.rank2.data(), ws.order);
    const double shift = n + 1.0;
    for (uint32_t i = 0; i < n; ++i) y[i] = (static_cast<double>(ws.rank2[i]) + shift) / 2;
    return;
  }
  model_->values(rng, parts, signal, y, ws);
}

void Generator::generate(Rng& rng, Mix mix, bool values, GeneratorScratch& ws, double* x, double* y) const {
  drawParts(rng, ws.parts);
  ws.signal.resize(n_);
  signal(ws.parts, mix, ws.signal.data());
  finish(rng, ws.parts, ws.signal.data(), values, y, ws);
  std::copy(ws.parts.x.begin(), ws.parts.x.end(), x);
}

void Generator::generateMany(uint64_t baseKey, uint64_t repOffset, uint64_t count, Mix mix, bool values, double* x,
                             double* y) const {
  GeneratorScratch ws;
  for (uint64_t r = 0; r < count; ++r) {
    Rng rng(repStreamKey(baseKey, repOffset + r, kStreamData));
    generate(rng, mix, values, ws, x + r * n_, y + r * n_);
  }
}

}  // namespace spearsim
