// Shared by the bindings that run the batch bootstrap on other dataset sources.
#pragma once
#include <napi.h>

#include <vector>

#include "async.hpp"
#include "bootstrap.hpp"

namespace spearsim {
namespace binding {

// { lo, hi, rhoHat: Float64Array, dropped: Uint32Array } from per-rep summaries.
Napi::Value RepSummariesToJs(Napi::Env env, const RepSummary* reps, size_t count);

// Reads nBoot, alpha, baseKey, repOffset and chunkResamples from an options object.
BootstrapSpec BootstrapSpecFrom(const Napi::Object& o, uint64_t nReps);

}  // namespace binding
}  // namespace spearsim
