// bootstrapStored: batch percentile bootstrap of datasets passed from JS.
#include "constants.hpp"
#include "bootstrap_binding.hpp"

#include <cstring>

#include "async.hpp"
#include "buffer_pool.hpp"
#include "modules.hpp"
#include "ranks.hpp"
#include "simd.hpp"

namespace spearsim {
namespace binding {

void BatchOutput::run(const DatasetSource& source, const BootstrapSpec& spec, Context& ctx) {
  reps_.allocate(spec.nReps);
  endpointSe_ = spec.endpointSe;
  if (keepRhos_) rhos_.allocate(spec.nReps * spec.nBoot);
  kernelMs_ = bootstrapBatchTimed(source, spec, ctx, reps_.data(), keepRhos_ ? rhos_.data() : nullptr);
}

Napi::Object BatchOutput::ToJs(Napi::Env env) const {
  const size_t m = reps_.size();
  const RepSummary* reps = reps_.data();
  Napi::Float64Array lo = Napi::Float64Array::New(env, m);
  Napi::Float64Array hi = Napi::Float64Array::New(env, m);
  Napi::Float64Array rhoHat = Napi::Float64Array::New(env, m);
  Napi::Uint32Array dropped = Napi::Uint32Array::New(env, m);
  for (size_t r = 0; r < m; ++r) {
    lo[r] = reps[r].lo;
    hi[r] = reps[r].hi;
    rhoHat[r] = reps[r].rhoHat;
    dropped[r] = reps[r].dropped;
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("lo", lo);
  out.Set("hi", hi);
  out.Set("rhoHat", rhoHat);
  out.Set("dropped", dropped);
  out.Set("kernelMs", Napi::Number::New(env, kernelMs_));
  if (keepRhos_) out.Set("rhos", ToFloat64Array(env, rhos_.data(), rhos_.size()));
  if (endpointSe_) {
    Napi::Float64Array loSe = Napi::Float64Array::New(env, m);
    Napi::Float64Array hiSe = Napi::Float64Array::New(env, m);
    for (size_t r = 0; r < m; ++r) {
      loSe[r] = reps[r].loSe;
      hiSe[r] = reps[r].hiSe;
    }
    out.Set("loSe", loSe);
    out.Set("hiSe", hiSe);
  }
  return out;
}

BootstrapSpec BootstrapSpecFrom(const Napi::Object& o, uint64_t nReps) {
  BootstrapSpec spec;
  spec.nReps = nReps;
  spec.nBoot = static_cast<uint32_t>(IntegerField(o, "nBoot", 1, kMaxBoot));
  spec.alpha = NumberField(o, "alpha");
  if (!(spec.alpha > 0 && spec.alpha < 1)) ThrowCoded(o.Env(), code::kOutOfRange, "alpha must be in (0, 1) (native check)");
  spec.baseKey = KeyField(o, "baseKey");
  spec.repOffset = IntegerField(o, "repOffset", 0, 1ULL << 52);
  spec.chunkResamples = static_cast<uint32_t>(IntegerField(o, "chunkResamples", 1, kResamplesPerStream));
  // optional: 0 (a run from the first resample) and no endpoint SEs when absent
  if (!o.Get("firstBlock").IsUndefined()) spec.firstBlock = static_cast<uint32_t>(IntegerField(o, "firstBlock", 0, kMaxBoot / kResamplesPerStream));
  spec.endpointSe = OptionalBool(o, "endpointSe");
  spec.simd = simdLevel();
  return spec;
}

bool KeepRhosFrom(const Napi::Object& o, const BootstrapSpec& spec) {
  const Napi::Value v = o.Get("keepRhos");
  if (v.IsUndefined()) return false;
  if (!v.IsBoolean()) ThrowCoded(o.Env(), code::kInvalidType, "keepRhos must be a boolean (native check)");
  const bool keep = v.As<Napi::Boolean>().Value();
  if (keep && static_cast<double>(spec.nReps) * spec.nBoot > 4294967296.0) {
    ThrowCoded(o.Env(), code::kOutOfRange, "keepRhos needs nReps * nBoot <= 2^32 (native check)");
  }
  return keep;
}

namespace {

class StoredBootstrapJob {
 public:
  // x and y (nReps * n values each) are copied into one recycled buffer: freshly mapped memory
  // would page-fault on the copy
  StoredBootstrapJob(const Napi::Float64Array& x, const Napi::Float64Array& y, uint32_t n, BootstrapSpec spec, bool keepRhos)
      : inputs_(acquireBuffer(2 * x.ByteLength())), n_(n), spec_(spec), out_(keepRhos) {
    std::memcpy(xData(), x.Data(), x.ByteLength());
    std::memcpy(yData(), y.Data(), y.ByteLength());
  }
  void run(Context& ctx) {
    const StoredDatasets source(xData(), yData(), n_);
    out_.run(source, spec_, ctx);
  }
  Napi::Value result(Napi::Env env) { return out_.ToJs(env); }

 private:
  double* xData() { return static_cast<double*>(inputs_.get()); }
  double* yData() { return xData() + spec_.nReps * n_; }

  PooledBuffer inputs_;  // x, then y
  uint32_t n_;
  BootstrapSpec spec_;
  BatchOutput out_;
};

// bootstrapStored({ x, y, n, nReps, nBoot, alpha, baseKey, repOffset, firstBlock?, endpointSe?, chunkResamples, threads, keepRhos? },
//                 token, onProgress); keepRhos adds `rhos` (nReps x nBoot resample values) to the result.
Napi::Value BootstrapStored(const Napi::CallbackInfo& info) {
  Napi::Object o = ObjectArg(info, 0, "options");
  const auto n = static_cast<uint32_t>(IntegerField(o, "n", 3, kMaxExactN));
  const uint64_t nReps = IntegerField(o, "nReps", 1, kMaxReps);
  const Napi::Float64Array x = Float64ArrayField(o, "x");
  const Napi::Float64Array y = Float64ArrayField(o, "y");
  if (x.ElementLength() != y.ElementLength() || x.ElementLength() != nReps * n) {
    ThrowCoded(info.Env(), code::kLengthMismatch,
               "x and y must both hold nReps * n = " + std::to_string(nReps * n) + " values (native check)");
  }
  const BootstrapSpec spec = BootstrapSpecFrom(o, nReps);
  auto job = std::make_unique<StoredBootstrapJob>(x, y, n, spec, KeepRhosFrom(o, spec));
  return JobWorker<StoredBootstrapJob>::Start(info, 1, std::move(job), ThreadsField(o));
}

}  // namespace

void RegisterBootstrap(Napi::Env env, Napi::Object exports) {
  exports.Set("bootstrapStored", Napi::Function::New(env, Guarded<BootstrapStored>, "bootstrapStored"));
}

}  // namespace binding
}  // namespace spearsim
