// The rank-mixing components shared by the nonparametric and empirical generators:
// A = s_x, the standardised midranks of x; B = s_n, a random permutation of 1..n plus
// U(-0.49, 0.49) jitter, standardised by the population constants of such a permutation or, in
// the per-dataset variant (spec.rowMoments), by its own mean and SD.
#pragma once
#include <cmath>
#include <vector>

#include "generators.hpp"

namespace spearsim {

class RankNoiseModel : public YModel {
 public:
  RankNoiseModel(const GeneratorSpec& spec, const XTemplate& x)
      : rowMoments_(spec.rowMoments), mu_(spec.mu), sigma_(spec.sigma), simd_(spec.simd), sx_(x.values.size()) {
    const double n = static_cast<double>(x.values.size());
    // s_x = (mr - mean) / sd with the exact population SD of tied midranks
    const double sd = std::sqrt((n * n * n - n - x.ties) / (12.0 * n));
    for (size_t p = 0; p < sx_.size(); ++p) sx_[p] = (0.5 * x.rank2[p]) / sd;
    noiseCentre_ = (n + 1.0) / 2.0;
    noiseScale_ = std::sqrt((n * n - 1.0) / 12.0);
  }

  void drawComponents(Rng& rng, DatasetParts& parts) const override {
    const auto n = static_cast<uint32_t>(sx_.size());
    double* a = parts.a.data();
    double* b = parts.b.data();
    for (uint32_t i = 0; i < n; ++i) b[i] = i + 1.0;
    rng.shuffle(b, n);
    for (uint32_t i = 0; i < n; ++i) b[i] = b[i] + (-kNoiseJitter + 2 * kNoiseJitter * rng.uniform());
    double centre = noiseCentre_;
    double scale = noiseScale_;
    if (rowMoments_) {
      double sum = 0;
      for (uint32_t i = 0; i < n; ++i) sum += b[i];
      centre = sum / n;
      double ss = 0;
      for (uint32_t i = 0; i < n; ++i) ss += (b[i] - centre) * (b[i] - centre);
      scale = std::sqrt(ss / n);
    }
    // two loops: the division alone vectorises
    for (uint32_t i = 0; i < n; ++i) b[i] = (b[i] - centre) / scale;
    for (uint32_t i = 0; i < n; ++i) a[i] = sx_[parts.perm[i]];
  }

 protected:
  static constexpr double kNoiseJitter = 0.49;  // U(-0.49, 0.49) added to the noise permutation
  bool rowMoments_;
  double mu_;
  double sigma_;
  SimdLevel simd_;

 private:
  std::vector<double> sx_;  // s_x of each template position
  double noiseCentre_ = 0;  // population constants of s_n
  double noiseScale_ = 1;
};

}  // namespace spearsim
