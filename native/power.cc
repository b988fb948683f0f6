#include "constants.hpp"
#include "power.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <string>

#include "bootstrap.hpp"
#include "errors.hpp"
#include "ranks.hpp"

namespace spearsim {

namespace {

constexpr uint64_t kSimOutputBytes = 16;  // rho-hat and p of a sim in the chunk buffers

}  // namespace

PowerPlan planPowerMemory(uint32_t n, uint64_t nSims, bool monteCarlo, bool wantKeep, int threads, uint64_t memoryLimit,
                          uint64_t fixedBytes, uint64_t maxChunk) {
  requireInRange<uint64_t>("nSims", nSims, 1, kMaxSims);
  const uint64_t t = static_cast<uint64_t>(threads < 1 ? 1 : threads);
  // bytes of a chunk of c sims: affine in c
  const uint64_t base = monteCarlo ? t * threadScratchBytes(n) /* the Monte Carlo path's x, y, ranks and generator scratch */ : signalSetBytes(n, 0, threads);
  const uint64_t perSim = kSimOutputBytes + (monteCarlo ? 0 : signalSetBytes(n, 1, threads) - signalSetBytes(n, 0, threads));
  const uint64_t minimal = fixedBytes + base + perSim;
  if (memoryLimit < minimal) {
    throw KernelError(code::kMemoryLimit, "memoryLimit " + std::to_string(memoryLimit) +
                                              " bytes cannot hold one power chunk: " + std::to_string(minimal) +
                                              " bytes are needed (n=" + std::to_string(n) + ", threads=" +
                                              std::to_string(t) + ")");
  }
  const uint64_t cap = std::min<uint64_t>(nSims, maxChunk < 1 ? 1 : maxChunk);
  if (!monteCarlo && wantKeep) {
    // every chunk's set kept: full chunks of `cap` sims and a remainder
    const uint64_t full = nSims / cap;
    const uint64_t rest = nSims % cap;
    const uint64_t all = fixedBytes + cap * kSimOutputBytes + full * signalSetBytes(n, cap, threads) +
                         (rest > 0 ? signalSetBytes(n, rest, threads) : 0);
    if (all <= memoryLimit) return PowerPlan{cap, true, all, minimal};
  }
  const uint64_t chunk = std::min<uint64_t>(cap, (memoryLimit - fixedBytes - base) / perSim);
  return PowerPlan{chunk, false, fixedBytes + base + chunk * perSim, minimal};
}

PowerSet::PowerSet(std::shared_ptr<const Generator> gen, std::vector<uint32_t> counts, uint64_t powerKey,
                   uint64_t nSims, bool values, PowerTest test, bool keepSets, int threads, uint64_t memoryLimit,
                   uint64_t fixedBytes)
    : gen_(std::move(gen)),
      layout_(counts),
      key_(powerKey),
      nSims_(nSims),
      values_(values),
      test_(std::move(test)),
      threads_(threads < 1 ? 1 : threads),
      memoryLimit_(memoryLimit) {
  // counts and template describe the same tie structure (the MC layout must match the data)
  if (layout_.n() != gen_->n() || layout_.tiesX() != gen_->xTies()) {
    throw KernelError(code::kLengthMismatch, "counts must be the tie structure of the template (native check)");
  }
  if (!(test_.alpha > 0 && test_.alpha < 1)) requireInRange<double>("alpha", test_.alpha, 1e-300, 1 - 1e-16);
  if (test_.method == PvalueMethod::kNull && test_.sortedNull.empty()) {
    throw KernelError(code::kOutOfRange, "the null method needs a non-empty sorted null (native check)");
  }
  if (test_.method == PvalueMethod::kMonteCarlo) requireInRange<uint64_t>("nPerm", test_.nPerm, 1, kMaxPerm);
  if (test_.method == PvalueMethod::kNull) nullRejectIndex_ = nullRejectIndex(test_.sortedNull.size(), test_.alpha);
  if (!values_ && gen_->entry().needsValues) {
    throw KernelError(code::kOutOfRange, std::string("the ") + gen_->entry().name + " generator needs values (pool ties; native check)");
  }
  plan_ = planPowerMemory(gen_->n(), nSims, test_.method == PvalueMethod::kMonteCarlo, keepSets, threads_, memoryLimit,
                          fixedBytes, kMaxChunkSims);
}

void PowerSet::chunkRhos(uint64_t chunk, uint64_t first, uint64_t count, Mix mix, Context& ctx, double* rho) {
  if (plan_.keepSets) {
    if (sets_.size() <= chunk) {
      sets_.push_back(std::make_unique<SignalSet>(*gen_, key_, first, static_cast<uint32_t>(count), memoryLimit_, ctx));
    }
    sets_[chunk]->datasetRhos(mix, rho, ctx);
    return;
  }
  SignalSet set(*gen_, key_, first, static_cast<uint32_t>(count), memoryLimit_, ctx);
  set.datasetRhos(mix, rho, ctx);
}

void PowerSet::chunkMonteCarlo(uint64_t first, uint64_t count, Mix mix, Context& ctx, double* rho, double* p) {
  const uint32_t n = gen_->n();
  std::exception_ptr error;
  std::mutex errorMutex;
  std::atomic<bool> failed{false};
#pragma omp parallel num_threads(ctx.threads())
  {
    GeneratorScratch ws;
    std::vector<double> x(n), y(n);
    std::vector<int64_t> rank2(n);
    std::vector<int32_t> permuted(n);
    std::vector<uint32_t> order;
#pragma omp for schedule(dynamic, 16)
    for (int64_t j = 0; j < static_cast<int64_t>(count); ++j) {
      if (ctx.cancelled() || failed.load(std::memory_order_relaxed)) continue;
      try {
        const uint64_t sim = first + static_cast<uint64_t>(j);
        Rng data(repStreamKey(key_, sim, kStreamData));
        gen_->generate(data, mix, values_, ws, x.data(), y.data());
        const double tiesY = doubledCentredRanks(y.data(), n, rank2.data(), order);
        const int32_t* xr = ws.parts.xRank2.data();
        int64_t sxy4 = 0;
        for (uint32_t k = 0; k < n; ++k) {
          sxy4 += xr[k] * rank2[k];
          permuted[k] = static_cast<int32_t>(rank2[k]);
        }
        double r = rhoFromExact(static_cast<double>(sxy4), n, gen_->xTies(), tiesY);
        if (std::isnan(r)) r = 0.0;  // constant y counts as 0, as in the set path (docs/methods.md, "P-values and power")
        Rng perm(repStreamKey(key_, sim, kStreamPerm));
        rho[j] = r;
        p[j] = mcPermutationPvalue(layout_, permuted.data(), tiesY, r, test_.nPerm, perm);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (!error) error = std::current_exception();
        failed.store(true, std::memory_order_relaxed);
      }
    }
  }
  if (error) std::rethrow_exception(error);
}

bool PowerSet::rejects(double rho, double p) const {
  switch (test_.method) {
    case PvalueMethod::kNull:
      return nullRejects(test_.sortedNull.data(), nullRejectIndex_, rho);
    case PvalueMethod::kTApprox:
      return std::fabs(tStatistic(rho, gen_->n())) > test_.tCrit;
    case PvalueMethod::kMonteCarlo:
      break;
  }
  return p < test_.alpha;
}

PowerTally PowerSet::evaluate(Mix mix, Context& ctx, double* rhoOut, double* pOut) {
  std::lock_guard<std::mutex> lock(mutex_);
  return evaluateLocked(mix, ctx, rhoOut, pOut);
}

uint64_t PowerSet::evaluateBracketed(Mix mix, const int8_t* lower, const int8_t* upper, int8_t* regionsOut,
                                     Context& ctx) {
  std::lock_guard<std::mutex> lock(mutex_);
  const bool skip = lower && upper && plan_.keepSets && test_.method != PvalueMethod::kMonteCarlo &&
                    sets_.size() * plan_.chunkSims >= nSims_;
  if (!skip) {
    std::vector<double> rho(nSims_), p(nSims_);
    evaluateLocked(mix, ctx, rho.data(), p.data());
    uint64_t rejections = 0;
    for (uint64_t i = 0; i < nSims_; ++i) {
      regionsOut[i] = region(rho[i], p[i]);
      rejections += regionsOut[i] != 0 ? 1 : 0;
    }
    return rejections;
  }
  ctx.setTotal(nSims_);
  std::vector<uint32_t> which;
  std::vector<double> rho;
  uint64_t rejections = 0;
  for (uint64_t first = 0, chunk = 0; first < nSims_; first += plan_.chunkSims, ++chunk) {
    ctx.throwIfCancelled();
    const uint64_t count = std::min(plan_.chunkSims, nSims_ - first);
    which.clear();
    for (uint64_t j = 0; j < count; ++j) {
      const uint64_t i = first + j;
      if (lower[i] == upper[i]) {
        regionsOut[i] = lower[i];
      } else {
        which.push_back(static_cast<uint32_t>(j));
      }
    }
    rho.resize(which.size());
    if (!which.empty()) sets_[chunk]->datasetRhosSubset(mix, which.data(), static_cast<uint32_t>(which.size()), rho.data(), ctx);
    for (size_t w = 0; w < which.size(); ++w) regionsOut[first + which[w]] = region(rho[w], std::nan(""));
    for (uint64_t j = 0; j < count; ++j) rejections += regionsOut[first + j] != 0 ? 1 : 0;
    ctx.advance(count);
  }
  return rejections;
}

PowerTally PowerSet::evaluateLocked(Mix mix, Context& ctx, double* rhoOut, double* pOut) {
  ctx.setTotal(nSims_);
  const uint64_t chunkSims = plan_.chunkSims;
  std::vector<double> rho(std::min(chunkSims, nSims_));
  std::vector<double> p(rho.size());
  const double* nullValues = test_.sortedNull.data();
  const uint64_t nPre = test_.sortedNull.size();
  PowerTally tally;
  for (uint64_t first = 0, chunk = 0; first < nSims_; first += chunkSims, ++chunk) {
    ctx.throwIfCancelled();
    const uint64_t count = std::min(chunkSims, nSims_ - first);
    if (test_.method == PvalueMethod::kMonteCarlo) {
      chunkMonteCarlo(first, count, mix, ctx, rho.data(), p.data());
      ctx.throwIfCancelled();
    } else {
      chunkRhos(chunk, first, count, mix, ctx, rho.data());
      // the p-values only when asked for: the tally needs none (rejects decides from rho)
      if (pOut && test_.method == PvalueMethod::kNull) {
        // a binary search in the null per sim: worth the threads (each p is independent)
#pragma omp parallel for num_threads(ctx.threads()) schedule(static)
        for (int64_t j = 0; j < static_cast<int64_t>(count); ++j) p[j] = nullPvalue(nullValues, nPre, rho[j]);
      } else if (pOut) {
        std::fill(p.begin(), p.begin() + count, std::nan(""));  // no p under the t approximation
      }
    }
    for (uint64_t j = 0; j < count; ++j) {
      tally.rejections += rejects(rho[j], p[j]) ? 1 : 0;
      tally.sumRho += rho[j];
    }
    if (rhoOut) std::copy(rho.begin(), rho.begin() + count, rhoOut + first);
    if (pOut) std::copy(p.begin(), p.begin() + count, pOut + first);
    ctx.advance(count);
  }
  return tally;
}

PowerOutcome PowerSet::run(const PowerRequest& request, Context& ctx) {
  PowerOutcome out;
  if (request.bracketed) {
    // a bisection step: the rejection count and the sims' regions (sumRho is not computed)
    out.regions.resize(nSims_);
    out.tally.rejections = evaluateBracketed(request.mix, request.lower.empty() ? nullptr : request.lower.data(),
                                             request.upper.empty() ? nullptr : request.upper.data(), out.regions.data(), ctx);
    out.tally.sumRho = std::nan("");
    return out;
  }
  if (request.keepPerSim) {
    out.rho.resize(nSims_);
    out.p.resize(nSims_);
  }
  out.tally = evaluate(request.mix, ctx, request.keepPerSim ? out.rho.data() : nullptr, request.keepPerSim ? out.p.data() : nullptr);
  return out;
}

}  // namespace spearsim
