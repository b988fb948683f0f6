// Null: y independent of x whatever the input rho (signal = eps ~ N(0, 1), y = exp(mu + sigma eps)).
// A baseline for checks and examples; no study stage runs it.
#include <memory>

#include "generators.hpp"
#include "mathfn.hpp"
#include "normal_batch.hpp"

namespace spearsim {
namespace {

class Null final : public YModel {
 public:
  Null(const GeneratorSpec& spec, const XTemplate& x) : mu_(spec.mu), sigma_(spec.sigma), simd_(spec.simd), n_(static_cast<uint32_t>(x.values.size())) {}

  void drawComponents(Rng& rng, DatasetParts& parts) const override {
    for (uint32_t i = 0; i < n_; ++i) parts.a[i] = 0.0;
    drawNormals(rng, parts.b.data(), n_, simd_);
  }

  void values(Rng&, const DatasetParts&, const double* signal, double* y, GeneratorScratch&) const override {
    for (uint32_t i = 0; i < n_; ++i) y[i] = mathfn::exp(mu_ + sigma_ * signal[i]);
  }

 private:
  double mu_;
  double sigma_;
  SimdLevel simd_;
  uint32_t n_;
};

double mixCoefficient(double) { return 0.0; }

std::unique_ptr<const YModel> build(const GeneratorSpec& spec, const XTemplate& x) { return std::make_unique<Null>(spec, x); }

}  // namespace

extern const GeneratorEntry kNullGenerator{"null", 4, false, false, mixCoefficient, build};

}  // namespace spearsim
