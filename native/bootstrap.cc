#include "limits.hpp"
#include "bootstrap.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <numeric>
#include <string>

#include "ranks.hpp"
#include "rng.hpp"

namespace spearsim {

void PreparedPair::prepare(const double* x, const double* y, uint32_t size, std::vector<uint32_t>& order) {
  n = size;
  order.resize(n);
  // y order (stable: equal y keep item order) and y tie groups
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [y](uint32_t a, uint32_t b) { return y[a] < y[b]; });
  positionOfItem.resize(n);
  yGroupEnd.clear();
  for (uint32_t p = 0; p < n; ++p) {
    positionOfItem[order[p]] = p;
    if (p + 1 == n || y[order[p + 1]] != y[order[p]]) yGroupEnd.push_back(p + 1);
  }
  yTieFree = yGroupEnd.size() == n;

  // dense x groups (ascending x) seen from y order
  std::vector<uint32_t> byX(n);
  std::iota(byX.begin(), byX.end(), 0u);
  std::stable_sort(byX.begin(), byX.end(), [x](uint32_t a, uint32_t b) { return x[a] < x[b]; });
  xGroupAtPosition.resize(n);
  xGroups = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (i > 0 && x[byX[i]] != x[byX[i - 1]]) ++xGroups;
    xGroupAtPosition[positionOfItem[byX[i]]] = xGroups;
  }
  ++xGroups;

  rhoHat = spearman(x, y, n);
}

void resampleRhos(const PreparedPair& d, const uint32_t* idx, uint32_t count, double* out, ResampleWorkspace& ws) {
  const uint32_t n = d.n;
  const int64_t nn = n;
  if (ws.weight.size() != n) ws.weight.assign(n, 0);
  ws.groupRankSum.assign(d.xGroups, 0);
  ws.groupCount.assign(d.xGroups, 0);
  uint32_t* w = ws.weight.data();
  int64_t* rankSum = ws.groupRankSum.data();
  int64_t* groupCount = ws.groupCount.data();
  const uint32_t* pos = d.positionOfItem.data();
  const uint32_t* group = d.xGroupAtPosition.data();
  // cubes of multiplicities by table: an integer multiply per element less in the hot loop
  if (ws.cube.size() != static_cast<size_t>(n) + 1) {
    ws.cube.resize(static_cast<size_t>(n) + 1);
    for (int64_t v = 0; v <= nn; ++v) ws.cube[v] = v * v * v;
  }
  const int64_t* cube = ws.cube.data();

  for (uint32_t b = 0; b < count; ++b) {
    const uint32_t* row = idx + static_cast<size_t>(b) * n;
    for (uint32_t t = 0; t < n; ++t) ++w[pos[row[t]]];

    // One pass in y order: the doubled centred midrank of each position follows from the running
    // multiplicity; it is accumulated into the position's x group.
    int64_t cum = 0;
    int64_t cubes = 0;  // sum of multiplicity^3 over y tie groups; the tie sum is cubes - n
    if (d.yTieFree) {
      for (uint32_t p = 0; p < n; ++p) {
        const int64_t wp = w[p];
        const uint32_t g = group[p];
        rankSum[g] += wp * (2 * cum + wp - nn);
        groupCount[g] += wp;
        cubes += cube[wp];
        cum += wp;
        w[p] = 0;
      }
    } else {
      uint32_t start = 0;
      for (const uint32_t end : d.yGroupEnd) {
        int64_t total = 0;
        for (uint32_t p = start; p < end; ++p) total += w[p];
        const int64_t r2 = 2 * cum + total - nn;
        for (uint32_t p = start; p < end; ++p) {
          const int64_t wp = w[p];
          rankSum[group[p]] += wp * r2;
          groupCount[group[p]] += wp;
          w[p] = 0;
        }
        cubes += cube[total];
        cum += total;
        start = end;
      }
    }

    int64_t cumX = 0;
    int64_t sxy4 = 0;
    int64_t tieX = 0;
    for (uint32_t g = 0; g < d.xGroups; ++g) {
      const int64_t c = groupCount[g];
      sxy4 += (2 * cumX + c - nn) * rankSum[g];
      tieX += c * c * c - c;
      cumX += c;
      rankSum[g] = 0;
      groupCount[g] = 0;
    }
    out[b] = rhoFromExact(static_cast<double>(sxy4), static_cast<double>(n), static_cast<double>(tieX),
                          static_cast<double>(cubes - nn));
  }
}

namespace {

// Type-7 quantile of v[0..m) (m >= 1, no NaN); reorders v.
double quantileType7(double* v, uint32_t m, double q) {
  const double h = static_cast<double>(m - 1) * q;
  const uint32_t f = static_cast<uint32_t>(std::floor(h));
  std::nth_element(v, v + f, v + m);
  const double a = v[f];
  if (f + 1 >= m) return a;
  const double b = *std::min_element(v + f + 1, v + m);
  return a + (h - static_cast<double>(f)) * (b - a);
}

}  // namespace

uint32_t percentilePair(double* values, uint32_t m, double qLo, double qHi, double& lo, double& hi) {
  const uint32_t valid =
      static_cast<uint32_t>(std::partition(values, values + m, [](double v) { return !std::isnan(v); }) - values);
  if (valid == 0) {
    lo = hi = std::nan("");
  } else {
    lo = quantileType7(values, valid, qLo);
    hi = quantileType7(values, valid, qHi);
  }
  return m - valid;
}

void StoredDatasets::fill(uint64_t rep, uint64_t, double* x, double* y) const {
  std::memcpy(x, x_ + rep * n_, sizeof(double) * n_);
  std::memcpy(y, y_ + rep * n_, sizeof(double) * n_);
}

