// Percentile bootstrap of Spearman's rho over many datasets (reps).
//
// Streams: rep r owns key childKey(baseKey, repOffset + r); its bootstrap stream is the child
// kStreamBoot of that key, split into blocks of kResamplesPerStream resamples, block j drawing its
// indices from ResampleIndexStream(childKey(bootKey, j)). Results therefore do not depend on
// thread count, chunk size or on whether reps are processed in one batch call or one call per rep,
// and a run can start at any block: resamples [256 firstBlock, 256 firstBlock + nBoot) of a rep
// are the same whether drawn alone or as part of a longer run (how a bootstrap is extended).
//
// A resample index u names the u-th item in "x-major" order: items by ascending x, equal x by
// ascending y position. Resampling works on multiplicities: a resample is summarised by how often
// each item was drawn, and its midranks follow from prefix sums of those counts (no sorting per
// resample). x-major indices let the vector kernel count each x group's multiplicity by comparing
// indices with the groups' boundaries.
#pragma once
#include <cstdint>
#include <vector>
#include "constants.hpp"  // kStreamData, kStreamBoot
#include "context.hpp"
#include "line_vector.hpp"
#include "rng.hpp"
#include "simd.hpp"

namespace spearsim {

constexpr uint32_t kResamplesPerStream = 256;

// One dataset arranged for resampling (arrays on cache lines of their own: line_vector.hpp).
struct PreparedPair {
  uint32_t n = 0;
  uint32_t xGroups = 0;                   // number of distinct x values
  bool yTieFree = true;
  double rhoHat = 0;                      // Spearman of the dataset itself (NaN if x or y constant)
  LineVector<uint32_t> positionOfDraw;    // resample index (x-major) -> position in ascending-y order
  LineVector<uint32_t> xGroupStart;       // first resample index of each x group, then n
  LineVector<uint32_t> yGroupEnd;         // end (exclusive) of each y tie group, in y order
  LineVector<uint32_t> xGroupAtPosition;  // x group (0 = smallest x) at each y-order position; zero-padded to 8s
  // scratch of prepare: x at each y-order position, the items in x order, ranks of x and y
  LineVector<double> xAtPosition;
  LineVector<uint32_t> xOrder;
  LineVector<int64_t> rankX, rankY;

  void prepare(const double* x, const double* y, uint32_t n, LineVector<uint32_t>& scratch);
};

// Per-thread scratch; sized on first use. Each buffer on cache lines of its own (line_vector.hpp).
struct ResampleWorkspace {
  LineVector<uint32_t> indices;      // the boot-index buffer: chunk x n resample indices
  LineVector<uint32_t> weight;       // multiplicity of each y-order position (zero between resamples)
  LineVector<int64_t> groupRankSum;  // per x group: sum of multiplicity x doubled centred y rank
  LineVector<int64_t> groupCount;    // per x group: multiplicity
  LineVector<int64_t> cube;          // v^3 for v = 0..n
  LineVector<double> rhos;
  LineVector<double> x, y;
  LineVector<uint32_t> scratch;
};

// Spearman values of `count` resamples (rows of idx, count x n resample indices); NaN when
// degenerate. `simd` picks the vector kernel (see simd.hpp); every kernel gives the same bits.
void resampleRhos(const PreparedPair& data, const uint32_t* idx, uint32_t count, double* out, ResampleWorkspace& ws,
                  SimdLevel simd);

// Type-7 (linear interpolation) percentiles at qLo and qHi of the non-NaN values; reorders `values`.
// Returns the number of NaN values dropped; lo/hi are NaN when nothing is left. With loSe and hiSe,
// also each percentile's Monte Carlo standard error by the order-statistic rule
// (Q(q + z s) - Q(q - z s)) / (2 z), s = sqrt(q (1 - q) / valid), z = kMcSeZ, levels clipped to
// [0, 1]; NaN below 2 values (quantileMcSe in lib/intervals.ts computes the same bits).
uint32_t percentilePair(double* values, uint32_t m, double qLo, double qHi, double& lo, double& hi, double* loSe = nullptr,
                        double* hiSe = nullptr);

struct RepSummary {
  double lo, hi, rhoHat;
  uint32_t dropped;
  double loSe, hiSe;  // with BootstrapSpec::endpointSe, else NaN
};

// Key of stream `purpose` (kStreamData, kStreamBoot) of rep `streamRep` under `baseKey`.
inline uint64_t repStreamKey(uint64_t baseKey, uint64_t streamRep, uint64_t purpose) {
  return childKey(childKey(baseKey, streamRep), purpose);
}

// Produces a dataset into x and y (length n). `rep` counts from 0 within the call; `streamRep`
// (= repOffset + rep) names the rep's streams. Must be thread-safe.
class DatasetSource {
 public:
  virtual ~DatasetSource() = default;
  virtual uint32_t n() const = 0;
  virtual void fill(uint64_t rep, uint64_t streamRep, double* x, double* y) const = 0;
};

// Datasets held in memory: rep r is x[r*n .. r*n+n), y likewise.
class StoredDatasets : public DatasetSource {
 public:
  StoredDatasets(const double* x, const double* y, uint32_t n) : x_(x), y_(y), n_(n) {}
  uint32_t n() const override { return n_; }
  void fill(uint64_t rep, uint64_t streamRep, double* x, double* y) const override;

 private:
  const double* x_;
  const double* y_;
  uint32_t n_;
};

struct BootstrapSpec {
  uint64_t nReps = 0;
  uint32_t nBoot = 0;
  double alpha = 0.05;
  uint64_t baseKey = 0;
  uint64_t repOffset = 0;
  uint32_t firstBlock = 0;  // stream block of the first resample drawn: the run extends one of nBoot = 256 firstBlock
  bool endpointSe = false;  // also the percentiles' Monte Carlo SEs (RepSummary loSe, hiSe)
  uint32_t chunkResamples = kResamplesPerStream;  // resamples per boot-index buffer fill
  SimdLevel simd = SimdLevel::kScalar;             // vector kernels allowed (simdLevel() at queue time)
};

// Runs the percentile bootstrap for every rep; out has spec.nReps entries. keepRhos, if not null,
// receives every resample's Spearman value (NaN when degenerate) in resample order, rep r at
// keepRhos[r * nBoot, (r + 1) * nBoot): BCa intervals need the whole distribution.
void bootstrapBatch(const DatasetSource& source, const BootstrapSpec& spec, Context& ctx, RepSummary* out,
                    double* keepRhos = nullptr);

// bootstrapBatch, timed: returns the kernel's own wall time in milliseconds (reported beside a
// result for the benchmarks, never part of it).
double bootstrapBatchTimed(const DatasetSource& source, const BootstrapSpec& spec, Context& ctx, RepSummary* out,
                           double* keepRhos = nullptr);

}  // namespace spearsim
