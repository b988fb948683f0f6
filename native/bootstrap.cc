// The batch bootstrap kernel (docs/methods.md, "Bootstrap confidence intervals"): dataset
// preparation, the resample kernels (scalar and vector) and the scheduler of reps and blocks.
// Over 400 lines on purpose: the vector and scalar kernels must produce the same integers, and
// keeping them beside the scheduler that picks between them lets one reading check that.
#include "constants.hpp"
#include "bootstrap.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <mutex>
#include <numeric>
#include <string>

#include "index_stream.hpp"
#include "ranks.hpp"
#include "rng.hpp"
#include "vector_intrinsics.hpp"

namespace spearsim {

namespace {

// The vector kernel keeps every partial sum in 32-bit lanes: all are bounded by n^3 <= 2^30.
constexpr uint32_t kMaxVectorN = 1024;
constexpr uint32_t kMaxVectorGroups = 16;
constexpr uint32_t kVectorPadding = 16;  // positions are padded to whole 512-bit vectors

}  // namespace

void PreparedPair::prepare(const double* x, const double* y, uint32_t size, LineVector<uint32_t>& order) {
  n = size;
  order.resize(n);
  // y order (stable: equal y keep item order) and y tie groups
  stableOrder(y, n, order);
  yGroupEnd.clear();
  for (uint32_t p = 0; p < n; ++p) {
    if (p + 1 == n || y[order[p + 1]] != y[order[p]]) yGroupEnd.push_back(p + 1);
  }
  yTieFree = yGroupEnd.size() == n;

  // x-major order: y positions stably sorted by x; dense x groups (ascending x)
  xAtPosition.resize(n);
  for (uint32_t p = 0; p < n; ++p) xAtPosition[p] = x[order[p]];
  stableOrder(xAtPosition.data(), n, positionOfDraw);
  // padded to whole vectors for the vector kernel: padding positions weigh 0 in group 0
  xGroupAtPosition.assign((n + kVectorPadding - 1) / kVectorPadding * kVectorPadding, 0);
  xGroupStart.assign(1, 0);
  for (uint32_t u = 0; u < n; ++u) {
    if (u > 0 && x[order[positionOfDraw[u]]] != x[order[positionOfDraw[u - 1]]]) xGroupStart.push_back(u);
    xGroupAtPosition[positionOfDraw[u]] = static_cast<uint32_t>(xGroupStart.size() - 1);
  }
  xGroups = static_cast<uint32_t>(xGroupStart.size());
  xGroupStart.push_back(n);

  // rho-hat from the two orders already found (x order: item order[p] at x-major position)
  xOrder.resize(n);
  for (uint32_t u = 0; u < n; ++u) xOrder[u] = order[positionOfDraw[u]];
  rankX.resize(n);
  rankY.resize(n);
  rhoHat = spearmanFromOrders(x, xOrder.data(), y, order.data(), n, rankX.data(), rankY.data());
}

namespace {


[[maybe_unused]] bool vectorKernelApplies(const PreparedPair& d) {
  return d.yTieFree && d.n <= kMaxVectorN && d.xGroups <= kMaxVectorGroups;
}

// Any dataset: multiplicities by y position, then one pass in y order. The doubled centred midrank
// of each position follows from the running multiplicity; it is accumulated into the position's
// x group, and the x groups' midranks follow from their multiplicities.
void resampleRhosScalar(const PreparedPair& d, const uint32_t* idx, uint32_t count, double* out, ResampleWorkspace& ws) {
  const uint32_t n = d.n;
  const int64_t nn = n;
  if (ws.weight.size() < n) ws.weight.assign(n, 0);
  ws.groupRankSum.assign(d.xGroups, 0);
  ws.groupCount.assign(d.xGroups, 0);
  uint32_t* w = ws.weight.data();
  int64_t* rankSum = ws.groupRankSum.data();
  int64_t* groupCount = ws.groupCount.data();
  const uint32_t* pos = d.positionOfDraw.data();
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

#if SPEARSIM_X86_VECTORS

// What the vector kernels read and write: sizes, the multiplicities (covering the padded positions,
// zero between resamples), each position's x group, each draw's y position.
struct VectorKernelView {
  uint32_t n, groups, padded;
  uint32_t* weight;
  const uint32_t* groupOfPosition;
  const uint32_t* positionOfDraw;
};

VectorKernelView vectorKernelView(const PreparedPair& d, ResampleWorkspace& ws) {
  const auto padded = static_cast<uint32_t>(d.xGroupAtPosition.size());
  if (ws.weight.size() < padded) ws.weight.assign(padded, 0);
  return VectorKernelView{d.n, d.xGroups, padded, ws.weight.data(), d.xGroupAtPosition.data(), d.positionOfDraw.data()};
}

// Doubled centred x midrank of each x group into xRank (zeros beyond the groups), from below[g] =
// draws from groups < g (below[groups] = n); returns the x tie sum.
int64_t xMidrankTable(const int32_t* below, uint32_t groups, uint32_t n, int32_t* xRank) {
  int64_t tieX = 0;
  for (uint32_t g = 0; g < kMaxVectorGroups; ++g) xRank[g] = 0;
  for (uint32_t g = 0; g < groups; ++g) {
    const int64_t c = below[g + 1] - below[g];
    xRank[g] = below[g] + below[g + 1] - static_cast<int32_t>(n);
    tieX += c * c * c - c;
  }
  return tieX;
}

__attribute__((target("avx2"))) int32_t sumLanes(__m256i v) {
  const __m128i half = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  const __m128i quarter = _mm_add_epi32(half, _mm_shuffle_epi32(half, 0x4E));
  return _mm_cvtsi128_si32(_mm_add_epi32(quarter, _mm_shuffle_epi32(quarter, 0xB1)));
}

// Tie-free y, at most 16 x groups, n <= 1024. Per resample: the x groups' multiplicities by
// comparing indices with the group boundaries (8 at a time) while scattering multiplicities into
// y order; then, 8 positions at a time, the y midranks by a prefix sum and each position's x
// midrank by a table lookup (vpermd). Sxy4 = sum of multiplicity x y midrank x x midrank.
__attribute__((target("avx2"))) void resampleRhosAvx2(const PreparedPair& d, const uint32_t* idx, uint32_t count,
                                                      double* out, ResampleWorkspace& ws) {
  const auto [n, groups, padded, w, groupOfPosition, pos] = vectorKernelView(d, ws);

  __m256i boundary[kMaxVectorGroups];
  for (uint32_t g = 1; g < groups; ++g) boundary[g] = _mm256_set1_epi32(static_cast<int>(d.xGroupStart[g]));
  const __m256i nVec = _mm256_set1_epi32(static_cast<int>(n));
  const __m256i seven = _mm256_set1_epi32(7);
  const __m256i zero = _mm256_setzero_si256();

  for (uint32_t b = 0; b < count; ++b) {
    const uint32_t* row = idx + static_cast<size_t>(b) * n;
    // below[g]: draws from x groups < g (the x midrank's cumulative count)
    __m256i belowLanes[kMaxVectorGroups];
    for (uint32_t g = 1; g < groups; ++g) belowLanes[g] = zero;
    uint32_t t = 0;
    for (; t + 8 <= n; t += 8) {
      const __m256i draws = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + t));
      // indices < 2^31, so the signed comparison is exact; the mask is -1 per true lane
      for (uint32_t g = 1; g < groups; ++g) belowLanes[g] = _mm256_sub_epi32(belowLanes[g], _mm256_cmpgt_epi32(boundary[g], draws));
    }
    alignas(32) int32_t below[kMaxVectorGroups + 1];
    below[0] = 0;
    for (uint32_t g = 1; g < groups; ++g) below[g] = sumLanes(belowLanes[g]);
    below[groups] = static_cast<int32_t>(n);
    for (; t < n; ++t) {
      for (uint32_t g = 1; g < groups; ++g) below[g] += row[t] < d.xGroupStart[g];
    }
    for (t = 0; t < n; ++t) ++w[pos[row[t]]];
    alignas(32) int32_t xRank[kMaxVectorGroups];
    const int64_t tieX = xMidrankTable(below, groups, n, xRank);
    const __m256i xRankLow = _mm256_load_si256(reinterpret_cast<const __m256i*>(xRank));
    const __m256i xRankHigh = _mm256_load_si256(reinterpret_cast<const __m256i*>(xRank + 8));

    __m256i carried = zero;  // multiplicity before the current 8 positions, in every lane
    __m256i sxy4 = zero;
    __m256i cubes = zero;
    for (uint32_t p = 0; p < padded; p += 8) {
      const __m256i weight = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + p));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(w + p), zero);
      // inclusive prefix sum within the 8 lanes
      __m256i prefix = _mm256_add_epi32(weight, _mm256_slli_si256(weight, 4));
      prefix = _mm256_add_epi32(prefix, _mm256_slli_si256(prefix, 8));
      prefix = _mm256_add_epi32(prefix, _mm256_shuffle_epi32(_mm256_permute2x128_si256(prefix, prefix, 0x08), 0xFF));
      const __m256i inclusive = _mm256_add_epi32(prefix, carried);
      carried = _mm256_add_epi32(carried, _mm256_permutevar8x32_epi32(prefix, seven));
      // doubled centred y midrank: 2 * (multiplicity before) + multiplicity - n
      const __m256i yRank = _mm256_sub_epi32(_mm256_sub_epi32(_mm256_add_epi32(inclusive, inclusive), weight), nVec);
      const __m256i group = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(groupOfPosition + p));
      __m256i xr = _mm256_permutevar8x32_epi32(xRankLow, group);
      if (groups > 8) {
        xr = _mm256_blendv_epi8(xr, _mm256_permutevar8x32_epi32(xRankHigh, group), _mm256_cmpgt_epi32(group, seven));
      }
      sxy4 = _mm256_add_epi32(sxy4, _mm256_mullo_epi32(_mm256_mullo_epi32(weight, yRank), xr));
      cubes = _mm256_add_epi32(cubes, _mm256_mullo_epi32(_mm256_mullo_epi32(weight, weight), weight));
    }
    out[b] = rhoFromExact(static_cast<double>(sumLanes(sxy4)), static_cast<double>(n), static_cast<double>(tieX),
                          static_cast<double>(sumLanes(cubes)) - static_cast<double>(n));
  }
}

