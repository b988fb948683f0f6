// y generators (spec 02), shared bit for bit with lib/generators.ts.
//
// A dataset is drawn from its own data stream in two stages:
//   1. drawParts: everything that does not depend on the generator input rho — x (a Fisher-Yates
//      shuffle of the template), its midranks, and two signal components A, B (and, for the
//      empirical generator, the sorted pool of y values);
//   2. the signal A * mix.a + B * mix.b at one rho (MixAt), then finish(): its midranks
//      (rank-only y) or y values (further draws from the same stream, after all part draws).
// Calibration (calibration.hpp) evaluates exactly stage 1 + the signal, so it measures the very
// process that generates the data. y is a non-decreasing function of the signal, so rank-only y
// equals the midranks of value y (skip-y identity, spec 02).
//
//   generator      A                         B                      values
//   nonparametric  s_x = standardised mr(x)  s_n = standardised e   sorted log-normals by signal order
//   copula         z_x = ndtri(u(mr(x)))      eps ~ N(0, 1)          exp(mu + sigma clip(z_y))
//   linear         x_std (actual x values)   eps ~ N(0, 1)          exp(mu + sigma t)
//   empirical      s_x                       s_n                    sorted pool by signal order
//
// Every transcendental goes through mathfn (and kernelSin below); scalars that TypeScript passes
// in (mix, mu, sigma, log-uniform bounds) are computed once on the TypeScript side.
#pragma once
#include <cstdint>
#include <vector>

#include "line_vector.hpp"
#include "rng.hpp"
#include "simd.hpp"

namespace spearsim {

enum class GeneratorKind : uint32_t { kNonparametric = 0, kCopula = 1, kLinear = 2, kEmpirical = 3 };

constexpr double kRhoClip = 0.999;
constexpr double kZeroRho = 1e-12;
constexpr double kNoiseJitter = 0.49;      // U(-0.49, 0.49) added to the noise permutation
constexpr double kCopulaJitterSd = 1e-6;   // N(0, 1e-6^2) added to the copula u of x
constexpr double kCopulaUClip = 1e-8;      // u clipped to [1e-8, 1 - 1e-8]
constexpr double kMinSigma = 0.01;         // floor of the log-normal fit's sigma

// sin(x) for |x| <= pi/4 (fdlibm __kernel_sin with a zero tail): only +, -, *, so identical in
// C++ and TypeScript, unlike std::sin / Math.sin.
inline double kernelSin(double x) {
  constexpr double s1 = -1.66666666666666324348e-01;
  constexpr double s2 = 8.33333333332248946124e-03;
  constexpr double s3 = -1.98412698298579493134e-04;
  constexpr double s4 = 2.75573137070700676789e-06;
  constexpr double s5 = -2.50507602534068634195e-08;
  constexpr double s6 = 1.58969099521155010221e-10;
  const double ax = x < 0 ? -x : x;
  if (ax < 0x1.0p-27) return x;
  const double z = x * x;
  const double v = z * x;
  const double r = s2 + z * (s3 + z * (s4 + z * (s5 + z * s6)));
  return x + v * (s1 + z * r);
}

inline double clipRho(double r) { return r > kRhoClip ? kRhoClip : (r < -kRhoClip ? -kRhoClip : r); }

// Spearman -> Pearson for bivariate normals: clip(2 sin(pi rho / 6), +-0.999), rho in [-1, 1].
inline double spearmanToPearson(double rho) {
  constexpr double kPi = 3.141592653589793;
  return clipRho(2.0 * kernelSin((kPi * rho) / 6.0));
}

// Coefficients of the signal A * a + B * b.
struct Mix {
  double a = 0;
  double b = 1;
};

// The mix of generator `kind` at input rho (mirrors mixAt in lib/generators.ts).
Mix mixAt(GeneratorKind kind, double rho);

// Empirical y pool (spec 02 §4): `fixed` (fixed and extra-fixed values) appears in every
// dataset, then fillCount draws with replacement from fillSource, then logUniformCount draws
// exp(logLo + logSpan * U). The sizes add up to n.
struct EmpiricalPool {
  std::vector<double> fixed;
  std::vector<double> fillSource;
  uint32_t fillCount = 0;
  uint32_t logUniformCount = 0;
  double logLo = 0;
  double logSpan = 0;
};

struct GeneratorSpec {
  GeneratorKind kind = GeneratorKind::kNonparametric;
  std::vector<double> xTemplate;  // sorted ascending, at least two distinct values
  bool rowMoments = false;        // per-dataset variant: s_n from e's own mean and SD (spec 02 §1)
  double mu = 0;                  // log-normal fit of y values
  double sigma = 1;
  EmpiricalPool pool;             // empirical only
  SimdLevel simd = SimdLevel::kScalar;  // vector paths allowed (simdLevel(), read on the JS thread)
};

// The rho-independent draws of one dataset (per-thread: on cache lines of its own).
struct DatasetParts {
  LineVector<uint32_t> perm;    // template position of each item
  LineVector<double> x;
  LineVector<int32_t> xRank2;   // doubled centred midranks of x
  LineVector<double> a, b;      // signal components
  LineVector<double> pool;      // empirical: the dataset's y pool, sorted ascending
};

// Scratch of one full dataset generation (per-thread: on cache lines of its own).
struct GeneratorScratch {
  DatasetParts parts;
  LineVector<double> signal;
  LineVector<double> draws;
  LineVector<int64_t> rank2;
  LineVector<uint32_t> order;
};

class Generator {
 public:
  // Validates the spec (throws KernelError) and precomputes the per-template quantities.
  explicit Generator(GeneratorSpec spec);

  uint32_t n() const { return n_; }
  GeneratorKind kind() const { return spec_.kind; }
  // Sum of t^3 - t over the x tie groups (the same for every dataset).
  double xTies() const { return xTies_; }

  // Stage 1 from the dataset's data stream.
  void drawParts(Rng& rng, DatasetParts& parts) const;
  // signal[i] = parts.a[i] * mix.a + parts.b[i] * mix.b
  void signal(const DatasetParts& parts, Mix mix, double* out) const;
  // y from the signal: midranks (values = false; not for empirical) or values (draws from rng).
  void finish(Rng& rng, const DatasetParts& parts, const double* signal, bool values, double* y,
              GeneratorScratch& ws) const;
  // One whole dataset from its data stream: x and y.
  void generate(Rng& rng, Mix mix, bool values, GeneratorScratch& ws, double* x, double* y) const;

 private:
  GeneratorSpec spec_;
  uint32_t n_ = 0;
  double xTies_ = 0;
  std::vector<int32_t> tmplRank2_;  // doubled centred midrank of each template position
  std::vector<double> tmplA_;       // s_x (nonparametric, empirical), u of mr(x) (copula), x_std (linear)
  double noiseCentre_ = 0;          // population constants of s_n
  double noiseScale_ = 1;
  double zClipLo_ = 0;              // copula values: ndtri(1e-8), ndtri(1 - 1e-8)
  double zClipHi_ = 0;
};

}  // namespace spearsim
