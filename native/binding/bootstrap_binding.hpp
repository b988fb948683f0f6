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
  // Runs bootstrapBatch into newly allocated summaries (keepRhos: nReps x nBoot values, or null).
  void run(const DatasetSource& source, const BootstrapSpec& spec, Context& ctx, double* keepRhos = nullptr);
  // { lo, hi, rhoHat: Float64Array, dropped: Uint32Array, kernelMs: number }
  Napi::Object ToJs(Napi::Env env) const;

 private:
  OutputBuffer<RepSummary> reps_;
  double kernelMs_ = 0;
};

// Reads nBoot, alpha, baseKey, repOffset and chunkResamples from an options object.
BootstrapSpec BootstrapSpecFrom(const Napi::Object& o, uint64_t nReps);

}  // namespace binding
}  // namespace spearsim
