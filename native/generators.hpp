// y generators, shared bit for bit with lib/kernels/generators.ts (docs/methods.md, "Generators").
//
// A dataset is drawn from its own data stream in two stages:
//   1. drawParts: everything that does not depend on the generator input rho — x (a Fisher-Yates
//      shuffle of the template), its midranks, and two signal components A, B (and, for a
//      generator with a pool, the sorted pool of y values);
//   2. the signal A * mix.a + B * mix.b at one rho (mixAt), then finish(): its midranks
//      (rank-only y) or y values (further draws from the same stream, after all part draws).
// Calibration (calibration.hpp) evaluates exactly stage 1 + the signal, so it measures the very
// process that generates the data. y is a non-decreasing function of the signal, so rank-only y
// equals the midranks of value y (skip-y identity).
//
// Each generator is one file in native/generators/ (its y model: A, B and the y values) and one
// line in native/generators/registry.cc; Generator below does the parts every generator shares.
// Every transcendental goes through mathfn (and kernelSin below); scalars that TypeScript passes
// in (mix, mu, sigma, log-uniform bounds) are computed once on the TypeScript side.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "line_vector.hpp"
#include "rng.hpp"
#include "simd.hpp"

namespace spearsim {

constexpr double kRhoClip = 0.999;
constexpr double kZeroRho = 1e-12;
constexpr double kMinSigma = 0.01;  // floor of the log-normal fit's sigma

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

// A generator input (or the Pearson correlation it mixes with), clipped to [-0.999, 0.999].
inline double clipGeneratorInput(double r) { return r > kRhoClip ? kRhoClip : (r < -kRhoClip ? -kRhoClip : r); }

// Spearman -> Pearson for bivariate normals: clip(2 sin(pi rho / 6), +-0.999), rho in [-1, 1].
inline double spearmanToPearson(double rho) {
  constexpr double kPi = 3.141592653589793;
  return clipGeneratorInput(2.0 * kernelSin((kPi * rho) / 6.0));
}

// Coefficients of the signal A * a + B * b.
struct Mix {
  double a = 0;
  double b = 1;
};

// Empirical y pool: `fixed` (fixed and extra-fixed values) appears in every dataset, then
// fillCount draws with replacement from fillSource, then logUniformCount draws
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
  uint32_t kind = 0;              // code of the generator (its registry entry)
  std::vector<double> xTemplate;  // sorted ascending, at least two distinct values
  bool rowMoments = false;        // per-dataset variant: noise standardised by its own moments
  double mu = 0;                  // log-normal fit of y values
  double sigma = 1;
  EmpiricalPool pool;             // generators that need a pool only
  SimdLevel simd = SimdLevel::kScalar;  // vector paths allowed (simdLevel(), read on the JS thread)
};

// The rho-independent draws of one dataset (per-thread: on cache lines of its own).
struct DatasetParts {
  LineVector<uint32_t> perm;    // template position of each item
  LineVector<double> x;
  LineVector<int32_t> xRank2;   // doubled centred midranks of x
  LineVector<double> a, b;      // signal components
  LineVector<double> pool;      // pool generators: the dataset's y pool, sorted ascending
};

// Scratch of one full dataset generation (per-thread: on cache lines of its own).
struct GeneratorScratch {
  DatasetParts parts;
  LineVector<double> signal;
  LineVector<double> draws;
  LineVector<int64_t> rank2;
  LineVector<uint32_t> order;
};

// The x template as every y model sees it.
struct XTemplate {
  const std::vector<double>& values;  // sorted ascending
  const std::vector<int32_t>& rank2;  // doubled centred midrank of each template position
  double ties;                        // sum of t^3 - t over the tie groups
};

// The y model of one generator for one template: one class per file in native/generators/.
class YModel {
 public:
  virtual ~YModel() = default;
  // Stage 1 after x: the signal components parts.a, parts.b (and parts.pool) from the data stream.
  virtual void drawComponents(Rng& rng, DatasetParts& parts) const = 0;
  // y values from the signal: further draws from the same stream.
  virtual void values(Rng& rng, const DatasetParts& parts, const double* signal, double* y, GeneratorScratch& ws) const = 0;
};

// A registered generator (native/generators/registry.cc; its twin is lib/kernels/generators/).
struct GeneratorEntry {
  const char* name;
  uint32_t code;     // GeneratorSpec::kind; equal to the entry's place in the table
  bool needsPool;    // y values come from spec.pool
  bool needsValues;  // y has ties of its own, so rank-only y is invalid
  double (*mixCoefficient)(double rho);  // mix.a at input rho; mix.b = sqrt(1 - a^2)
  std::unique_ptr<const YModel> (*build)(const GeneratorSpec& spec, const XTemplate& x);
};

// Entry `code` of the generator table, or nullptr.
const GeneratorEntry* generatorEntry(uint32_t code);
// Entries in the generator table (codes 0 .. count - 1).
uint32_t generatorCount();

// The mix of a generator at input rho (mirrors mixAt in lib/kernels/generators.ts).
Mix mixAt(const GeneratorEntry& entry, double rho);

class Generator {
 public:
  // Validates the spec (throws KernelError) and precomputes the per-template quantities.
  explicit Generator(GeneratorSpec spec);
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  uint32_t n() const { return n_; }
  const GeneratorEntry& entry() const { return *entry_; }
  // Sum of t^3 - t over the x tie groups (the same for every dataset).
  double xTies() const { return xTies_; }

  // Stage 1 from the dataset's data stream.
  void drawParts(Rng& rng, DatasetParts& parts) const;
  // signal[i] = parts.a[i] * mix.a + parts.b[i] * mix.b
  void signal(const DatasetParts& parts, Mix mix, double* out) const;
  // y from the signal: midranks (values = false; not when the entry needs values) or values.
  void finish(Rng& rng, const DatasetParts& parts, const double* signal, bool values, double* y,
              GeneratorScratch& ws) const;
  // One whole dataset from its data stream: x and y.
  void generate(Rng& rng, Mix mix, bool values, GeneratorScratch& ws, double* x, double* y) const;
  // Datasets repOffset .. repOffset + count - 1 of baseKey, each from its own data stream; dataset
  // r at x + r * n, y + r * n.
  void generateMany(uint64_t baseKey, uint64_t repOffset, uint64_t count, Mix mix, bool values, double* x, double* y) const;

 private:
  GeneratorSpec spec_;
  const GeneratorEntry* entry_ = nullptr;
  uint32_t n_ = 0;
  double xTies_ = 0;
  std::vector<int32_t> tmplRank2_;  // doubled centred midrank of each template position
  std::unique_ptr<const YModel> model_;
};

}  // namespace spearsim
