#include "signal_set.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "bootstrap.hpp"
#include "ranks.hpp"

namespace spearsim {

uint64_t signalSetBytes(uint32_t n, uint64_t count, int threads) {
  // an Item and a pool rank per item; rho and pool ties per dataset; per-thread scratch
  const uint64_t t = static_cast<uint64_t>(threads < 1 ? 1 : threads);
  return count * (static_cast<uint64_t>(n) * kStoredBytesPerItem + kStoredBytesPerDataset) + t * threadScratchBytes(n);
}

SignalSet::SignalSet(const Generator& gen, uint64_t key, uint64_t firstDataset, uint32_t count, uint64_t memoryLimit,
                     Context& ctx)
    : gen_(gen),
      key_(key),
      firstDataset_(firstDataset),
      n_(gen.n()),
      count_(count),
      poolY_(gen.entry().needsPool) {
  requireInRange<uint64_t>("count", count, 1, 100000000);
  const uint64_t need = signalSetBytes(n_, count, ctx.threads());
  if (need > memoryLimit) {
    throw KernelError(code::kMemoryLimit, "memoryLimit of " + std::to_string(memoryLimit) + " bytes cannot hold " +
                                              std::to_string(count) + " datasets of n=" + std::to_string(n_) +
                                              ": " + std::to_string(need) + " bytes are needed");
  }
  const size_t items = static_cast<size_t>(count) * n_;
  itemBuffer_ = acquireBuffer(items * sizeof(Item));
  items_ = static_cast<Item*>(itemBuffer_.get());
  if (poolY_) {
    yRank2_.reset(new int32_t[items]);
    yTies_.resize(count);
  }
  scratch_.resize(ctx.threads());
}

void SignalSet::drawDataset(uint32_t i, Mix mix, Scratch& s) {
  const uint32_t n = n_;
  DatasetParts& parts = s.parts;
  Rng rng(repStreamKey(key_, firstDataset_ + i, kStreamData));
  gen_.drawParts(rng, parts);
  const size_t at = static_cast<size_t>(i) * n;
  if (poolY_) {
    // the pool is sorted, so its tie runs are runs of positions
    double ties = 0;
    for (uint32_t p = 0; p < n;) {
      uint32_t q = p + 1;
      while (q < n && parts.pool[q] == parts.pool[p]) ++q;
      for (uint32_t r = p; r < q; ++r) yRank2_[at + r] = static_cast<int32_t>(static_cast<int64_t>(p) + q - n);
      const double size = q - p;
      ties += size * size * size - size;
      p = q;
    }
    yTies_[i] = ties;
  }
  s.drawnKey.resize(n);
  gen_.signal(parts, mix, s.drawnKey.data());
  s.key.resize(n);
  s.placed.resize(n);
  bucketPlace(parts, s.drawnKey.data(), s.placed.data(), s.key.data(), s);
}

void SignalSet::sortFully(Item* items, Scratch& s) {
  const uint32_t n = n_;
  double* key = s.key.data();
  s.keyed.resize(n);
  for (uint32_t t = 0; t < n; ++t) s.keyed[t] = Keyed{key[t], items[t].index, t};
  std::sort(s.keyed.begin(), s.keyed.end(),
            [](const Keyed& p, const Keyed& q) { return p.key < q.key || (p.key == q.key && p.index < q.index); });
  s.items.assign(items, items + n);
  for (uint32_t t = 0; t < n; ++t) {
    items[t] = s.items[s.keyed[t].position];
    key[t] = s.keyed[t].key;
  }
}

void SignalSet::bucketPlace(const DatasetParts& parts, const double* keyFrom, Item* to, double* keyTo, Scratch& s) {
  const uint32_t n = n_;
  double low = keyFrom[0];
  double high = keyFrom[0];
  for (uint32_t t = 1; t < n; ++t) {
    low = std::min(low, keyFrom[t]);
    high = std::max(high, keyFrom[t]);
  }
  // four buckets per item: few share one, so the insertion pass after this one rarely moves an item
  const uint32_t buckets = 4 * n;
  const double scale = buckets / (high - low);
  if (!(scale < INFINITY)) {
    // all keys equal (or a range too wide to scale): keep the drawn order
    for (uint32_t t = 0; t < n; ++t) to[t] = Item{parts.a[t], parts.b[t], parts.xRank2[t], t};
    std::copy(keyFrom, keyFrom + n, keyTo);
    return;
  }
  s.bucketOf.resize(n);
  s.bucketNext.assign(buckets + 1, 0);
  for (uint32_t t = 0; t < n; ++t) {
    const uint32_t bucket = std::min(buckets - 1, static_cast<uint32_t>((keyFrom[t] - low) * scale));
    s.bucketOf[t] = bucket;
    ++s.bucketNext[bucket + 1];
  }
  for (uint32_t b = 0; b < buckets; ++b) s.bucketNext[b + 1] += s.bucketNext[b];
  for (uint32_t t = 0; t < n; ++t) {
    const uint32_t place = s.bucketNext[s.bucketOf[t]]++;
    to[place] = Item{parts.a[t], parts.b[t], parts.xRank2[t], t};
    keyTo[place] = keyFrom[t];
  }
}

double SignalSet::datasetRho(uint32_t i, Mix mix, bool first, Scratch& s) {
  const size_t at = static_cast<size_t>(i) * n_;
  const uint32_t n = n_;
  // a first evaluation orders the drawn dataset in scratch (in cache), then copies it into the set
  Item* items = items_ + at;
  if (first) {
    drawDataset(i, mix, s);  // nearly in key order
    items = s.placed.data();
  } else {
    s.key.resize(n);
    for (uint32_t t = 0; t < n; ++t) s.key[t] = items[t].a * mix.a + items[t].b * mix.b;
  }
  double* key = s.key.data();

  // insertion sort by (key, index), moving the items along; ties are detected on the way (an
  // inserted key lands next to any equal key).
  const uint64_t maxShifts = 10 * static_cast<uint64_t>(n);  // about the cost of a full sort
  uint64_t shifts = 0;
  bool tied = false;
  for (uint32_t k = 1; k < n && shifts <= maxShifts; ++k) {
    const double kv = key[k];
    if (kv > key[k - 1]) continue;  // still in place: the common case
    const Item v = items[k];
    uint32_t j = k;
    while (j > 0 && (kv < key[j - 1] || (kv == key[j - 1] && v.index < items[j - 1].index))) {
      key[j] = key[j - 1];
      items[j] = items[j - 1];
      --j;
    }
    shifts += k - j;
    key[j] = kv;
    items[j] = v;
    tied = tied || (j > 0 && key[j - 1] == kv) || (j < k && key[j + 1] == kv);
  }
  if (shifts > maxShifts) {
    // no previous order, or far from it (a large jump in rho): sort from scratch
    sortFully(items, s);
    tied = false;
    for (uint32_t t = 1; t < n; ++t) tied = tied || key[t] == key[t - 1];
  }

  int64_t sxy4 = 0;
  double tiesY = 0;
  if (poolY_) {
    const int32_t* yr = yRank2_.get() + at;
    for (uint32_t t = 0; t < n; ++t) sxy4 += static_cast<int64_t>(yr[t]) * items[t].xRank2;
    tiesY = yTies_[i];
  } else if (!tied) {
    // the doubled centred y rank at position t is 2t + 1 - n, and the x ranks sum to 0
    int64_t weighted = 0;
    for (uint32_t t = 0; t < n; ++t) weighted += static_cast<int64_t>(t) * items[t].xRank2;
    sxy4 = 2 * weighted;
  } else {
    // y = midranks of the signal: runs of equal signal share a rank
    for (uint32_t p = 0; p < n;) {
      uint32_t q = p + 1;
      while (q < n && key[q] == key[p]) ++q;
      int64_t sumX = 0;
      for (uint32_t t = p; t < q; ++t) sumX += items[t].xRank2;
      sxy4 += (static_cast<int64_t>(p) + q - n) * sumX;
      const double size = q - p;
      tiesY += size * size * size - size;
      p = q;
    }
  }
  if (first) std::copy(items, items + n, items_ + at);
  const double rho = rhoFromExact(static_cast<double>(sxy4), n, gen_.xTies(), tiesY);
  return std::isnan(rho) ? 0.0 : rho;  // constant y (a degenerate pool) counts as 0 (docs/methods.md, "P-values and power")
}

void SignalSet::datasetRhos(Mix mix, double* out, Context& ctx) {
  const int threads = ctx.threads();
  if (scratch_.size() < static_cast<size_t>(threads)) scratch_.resize(threads);
  const bool first = !sorted_;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
  for (int64_t i = 0; i < static_cast<int64_t>(count_); ++i) {
    // a cancelled pass stops within one dataset per thread; sorted_ stays as it was (a first
    // pass cut short is redrawn whole next time, so an interrupted pass never changes a result)
    if (ctx.cancelled()) continue;
    out[i] = datasetRho(static_cast<uint32_t>(i), mix, first, scratch_[omp_get_thread_num()]);
  }
  ctx.throwIfCancelled();
  sorted_ = true;
}

void SignalSet::datasetRhosSubset(Mix mix, const uint32_t* which, uint32_t count, double* out, Context& ctx) {
  if (!sorted_) throw KernelError(code::kInternal, "datasetRhosSubset needs a prior full evaluation");
  const int threads = ctx.threads();
  if (scratch_.size() < static_cast<size_t>(threads)) scratch_.resize(threads);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
  for (int64_t j = 0; j < static_cast<int64_t>(count); ++j) {
    out[j] = datasetRho(which[j], mix, false, scratch_[omp_get_thread_num()]);
  }
}

}  // namespace spearsim
