// A set of datasets stored as their signal components, evaluated at any mix: the common random
// numbers under both calibration (calibration.hpp) and power (power.hpp), shared bit for bit with
// lib/kernels/signal-set.ts.
//
// Dataset i is drawn from Rng(repStreamKey(key, i, kStreamData)) by exactly the generating
// process (Generator::drawParts + signal, jitter included); y is the signal's midranks, or for a
// generator with a pool the dataset's pool placed in signal order. The datasets are drawn once and
// reused by every evaluation.
//
// Speed: each dataset stores its items in (signal, item index) order of the previous evaluation
// and re-sorts them by insertion (nearby rho values barely reorder items), so an evaluation is a
// few sequential passes over the dataset; a re-sort that would move too much falls back to a full
// sort. The first evaluation draws each dataset and, while its draws are in cache, places the items
// by a bucket pass over the signal's range, which leaves them nearly sorted, so the same insertion
// pass finishes the job in linear time; only then is the dataset written to the set. (The
// TypeScript twin sorts fully instead of placing by buckets: the same order, hence the same bits.)
// The order is unique, so the result does not depend on the evaluation history. Datasets are
// evaluated in parallel: identical results for any thread count.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "buffer_pool.hpp"
#include "constants.hpp"
#include "context.hpp"
#include "generators.hpp"
#include "line_vector.hpp"

namespace spearsim {

// Per-thread scratch of one dataset evaluation (the drawn parts, the placed items and keys, 4n
// buckets, the full-sort fallback: ~150 bytes an item): the one memory-budget formula.
inline uint64_t threadScratchBytes(uint32_t n) { return static_cast<uint64_t>(n) * kScratchBytesPerItem + kScratchBytesPerThread; }

// Bytes a signal set of `count` datasets of size n needs with `threads` threads.
uint64_t signalSetBytes(uint32_t n, uint64_t count, int threads);

class SignalSet {
 public:
  // Datasets firstDataset .. firstDataset + count - 1 of `key` (dataset i from
  // Rng(repStreamKey(key, i, kStreamData))); throws ERR_MEMORY_LIMIT if they exceed memoryLimit.
  // The datasets are drawn by the first evaluation, in the same pass (each dataset is placed in
  // key order while its draws are still in cache). The context only sizes the per-thread
  // scratch: a set may outlive the job that built it (the generator must outlive the set).
  SignalSet(const Generator& gen, uint64_t key, uint64_t firstDataset, uint32_t count, uint64_t memoryLimit, Context& ctx);

  uint32_t size() const { return count_; }
  const Generator& generator() const { return gen_; }

  // Spearman of every dataset at `mix`, in dataset order (constant y counts as 0).
  void datasetRhos(Mix mix, double* out, Context& ctx);

  // Spearman of the listed datasets only (out[j] for dataset which[j]); needs a prior full
  // evaluation (datasetRhos), which orders every dataset's items.
  void datasetRhosSubset(Mix mix, const uint32_t* which, uint32_t count, double* out, Context& ctx);
  bool evaluatedOnce() const { return sorted_; }


 private:
  // One item of a calibration dataset.
  struct Item {
    double a, b;      // signal components
    int32_t xRank2;   // doubled centred x midrank
    uint32_t index;   // item index: the tie-break, and the empirical y order
  };
  // A sort key with its item (the tie-break) and current position.
  struct Keyed {
    double key;
    uint32_t index;
    uint32_t position;
  };
  // Per-thread scratch of one dataset evaluation (on cache lines of its own: line_vector.hpp).
  struct Scratch {
    LineVector<double> key;
    LineVector<Keyed> keyed;
    LineVector<Item> items;
    LineVector<double> drawnKey;  // keys of a dataset being drawn, in drawn order
    LineVector<uint32_t> bucketOf;
    LineVector<uint32_t> bucketNext;
    LineVector<Item> placed;  // a dataset being drawn and ordered
    DatasetParts parts;
  };
  // first: draw the dataset (drawDataset) before ordering it
  double datasetRho(uint32_t i, Mix mix, bool first, Scratch& scratch);
  // Draws dataset i and places its items in the set nearly in key order at `mix` (keys in
  // scratch.key).
  void drawDataset(uint32_t i, Mix mix, Scratch& scratch);
  void sortFully(Item* items, Scratch& scratch);
  // Places the drawn items (and their keys) nearly in key order: 4n buckets over [min, max key].
  void bucketPlace(const DatasetParts& parts, const double* keyFrom, Item* to, double* keyTo, Scratch& scratch);

  const Generator& gen_;
  uint64_t key_;
  uint64_t firstDataset_;
  uint32_t n_;
  uint32_t count_;
  bool poolY_;  // y is the dataset's pool in signal order (a generator that needs a pool)
  // count x n, in (signal, index) order of the last evaluation; from the buffer pool, not
  // zero-filled (every item is written by the first evaluation), so a large set costs no
  // uncancellable memset up front
  PooledBuffer itemBuffer_;
  Item* items_ = nullptr;
  bool sorted_ = false;                // whether an evaluation has drawn and ordered items_
  // pool y, per position: doubled centred midrank of the pool value; per dataset: pool tie sum
  std::unique_ptr<int32_t[]> yRank2_;
  std::vector<double> yTies_;
  std::vector<Scratch> scratch_;
};

}  // namespace spearsim
