// Gaussian copula: signal = rho_p z_x + sqrt(1 - rho_p^2) eps with rho_p = 2 sin(pi rho / 6),
// z_x = ndtri(u) of x's jittered midrank scores; y = exp(mu + sigma clip(signal)).
#include <memory>
#include <vector>

#include "generators.hpp"
#include "mathfn.hpp"
#include "normal_batch.hpp"

namespace spearsim {
namespace {

constexpr double kJitterSd = 1e-6;  // N(0, 1e-6^2) added to the copula u of x
constexpr double kUClip = 1e-8;     // u clipped to [1e-8, 1 - 1e-8]

class Copula final : public YModel {
 public:
  Copula(const GeneratorSpec& spec, const XTemplate& x)
      : mu_(spec.mu), sigma_(spec.sigma), simd_(spec.simd), u_(x.values.size()),
        zClipLo_(mathfn::ndtri(kUClip)), zClipHi_(mathfn::ndtri(1.0 - kUClip)) {
    const double n = static_cast<double>(x.values.size());
    // u = (mr - 0.5) / n, before the jitter
    for (size_t p = 0; p < u_.size(); ++p) u_[p] = (x.rank2[p] + n) / (2.0 * n);
  }

  void drawComponents(Rng& rng, DatasetParts& parts) const override {
    const auto n = static_cast<uint32_t>(u_.size());
    double* a = parts.a.data();
    // the jitter normals, then the signal's normal scores, then the noise: the draws of
    // u_i = A_i + sd * normal() followed by n normal() calls, in batches
    drawNormals(rng, a, n, simd_);
    for (uint32_t i = 0; i < n; ++i) {
      const double u = u_[parts.perm[i]] + kJitterSd * a[i];
      a[i] = u < kUClip ? kUClip : (u > 1.0 - kUClip ? 1.0 - kUClip : u);
    }
    ndtriInPlace(a, n, simd_);
    drawNormals(rng, parts.b.data(), n, simd_);
  }

  void values(Rng&, const DatasetParts&, const double* signal, double* y, GeneratorScratch&) const override {
    // exp(mu + sigma Phi^-1(clip(Phi(z)))) = exp(mu + sigma clip(z, ndtri(1e-8), ndtri(1 - 1e-8)))
    const auto n = static_cast<uint32_t>(u_.size());
    for (uint32_t i = 0; i < n; ++i) {
      const double z = signal[i] < zClipLo_ ? zClipLo_ : (signal[i] > zClipHi_ ? zClipHi_ : signal[i]);
      y[i] = mathfn::exp(mu_ + sigma_ * z);
    }
  }

 private:
  double mu_;
  double sigma_;
  SimdLevel simd_;
  std::vector<double> u_;  // u of each template position
  double zClipLo_;
  double zClipHi_;
};

double mixCoefficient(double rho) { return spearmanToPearson(rho); }

std::unique_ptr<const YModel> build(const GeneratorSpec& spec, const XTemplate& x) { return std::make_unique<Copula>(spec, x); }

}  // namespace

extern const GeneratorEntry kCopulaGenerator{"copula", 1, false, false, mixCoefficient, build};

}  // namespace spearsim
