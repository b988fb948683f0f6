// bootstrapStored: batch percentile bootstrap of datasets passed from JS.
#include "limits.hpp"
#include "bootstrap_binding.hpp"

#include "async.hpp"
#include "modules.hpp"
#include "ranks.hpp"
#include "simd.hpp"

namespace spearsim {
namespace binding {

Napi::Value RepSummariesToJs(Napi::Env env, const RepSummary* reps, size_t count) {
  const size_t m = count;
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
  spec.simd = simdLevel();
  return spec;
}

namespace {

class StoredBootstrapJob {
 public:
  StoredBootstrapJob(std::vector<double> x, std::vector<double> y, uint32_t n, BootstrapSpec spec, bool keepRhos)
      : x_(std::move(x)), y_(std::move(y)), n_(n), spec_(spec), keepRhos_(keepRhos) {}
  void run(Context& ctx) {
    out_.allocate(spec_.nReps);
    if (keepRhos_) rhos_.allocate(spec_.nReps * spec_.nBoot);
    StoredDatasets source(x_.data(), y_.data(), n_);
    bootstrapBatch(source, spec_, ctx, out_.data(), keepRhos_ ? rhos_.data() : nullptr);
  }
  Napi::Value result(Napi::Env env) {
    Napi::Value out = RepSummariesToJs(env, out_.data(), out_.size());
    if (keepRhos_) out.As<Napi::Object>().Set("rhos", ToFloat64Array(env, rhos_.data(), rhos_.size()));
    return out;
  }

 private:
  std::vector<double> x_, y_;
  uint32_t n_;
  BootstrapSpec spec_;
  bool keepRhos_;
  OutputBuffer<RepSummary> out_;
  OutputBuffer<double> rhos_;
};

// Optional boolean field: absent/undefined -> false.
bool OptionalBoolField(const Napi::Object& o, const char* name) {
  const Napi::Value v = o.Get(name);
  if (v.IsUndefined()) return false;
  if (!v.IsBoolean()) ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be a boolean (native check)");
  return v.As<Napi::Boolean>().Value();
}

// bootstrapStored({ x, y, n, nReps, nBoot, alpha, baseKey, repOffset, chunkResamples, threads, keepRhos? },
//                 token, onProgress); keepRhos adds `rhos` (nReps x nBoot resample values) to the result.
Napi::Value BootstrapStored(const Napi::CallbackInfo& info) {
  Napi::Object o = ObjectArg(info, 0, "options");
  const auto n = static_cast<uint32_t>(IntegerField(o, "n", 3, kMaxExactN));
  const uint64_t nReps = IntegerField(o, "nReps", 1, kMaxReps);
  std::vector<double> x = Float64Field(o, "x");
  std::vector<double> y = Float64Field(o, "y");
  if (x.size() != y.size() || x.size() != nReps * n) {
    ThrowCoded(info.Env(), code::kLengthMismatch,
               "x and y must both hold nReps * n = " + std::to_string(nReps * n) + " values (native check)");
  }
  const BootstrapSpec spec = BootstrapSpecFrom(o, nReps);
  const bool keepRhos = OptionalBoolField(o, "keepRhos");
  if (keepRhos && static_cast<double>(nReps) * spec.nBoot > 4294967296.0) {
    ThrowCoded(info.Env(), code::kOutOfRange, "keepRhos needs nReps * nBoot <= 2^32 (native check)");
  }
  auto job = std::make_unique<StoredBootstrapJob>(std::move(x), std::move(y), n, spec, keepRhos);
  return JobWorker<StoredBootstrapJob>::Start(info, 1, std::move(job), ThreadsField(o));
}

}  // namespace

void RegisterBootstrap(Napi::Env env, Napi::Object exports) {
  exports.Set("bootstrapStored", Napi::Function::New(env, Guarded<BootstrapStored>, "bootstrapStored"));
}

}  // namespace binding
}  // namespace spearsim
