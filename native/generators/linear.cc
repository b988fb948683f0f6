// Linear on the log scale: log y = mu + sigma (rho_p x_std + sqrt(1 - rho_p^2) eps) with
// x_std the standardised actual x values and rho_p = 2 sin(pi rho / 6) (|rho| < 1e-12: 0).
#include <cmath>
#include <memory>
#include <vector>

#include "generators.hpp"
#include "mathfn.hpp"
#include "normal_batch.hpp"

namespace spearsim {
namespace {

class Linear final : public YModel {
 public:
  Linear(const GeneratorSpec& spec, const XTemplate& x) : mu_(spec.mu), sigma_(spec.sigma), simd_(spec.simd), xStd_(x.values.size()) {
    // x_std on the actual values; a row's moments do not depend on its order
    const std::vector<double>& t = x.values;
    const auto n = static_cast<uint32_t>(t.size());
    double sum = 0;
    for (uint32_t p = 0; p < n; ++p) sum += t[p];
    const double mean = sum / n;
    double ss = 0;
    for (uint32_t p = 0; p < n; ++p) ss += (t[p] - mean) * (t[p] - mean);
    const double sd = std::sqrt(ss / n);
    for (uint32_t p = 0; p < n; ++p) xStd_[p] = sd <= 1e-12 ? 0.0 : (t[p] - mean) / sd;
  }

  void drawComponents(Rng& rng, DatasetParts& parts) const override {
    const auto n = static_cast<uint32_t>(xStd_.size());
    for (uint32_t i = 0; i < n; ++i) parts.a[i] = xStd_[parts.perm[i]];
    drawNormals(rng, parts.b.data(), n, simd_);
  }

  void values(Rng&, const DatasetParts&, const double* signal, double* y, GeneratorScratch&) const override {
    // the reference's floor sqrt(max(sigma^2 (1 - rho_p^2), 1e-12)) never binds
    // (sigma >= kMinSigma, |rho_p| <= 0.999)
    const auto n = static_cast<uint32_t>(xStd_.size());
    for (uint32_t i = 0; i < n; ++i) y[i] = mathfn::exp(mu_ + sigma_ * signal[i]);
  }

 private:
  double mu_;
  double sigma_;
  SimdLevel simd_;
  std::vector<double> xStd_;  // x_std of each template position
};

// |rho| < 1e-12 means independent y
double mixCoefficient(double rho) { return (rho < 0 ? -rho : rho) < kZeroRho ? 0.0 : spearmanToPearson(rho); }

std::unique_ptr<const YModel> build(const GeneratorSpec& spec, const XTemplate& x) { return std::make_unique<Linear>(spec, x); }

}  // namespace

extern const GeneratorEntry kLinearGenerator{"linear", 2, false, false, mixCoefficient, build};

}  // namespace spearsim
