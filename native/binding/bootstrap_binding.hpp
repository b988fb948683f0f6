// Shared by the bindings that run the batch bootstrap on other dataset sources.
#pragma once
#include <napi.h>

#include <vector>

#include "async.hpp"
#include "bootstrap.hpp"

namespace spearsim {
namespace binding {

// What a batch bootstrap job returns: the per-rep summaries and the kernel's own wall time (the
// benchmarks separate it from the hand-off between JS and the job).
class BatchOutput {
 public:
  // keepRhos: also keep every resample's rho (nReps x nBoot values), for intervals that need the
  // whole distribution (BCa).
  explicit BatchOutput(bool keepRhos = false) : keepRhos_(keepRhos) {}
  // Runs bootstrapBatch into newly allocated summaries (and resample values with keepRhos).
  void run(const DatasetSource& source, const BootstrapSpec& spec, Context& ctx);
  // { lo, hi, rhoHat: Float64Array, dropped: Uint32Array, kernelMs: number, rhos?: Float64Array,
  //   loSe?, hiSe?: Float64Array (with spec.endpointSe) }
  Napi::Object ToJs(Napi::Env env) const;

 private:
  bool keepRhos_;
  bool endpointSe_ = false;
  OutputBuffer<RepSummary> reps_;
  OutputBuffer<double> rhos_;
  double kernelMs_ = 0;
};

// Reads nBoot, alpha, baseKey, repOffset and chunkResamples from an options object.
BootstrapSpec BootstrapSpecFrom(const Napi::Object& o, uint64_t nReps);

// Reads the optional keepRhos field (absent = false); nReps * nBoot values must fit 2^32.
bool KeepRhosFrom(const Napi::Object& o, const BootstrapSpec& spec);

}  // namespace binding
}  // namespace spearsim