// The AVX2 kernel's algorithm on 16 lanes: masked loads for the last draws, mask popcounts for the
// group counts, one vpermd for up to 16 x midranks.
__attribute__((target("avx512f,popcnt"))) void resampleRhosAvx512(const PreparedPair& d, const uint32_t* idx,
                                                                   uint32_t count, double* out, ResampleWorkspace& ws) {
  const auto [n, groups, padded, w, groupOfPosition, pos] = vectorKernelView(d, ws);

  __m512i boundary[kMaxVectorGroups];
  for (uint32_t g = 1; g < groups; ++g) boundary[g] = _mm512_set1_epi32(static_cast<int>(d.xGroupStart[g]));
  const __m512i nVec = _mm512_set1_epi32(static_cast<int>(n));
  const __m512i lastLane = _mm512_set1_epi32(15);
  const __m512i zero = _mm512_setzero_si512();

  for (uint32_t b = 0; b < count; ++b) {
    const uint32_t* row = idx + static_cast<size_t>(b) * n;
    // below[g]: draws from x groups < g (the x midrank's cumulative count)
    alignas(64) int32_t below[kMaxVectorGroups + 1] = {0};
    for (uint32_t t = 0; t < n; t += 16) {
      const auto valid = static_cast<__mmask16>(n - t >= 16 ? 0xFFFF : (1u << (n - t)) - 1);
      const __m512i draws = _mm512_maskz_loadu_epi32(valid, row + t);
      for (uint32_t g = 1; g < groups; ++g) {
        below[g] += _mm_popcnt_u32(_mm512_mask_cmplt_epu32_mask(valid, draws, boundary[g]));
      }
    }
    for (uint32_t t = 0; t < n; ++t) ++w[pos[row[t]]];
    below[groups] = static_cast<int32_t>(n);
    alignas(64) int32_t xRank[kMaxVectorGroups];
    const int64_t tieX = xMidrankTable(below, groups, n, xRank);
    const __m512i xRanks = _mm512_load_si512(xRank);

    __m512i carried = zero;  // multiplicity before the current 16 positions, in every lane
    __m512i sxy4 = zero;
    __m512i cubes = zero;
    for (uint32_t p = 0; p < padded; p += 16) {
      const __m512i weight = _mm512_loadu_si512(w + p);
      _mm512_storeu_si512(w + p, zero);
      // inclusive prefix sum within the 16 lanes (alignr with zero shifts lanes up)
      __m512i prefix = _mm512_add_epi32(weight, _mm512_alignr_epi32(weight, zero, 15));
      prefix = _mm512_add_epi32(prefix, _mm512_alignr_epi32(prefix, zero, 14));
      prefix = _mm512_add_epi32(prefix, _mm512_alignr_epi32(prefix, zero, 12));
      prefix = _mm512_add_epi32(prefix, _mm512_alignr_epi32(prefix, zero, 8));
      const __m512i inclusive = _mm512_add_epi32(prefix, carried);
      carried = _mm512_add_epi32(carried, _mm512_permutexvar_epi32(lastLane, prefix));
      // doubled centred y midrank: 2 * (multiplicity before) + multiplicity - n
      const __m512i yRank = _mm512_sub_epi32(_mm512_sub_epi32(_mm512_add_epi32(inclusive, inclusive), weight), nVec);
      const __m512i xr = _mm512_permutexvar_epi32(_mm512_loadu_si512(groupOfPosition + p), xRanks);
      sxy4 = _mm512_add_epi32(sxy4, _mm512_mullo_epi32(_mm512_mullo_epi32(weight, yRank), xr));
      cubes = _mm512_add_epi32(cubes, _mm512_mullo_epi32(_mm512_mullo_epi32(weight, weight), weight));
    }
    out[b] = rhoFromExact(static_cast<double>(_mm512_reduce_add_epi32(sxy4)), static_cast<double>(n),
                          static_cast<double>(tieX),
                          static_cast<double>(_mm512_reduce_add_epi32(cubes)) - static_cast<double>(n));
  }
}

