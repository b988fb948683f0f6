#include "generators.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "errors.hpp"
#include "mathfn.hpp"
#include "normal_batch.hpp"
#include "ranks.hpp"

namespace spearsim {

Mix mixAt(GeneratorKind kind, double rho) {
  double c = 0;
  switch (kind) {
    case GeneratorKind::kNonparametric:
    case GeneratorKind::kEmpirical:
      c = clipRho(rho);
      break;
    case GeneratorKind::kCopula:
      c = spearmanToPearson(rho);
      break;
    case GeneratorKind::kLinear:
      // |rho| < 1e-12 means independent y (spec 02 §3)
      c = (rho < 0 ? -rho : rho) < kZeroRho ? 0.0 : spearmanToPearson(rho);
      break;
  }
  return Mix{c, std::sqrt(1.0 - c * c)};
}

namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw KernelError(code::kOutOfRange, message + " (native check)");
}

bool allFinite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double d) { return std::isfinite(d); });
}

}  // namespace

Generator::Generator(GeneratorSpec spec) : spec_(std::move(spec)) {
  const std::vector<double>& t = spec_.xTemplate;
  require(t.size() >= 3 && t.size() <= kMaxExactN, "xTemplate must hold between 3 and " + std::to_string(kMaxExactN) + " values");
  require(allFinite(t) && std::is_sorted(t.begin(), t.end()), "xTemplate must be finite and sorted ascending");
  require(t.front() < t.back(), "xTemplate must hold at least two distinct values");
  require(std::isfinite(spec_.mu) && std::isfinite(spec_.sigma) && spec_.sigma >= kMinSigma, "mu must be finite and sigma >= 0.01");
  n_ = static_cast<uint32_t>(t.size());
  const double n = n_;

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

  tmplA_.resize(n_);
  switch (spec_.kind) {
    case GeneratorKind::kNonparametric:
    case GeneratorKind::kEmpirical: {
      // s_x = (mr - mean) / sd with the exact population SD of tied midranks
      const double sd = std::sqrt((n * n * n - n - xTies_) / (12.0 * n));
      for (uint32_t p = 0; p < n_; ++p) tmplA_[p] = (0.5 * tmplRank2_[p]) / sd;
      break;
    }
    case GeneratorKind::kCopula:
      // u = (mr - 0.5) / n, before the jitter
      for (uint32_t p = 0; p < n_; ++p) tmplA_[p] = (tmplRank2_[p] + n) / (2.0 * n);
      break;
    case GeneratorKind::kLinear: {
      // x_std on the actual values; a row's moments do not depend on its order
      double sum = 0;
      for (uint32_t p = 0; p < n_; ++p) sum += t[p];
      const double mean = sum / n;
      double ss = 0;
      for (uint32_t p = 0; p < n_; ++p) ss += (t[p] - mean) * (t[p] - mean);
      const double sd = std::sqrt(ss / n);
      for (uint32_t p = 0; p < n_; ++p) tmplA_[p] = sd <= 1e-12 ? 0.0 : (t[p] - mean) / sd;
      break;
    }
    default:
      require(false, "generator kind must be 0 (nonparametric), 1 (copula), 2 (linear) or 3 (empirical)");
  }

  noiseCentre_ = (n + 1.0) / 2.0;
  noiseScale_ = std::sqrt((n * n - 1.0) / 12.0);
  zClipLo_ = mathfn::ndtri(kCopulaUClip);
  zClipHi_ = mathfn::ndtri(1.0 - kCopulaUClip);

  if (spec_.kind == GeneratorKind::kEmpirical) {
    const EmpiricalPool& pool = spec_.pool;
    require(pool.fixed.size() + pool.fillCount + pool.logUniformCount == n_, "empirical pool sizes must add up to n");
    require(pool.fillCount == 0 || !pool.fillSource.empty(), "fillSource must not be empty when fillCount > 0");
    require(pool.fillSource.size() < 4294967295u, "fillSource is too long");
    require(allFinite(pool.fixed) && allFinite(pool.fillSource), "pool values must be finite");
    require(std::isfinite(pool.logLo) && std::isfinite(pool.logSpan) && pool.logSpan >= 0, "log-uniform bounds must be finite, lo <= hi");
  }
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
  double* a = parts.a.data();
  double* b = parts.b.data();

  switch (spec_.kind) {
    case GeneratorKind::kNonparametric:
    case GeneratorKind::kEmpirical: {
      // e = permutation of 1..n plus U(-0.49, 0.49) jitter, standardised to s_n
      for (uint32_t i = 0; i < n; ++i) b[i] = i + 1.0;
      rng.shuffle(b, n);
      for (uint32_t i = 0; i < n; ++i) b[i] = b[i] + (-kNoiseJitter + 2 * kNoiseJitter * rng.uniform());
      double centre = noiseCentre_;
      double scale = noiseScale_;
      if (spec_.rowMoments) {
        double sum = 0;
        for (uint32_t i = 0; i < n; ++i) sum += b[i];
        centre = sum / n;
        double ss = 0;
        for (uint32_t i = 0; i < n; ++i) ss += (b[i] - centre) * (b[i] - centre);
        scale = std::sqrt(ss / n);
      }
      // two loops: the division alone vectorises
      for (uint32_t i = 0; i < n; ++i) b[i] = (b[i] - centre) / scale;
      for (uint32_t i = 0; i < n; ++i) a[i] = tmplA_[parts.perm[i]];
      break;
    }
    case GeneratorKind::kCopula:
      // the jitter normals, then the signal's normal scores, then the noise: the draws of
      // u_i = A_i + sd * normal() followed by n normal() calls, in batches
      drawNormals(rng, a, n, spec_.simd);
      for (uint32_t i = 0; i < n; ++i) {
        const double u = tmplA_[parts.perm[i]] + kCopulaJitterSd * a[i];
        a[i] = u < kCopulaUClip ? kCopulaUClip : (u > 1.0 - kCopulaUClip ? 1.0 - kCopulaUClip : u);
      }
      ndtriInPlace(a, n, spec_.simd);
      drawNormals(rng, b, n, spec_.simd);
      break;
    case GeneratorKind::kLinear:
      for (uint32_t i = 0; i < n; ++i) a[i] = tmplA_[parts.perm[i]];
      drawNormals(rng, b, n, spec_.simd);
      break;
  }

  if (spec_.kind == GeneratorKind::kEmpirical) {
    const EmpiricalPool& pool = spec_.pool;
    parts.pool.assign(pool.fixed.begin(), pool.fixed.end());
    const auto sourceSize = static_cast<uint32_t>(pool.fillSource.size());
    for (uint32_t f = 0; f < pool.fillCount; ++f) parts.pool.push_back(pool.fillSource[rng.bounded(sourceSize)]);
    for (uint32_t f = 0; f < pool.logUniformCount; ++f) {
      parts.pool.push_back(mathfn::exp(pool.logLo + pool.logSpan * rng.uniform()));
    }
    std::sort(parts.pool.begin(), parts.pool.end());
  }
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
    require(spec_.kind != GeneratorKind::kEmpirical, "rank-only y is invalid for the empirical generator (pool ties)");
    ws.rank2.resize(n);
    doubledCentredRanks(signal, n, ws.rank2.data(), ws.order);
    const double shift = n + 1.0;
    for (uint32_t i = 0; i < n; ++i) y[i] = (static_cast<double>(ws.rank2[i]) + shift) / 2;
    return;
  }
  const double mu = spec_.mu;
  const double sigma = spec_.sigma;
  switch (spec_.kind) {
    case GeneratorKind::kNonparametric:
      // n log-normal values, the j-th smallest to the item with the j-th smallest signal
      ws.draws.resize(n);
      drawNormals(rng, ws.draws.data(), n, spec_.simd);
      for (uint32_t j = 0; j < n; ++j) ws.draws[j] = mathfn::exp(mu + sigma * ws.draws[j]);
      std::sort(ws.draws.begin(), ws.draws.end());
      stableOrder(signal, n, ws.order);
      for (uint32_t j = 0; j < n; ++j) y[ws.order[j]] = ws.draws[j];
      break;
    case GeneratorKind::kEmpirical:
      stableOrder(signal, n, ws.order);
      for (uint32_t j = 0; j < n; ++j) y[ws.order[j]] = parts.pool[j];
      break;
    case GeneratorKind::kCopula:
      // exp(mu + sigma Phi^-1(clip(Phi(z)))) = exp(mu + sigma clip(z, ndtri(1e-8), ndtri(1 - 1e-8)))
      for (uint32_t i = 0; i < n; ++i) {
        const double z = signal[i] < zClipLo_ ? zClipLo_ : (signal[i] > zClipHi_ ? zClipHi_ : signal[i]);
        y[i] = mathfn::exp(mu + sigma * z);
      }
      break;
    case GeneratorKind::kLinear:
      // log y = mu + sigma (rho_p x_std + sqrt(1 - rho_p^2) eps): the spec's floor
      // sqrt(max(sigma^2 (1 - rho_p^2), 1e-12)) never binds (sigma >= kMinSigma, |rho_p| <= 0.999)
      for (uint32_t i = 0; i < n; ++i) y[i] = mathfn::exp(mu + sigma * signal[i]);
      break;
  }
}

void Generator::generate(Rng& rng, Mix mix, bool values, GeneratorScratch& ws, double* x, double* y) const {
  drawParts(rng, ws.parts);
  ws.signal.resize(n_);
  signal(ws.parts, mix, ws.signal.data());
  finish(rng, ws.parts, ws.signal.data(), values, y, ws);
  std::copy(ws.parts.x.begin(), ws.parts.x.end(), x);
}

}  // namespace spearsim