namespace {

// Draws block `block` of a rep's bootstrap stream and writes its Spearman values to out.
void runBlock(const PreparedPair& d, uint64_t bootKey, uint32_t block, uint32_t length, uint32_t chunk, double* out,
              ResampleWorkspace& ws) {
  Rng rng(childKey(bootKey, block));
  const uint32_t n = d.n;
  ws.indices.resize(static_cast<size_t>(chunk) * n);
  for (uint32_t done = 0; done < length; done += chunk) {
    const uint32_t count = std::min(chunk, length - done);
    uint32_t* idx = ws.indices.data();
    const size_t total = static_cast<size_t>(count) * n;
    for (size_t t = 0; t < total; ++t) idx[t] = rng.bounded(n);
    resampleRhos(d, idx, count, out + done, ws);
  }
}

// Collects the first exception thrown inside a parallel region.
class FirstError {
 public:
  void capture() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = std::current_exception();
    failed_.store(true, std::memory_order_relaxed);
  }
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
  std::atomic<bool> failed_{false};
};

}  // namespace

void bootstrapBatch(const DatasetSource& source, const BootstrapSpec& spec, Context& ctx, RepSummary* out,
                    double* keepRhos) {
  const uint32_t n = source.n();
  requireInRange<uint64_t>("n", n, 3, kMaxExactN);
  requireInRange<uint64_t>("nBoot", spec.nBoot, 1, kMaxBoot);
  requireInRange<uint64_t>("nReps", spec.nReps, 1, kMaxReps);
  requireInRange<uint64_t>("chunkResamples", spec.chunkResamples, 1, kResamplesPerStream);
  if (!(spec.alpha > 0 && spec.alpha < 1)) requireInRange<double>("alpha", spec.alpha, 1e-300, 1 - 1e-16);

  const int threads = ctx.threads();
  const uint32_t blocks = (spec.nBoot + kResamplesPerStream - 1) / kResamplesPerStream;
  const double qLo = spec.alpha / 2;
  const double qHi = 1 - spec.alpha / 2;
  ctx.setTotal(spec.nReps * spec.nBoot);

  std::vector<ResampleWorkspace> workspaces(threads);
  std::vector<PreparedPair> prepared(threads);
  FirstError error;

  auto blockLength = [&](uint32_t j) { return std::min(kResamplesPerStream, spec.nBoot - j * kResamplesPerStream); };
  auto bootKeyOf = [&](uint64_t r) { return repStreamKey(spec.baseKey, spec.repOffset + r, kStreamBoot); };
  auto loadRep = [&](uint64_t r, PreparedPair& d, ResampleWorkspace& ws) {
    ws.x.resize(n);
    ws.y.resize(n);
    source.fill(r, spec.repOffset + r, ws.x.data(), ws.y.data());
    for (uint32_t i = 0; i < n; ++i) {
      if (!std::isfinite(ws.x[i]) || !std::isfinite(ws.y[i])) {
        throw KernelError(code::kOutOfRange, "dataset " + std::to_string(r) + " holds a non-finite value at position " +
                                                 std::to_string(i) + " (native check)");
      }
    }
    d.prepare(ws.x.data(), ws.y.data(), n, ws.scratch);
    ws.rhos.resize(spec.nBoot);
  };
  auto summarise = [&](uint64_t r, const PreparedPair& d, ResampleWorkspace& ws) {
    // copied before percentilePair reorders the values
    if (keepRhos) std::copy(ws.rhos.begin(), ws.rhos.begin() + spec.nBoot, keepRhos + r * spec.nBoot);
    RepSummary& s = out[r];
    s.rhoHat = d.rhoHat;
    s.dropped = percentilePair(ws.rhos.data(), spec.nBoot, qLo, qHi, s.lo, s.hi);
  };

  if (spec.nReps >= static_cast<uint64_t>(2 * threads)) {
    // many reps: one rep per task
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (int64_t r = 0; r < static_cast<int64_t>(spec.nReps); ++r) {
      if (ctx.cancelled() || error.failed()) continue;
      const int tid = omp_get_thread_num();
      ResampleWorkspace& ws = workspaces[tid];
      PreparedPair& d = prepared[tid];
      try {
        loadRep(r, d, ws);
        const uint64_t bootKey = bootKeyOf(r);
        for (uint32_t j = 0; j < blocks && !ctx.cancelled(); ++j) {
          runBlock(d, bootKey, j, blockLength(j), spec.chunkResamples, ws.rhos.data() + j * kResamplesPerStream, ws);
          ctx.advance(blockLength(j));
        }
        summarise(r, d, ws);
      } catch (...) {
        error.capture();
      }
    }
  } else {
    // few reps: the blocks of one rep run in parallel
    PreparedPair& d = prepared[0];
    ResampleWorkspace& main = workspaces[0];
    for (uint64_t r = 0; r < spec.nReps && !ctx.cancelled() && !error.failed(); ++r) {
      loadRep(r, d, main);
      const uint64_t bootKey = bootKeyOf(r);
      double* rhos = main.rhos.data();
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
      for (int64_t j = 0; j < static_cast<int64_t>(blocks); ++j) {
        if (ctx.cancelled() || error.failed()) continue;
        const auto block = static_cast<uint32_t>(j);
        ResampleWorkspace& ws = workspaces[omp_get_thread_num()];
        try {
          runBlock(d, bootKey, block, blockLength(block), spec.chunkResamples, rhos + block * kResamplesPerStream, ws);
          ctx.advance(blockLength(block));
        } catch (...) {
          error.capture();
        }
      }
      if (!ctx.cancelled() && !error.failed()) summarise(r, d, main);
    }
  }
  error.rethrow();
  ctx.throwIfCancelled();
}

}  // namespace spearsim