#endif  // SPEARSIM_X86_VECTORS

}  // namespace

void resampleRhos(const PreparedPair& d, const uint32_t* idx, uint32_t count, double* out, ResampleWorkspace& ws,
                  SimdLevel simd) {
#if SPEARSIM_X86_VECTORS
  if (simd == SimdLevel::kAvx512 && vectorKernelApplies(d)) {
    resampleRhosAvx512(d, idx, count, out, ws);
  } else if (simd == SimdLevel::kAvx2 && vectorKernelApplies(d)) {
    resampleRhosAvx2(d, idx, count, out, ws);
  } else {
    resampleRhosScalar(d, idx, count, out, ws);
  }
#else
  (void)simd;
  resampleRhosScalar(d, idx, count, out, ws);
#endif
}

namespace {

constexpr uint32_t kSelectBuckets = 256;

constexpr uint32_t kMaxRanks = 12;  // a percentile pair with the Monte Carlo SE of each end

// The order statistics ranks[0..count) (0-based, each < m, count <= kMaxRanks) of the finite values v[0..m).
//
// Bucket selection: values are binned by (v - min) * scale, which is monotone in v, so a rank
// falls in the bucket where the cumulative bin counts pass it, and only that bucket's few values
// need sorting. Several times faster than nth_element for the handful of ranks a percentile
// interval needs; exact, since order statistics do not depend on how they are found.
void orderStatistics(const double* v, uint32_t m, const uint32_t* ranks, uint32_t count, double* out) {
  // min and max in four independent chains (a single chain is latency-bound)
  double lows[4] = {v[0], v[0], v[0], v[0]};
  double highs[4] = {v[0], v[0], v[0], v[0]};
  uint32_t i = 0;
  for (; i + 4 <= m; i += 4) {
    for (int lane = 0; lane < 4; ++lane) {
      lows[lane] = std::min(lows[lane], v[i + lane]);
      highs[lane] = std::max(highs[lane], v[i + lane]);
    }
  }
  for (; i < m; ++i) {
    lows[0] = std::min(lows[0], v[i]);
    highs[0] = std::max(highs[0], v[i]);
  }
  const double low = std::min(std::min(lows[0], lows[1]), std::min(lows[2], lows[3]));
  const double high = std::max(std::max(highs[0], highs[1]), std::max(highs[2], highs[3]));
  const double scale = static_cast<double>(kSelectBuckets) / (high - low);
  if (!(scale < INFINITY) || !(scale > 0)) {
    // all values equal, or a range too wide to scale: plain selection
    std::vector<double> copy(v, v + m);
    for (uint32_t r = 0; r < count; ++r) {
      std::nth_element(copy.begin(), copy.begin() + ranks[r], copy.end());
      out[r] = copy[ranks[r]];
    }
    return;
  }
  auto bucketOf = [&](double value) {
    return std::min(kSelectBuckets - 1, static_cast<uint32_t>((value - low) * scale));
  };
  uint32_t histogram[kSelectBuckets] = {0};
  for (i = 0; i < m; ++i) ++histogram[bucketOf(v[i])];
  // the bucket of each rank, and the rank within it
  uint32_t bucketOfRank[kMaxRanks];
  uint32_t rankInBucket[kMaxRanks];
  for (uint32_t r = 0; r < count; ++r) {
    uint32_t bucket = 0;
    uint32_t before = 0;
    while (before + histogram[bucket] <= ranks[r]) before += histogram[bucket++];
    bucketOfRank[r] = bucket;
    rankInBucket[r] = ranks[r] - before;
  }
  // one pass collects the members of every bucket needed
  std::vector<double> members[kMaxRanks];
  for (i = 0; i < m; ++i) {
    const uint32_t bucket = bucketOf(v[i]);
    for (uint32_t r = 0; r < count; ++r) {
      if (bucket == bucketOfRank[r]) {
        members[r].push_back(v[i]);
        break;  // ranks sharing a bucket read the first such slot
      }
    }
  }
  for (uint32_t r = 0; r < count; ++r) {
    uint32_t slot = 0;
    while (bucketOfRank[slot] != bucketOfRank[r]) ++slot;
    std::vector<double>& values = members[slot];
    std::nth_element(values.begin(), values.begin() + rankInBucket[r], values.end());
    out[r] = values[rankInBucket[r]];
  }
}

// Type-7 quantile from its order statistics a = v(f) and b = v(f + 1) (0-based) of m values.
double type7(double a, double b, uint32_t f, uint32_t m, double h) {
  if (f + 1 >= m) return a;
  return a + (h - static_cast<double>(f)) * (b - a);
}

}  // namespace

uint32_t percentilePair(double* values, uint32_t m, double qLo, double qHi, double& lo, double& hi, double* loSe,
                        double* hiSe) {
  const uint32_t valid =
      static_cast<uint32_t>(std::partition(values, values + m, [](double v) { return !std::isnan(v); }) - values);
  const bool withSe = loSe != nullptr && hiSe != nullptr;
  if (valid == 0) {
    lo = hi = std::nan("");
    if (withSe) *loSe = *hiSe = std::nan("");
    return m;
  }
  // quantile levels: the pair, then (with SEs) the band q -+ z s around each end
  double levels[6] = {qLo, qHi};
  uint32_t count = 2;
  if (withSe) {
    for (const double q : {qLo, qHi}) {
      const double s = kMcSeZ * std::sqrt((q * (1 - q)) / static_cast<double>(valid));
      levels[count++] = std::max(0.0, q - s);
      levels[count++] = std::min(1.0, q + s);
    }
  }
  double h[6];
  uint32_t f[6];
  uint32_t ranks[kMaxRanks];
  for (uint32_t k = 0; k < count; ++k) {
    h[k] = static_cast<double>(valid - 1) * levels[k];
    f[k] = static_cast<uint32_t>(std::floor(h[k]));
    ranks[2 * k] = f[k];
    ranks[2 * k + 1] = std::min(f[k] + 1, valid - 1);
  }
  double order[kMaxRanks];
  orderStatistics(values, valid, ranks, 2 * count, order);
  double q[6];
  for (uint32_t k = 0; k < count; ++k) q[k] = type7(order[2 * k], order[2 * k + 1], f[k], valid, h[k]);
  lo = q[0];
  hi = q[1];
  if (withSe) {
    *loSe = valid < 2 ? std::nan("") : (q[3] - q[2]) / (2 * kMcSeZ);
    *hiSe = valid < 2 ? std::nan("") : (q[5] - q[4]) / (2 * kMcSeZ);
  }
  return m - valid;
}

void StoredDatasets::fill(uint64_t rep, uint64_t, double* x, double* y) const {
  std::memcpy(x, x_ + rep * n_, sizeof(double) * n_);
  std::memcpy(y, y_ + rep * n_, sizeof(double) * n_);
}

namespace {

// Draws block `block` of a rep's bootstrap stream and writes its Spearman values to out.
void runBlock(const PreparedPair& d, uint64_t bootKey, uint32_t block, uint32_t length, uint32_t chunk, SimdLevel simd,
              double* out, ResampleWorkspace& ws) {
  ResampleIndexStream stream(childKey(bootKey, block), d.n, simd);
  ws.indices.resize(static_cast<size_t>(chunk) * d.n);
  for (uint32_t done = 0; done < length; done += chunk) {
    const uint32_t count = std::min(chunk, length - done);
    stream.fill(ws.indices.data(), static_cast<size_t>(count) * d.n);
    resampleRhos(d, ws.indices.data(), count, out + done, ws, simd);
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
  requireInRange<uint64_t>("firstBlock", spec.firstBlock, 0, (kMaxBoot - spec.nBoot) / kResamplesPerStream);
  if (!(spec.alpha > 0 && spec.alpha < 1)) requireInRange<double>("alpha", spec.alpha, 1e-300, 1 - 1e-16);

  const int threads = ctx.threads();
  const uint32_t blocks = (spec.nBoot + kResamplesPerStream - 1) / kResamplesPerStream;
  const double qLo = spec.alpha / 2;
  const double qHi = 1 - spec.alpha / 2;
  ctx.setTotal(spec.nReps * spec.nBoot);

  // one thread's state on cache lines of its own: the vectors' headers are written for every rep
  struct alignas(64) ThreadState {
    ResampleWorkspace ws;
    PreparedPair data;
  };
  std::vector<ThreadState> perThread(threads);
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
  auto summarise = [&](uint64_t r, const PreparedPair& d, double* rhos) {
    // copied before percentilePair reorders the values
    if (keepRhos) std::copy(rhos, rhos + spec.nBoot, keepRhos + r * spec.nBoot);
    RepSummary& s = out[r];
    s.rhoHat = d.rhoHat;
    s.loSe = s.hiSe = std::nan("");
    s.dropped = spec.endpointSe ? percentilePair(rhos, spec.nBoot, qLo, qHi, s.lo, s.hi, &s.loSe, &s.hiSe)
                                : percentilePair(rhos, spec.nBoot, qLo, qHi, s.lo, s.hi);
  };

  if (spec.nReps >= static_cast<uint64_t>(2 * threads)) {
    // Many reps: one rep per task, but the last `threads` reps are split into their blocks, so the
    // threads finish within a block of each other rather than within a whole rep.
    struct SplitRep {
      PreparedPair data;
      LineVector<double> rhos;
      std::once_flag loaded;
      std::atomic<uint32_t> blocksLeft;
    };
    const uint64_t splitReps = blocks > 1 && threads > 1 ? static_cast<uint64_t>(threads) : 0;
    const uint64_t wholeReps = spec.nReps - splitReps;
    std::vector<SplitRep> split(splitReps);
    for (SplitRep& rep : split) rep.blocksLeft.store(blocks, std::memory_order_relaxed);
    const auto tasks = static_cast<int64_t>(wholeReps + splitReps * blocks);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (int64_t task = 0; task < tasks; ++task) {
      if (ctx.cancelled() || error.failed()) continue;
      ThreadState& own = perThread[omp_get_thread_num()];
      ResampleWorkspace& ws = own.ws;
      try {
        if (static_cast<uint64_t>(task) < wholeReps) {
          const auto r = static_cast<uint64_t>(task);
          PreparedPair& d = own.data;
          loadRep(r, d, ws);
          const uint64_t bootKey = bootKeyOf(r);
          for (uint32_t j = 0; j < blocks && !ctx.cancelled(); ++j) {
            runBlock(d, bootKey, spec.firstBlock + j, blockLength(j), spec.chunkResamples, spec.simd, ws.rhos.data() + j * kResamplesPerStream, ws);
            ctx.advance(blockLength(j));
          }
          summarise(r, d, ws.rhos.data());
        } else {
          // tasks are taken in order, so a thread waits here at most for one rep's preparation
          const uint64_t r = wholeReps + (task - wholeReps) / blocks;
          const auto j = static_cast<uint32_t>((task - wholeReps) % blocks);
          SplitRep& rep = split[r - wholeReps];
          std::call_once(rep.loaded, [&] {
            loadRep(r, rep.data, ws);
            rep.rhos.resize(spec.nBoot);
          });
          runBlock(rep.data, bootKeyOf(r), spec.firstBlock + j, blockLength(j), spec.chunkResamples, spec.simd, rep.rhos.data() + j * kResamplesPerStream, ws);
          ctx.advance(blockLength(j));
          // the thread that finishes a rep's last block summarises it
          if (rep.blocksLeft.fetch_sub(1, std::memory_order_acq_rel) == 1) summarise(r, rep.data, rep.rhos.data());
        }
      } catch (...) {
        error.capture();
      }
    }
  } else {
    // few reps: the blocks of one rep run in parallel
    PreparedPair& d = perThread[0].data;
    ResampleWorkspace& main = perThread[0].ws;
    for (uint64_t r = 0; r < spec.nReps && !ctx.cancelled() && !error.failed(); ++r) {
      loadRep(r, d, main);
      const uint64_t bootKey = bootKeyOf(r);
      double* rhos = main.rhos.data();
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
      for (int64_t j = 0; j < static_cast<int64_t>(blocks); ++j) {
        if (ctx.cancelled() || error.failed()) continue;
        const auto block = static_cast<uint32_t>(j);
        ResampleWorkspace& ws = perThread[omp_get_thread_num()].ws;
        try {
          runBlock(d, bootKey, spec.firstBlock + block, blockLength(block), spec.chunkResamples, spec.simd, rhos + block * kResamplesPerStream, ws);
          ctx.advance(blockLength(block));
        } catch (...) {
          error.capture();
        }
      }
      if (!ctx.cancelled() && !error.failed()) summarise(r, d, main.rhos.data());
    }
  }
  error.rethrow();
  ctx.throwIfCancelled();
}

double bootstrapBatchTimed(const DatasetSource& source, const BootstrapSpec& spec, Context& ctx, RepSummary* out,
                           double* keepRhos) {
  const auto start = std::chrono::steady_clock::now();
  bootstrapBatch(source, spec, ctx, out, keepRhos);
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace spearsim
