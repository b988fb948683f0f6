// Permutation nulls and power (native/pvalues.hpp, native/power.hpp).
//   buildNull({ counts, yCounts, keepSign, nPre, nullKey, threads }, token, onProgress) -> Promise<Float64Array>
//       (yCounts empty: untied y)
//   createPowerSet({ generator, counts, powerKey, nSims, values, method, alpha, sortedNull, nPerm,
//                    tCrit, keepSets, threads, memoryLimit, fixedBytes }) -> External (a PowerSet)
//   powerEvaluate(set, { mixA, mixB, keepPerSim }, token, onProgress)
//       -> Promise<{ rejections, sumRho, rhoHat?, p? }>
//   powerEvaluateSync(set, { mixA, mixB, keepPerSim }) -> the same object, computed on the calling
//       thread with one kernel thread: for small evaluations (a bisection step of a few hundred
//       sims) whose work is shorter than an asynchronous job's hand-off
//   powerEvaluate(..., { ..., bracketed: true, lower?, upper? }) -> { rejections, sumRho: NaN, regions }:
//       a bisection step (power.hpp evaluateBracketed); lower/upper/regions are Int8Arrays
//   releasePowerSet(set): frees the set now (a later powerEvaluate on it is ERR_INVALID_TYPE)
// A set's native memory is released deterministically by releasePowerSet (lib/power/set-cache.ts calls it
// when a set leaves its cache or its search ends) and otherwise by the handle's GC finalizer; the
// bytes it holds are reported to V8 (AdjustExternalMemory) so that GC pressure reflects them. An
// evaluation job holds its own share of the set, so releasing it during a job is safe.
#include "constants.hpp"
#include <memory>

#include "async.hpp"
#include "generators_binding.hpp"
#include "modules.hpp"
#include "power.hpp"
#include "pvalues.hpp"

namespace spearsim {
namespace binding {
namespace {

class NullJob {
 public:
  NullJob(std::vector<uint32_t> counts, std::vector<uint32_t> yCounts, bool keepSign, uint32_t nPre, uint64_t key)
      : layout_(counts), yCounts_(std::move(yCounts)), keepSign_(keepSign), nPre_(nPre), key_(key) {}
  void run(Context& ctx) {
    out_.allocate(nPre_);  // no zero-fill: a large null is not touched before the kernel's first cancellation check
    buildNull(layout_, yCounts_, keepSign_, key_, nPre_, ctx, out_.data());
  }
  Napi::Value result(Napi::Env env) { return ToFloat64Array(env, out_.data(), out_.size()); }

 private:
  PermutationLayout layout_;
  std::vector<uint32_t> yCounts_;
  bool keepSign_;
  uint32_t nPre_;
  uint64_t key_;
  OutputBuffer<double> out_;
};

Napi::Value BuildNull(const Napi::CallbackInfo& info) {
  Napi::Object o = ObjectArg(info, 0, "options");
  auto job = std::make_unique<NullJob>(Uint32Field(o, "counts"), Uint32Field(o, "yCounts"), BoolField(o, "keepSign"),
                                       static_cast<uint32_t>(IntegerField(o, "nPre", 1, kMaxPre)), KeyField(o, "nullKey"));
  return JobWorker<NullJob>::Start(info, 1, std::move(job), ThreadsField(o));
}

using SetHolder = std::shared_ptr<PowerSet>;

// What a handle owns: the set (empty once released) and the bytes reported to V8 for it.
struct SetBox {
  SetHolder set;
  int64_t externalBytes = 0;
};

void ReleaseBox(Napi::Env env, SetBox& box) {
  box.set.reset();
  if (box.externalBytes != 0) Napi::MemoryManagement::AdjustExternalMemory(env, -box.externalBytes);
  box.externalBytes = 0;
}

Napi::Value CreatePowerSet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = ObjectArg(info, 0, "options");
  PowerTest test;
  test.method = static_cast<PvalueMethod>(IntegerField(o, "method", 0, 2));
  test.alpha = NumberField(o, "alpha");
  if (test.method == PvalueMethod::kNull) test.sortedNull = Float64Field(o, "sortedNull");
  test.nPerm = static_cast<uint32_t>(IntegerField(o, "nPerm", 0, kMaxPerm));
  test.tCrit = NumberField(o, "tCrit");
  const uint64_t nullBytes = test.sortedNull.size() * sizeof(double);
  auto set = std::make_shared<PowerSet>(GeneratorFrom(o), Uint32Field(o, "counts"), KeyField(o, "powerKey"),
                                        IntegerField(o, "nSims", 1, kMaxSims), BoolField(o, "values"), std::move(test),
                                        BoolField(o, "keepSets"), ThreadsField(o), IntegerField(o, "memoryLimit", 1, 1ULL << 53),
                                        IntegerField(o, "fixedBytes", 0, 1ULL << 53));
  // held between evaluations: the null copy, and the kept sets once they are drawn
  auto* box = new SetBox{std::move(set), 0};
  box->externalBytes = static_cast<int64_t>(nullBytes + (box->set->plan().keepSets ? box->set->plan().bytes : 0));
  Napi::MemoryManagement::AdjustExternalMemory(env, box->externalBytes);
  return NewHandle(env, box, kPowerSetTag, [](Napi::Env finalEnv, SetBox* b) {
    ReleaseBox(finalEnv, *b);
    delete b;
  });
}

SetBox& BoxFrom(const Napi::CallbackInfo& info) {
  SetBox* box = info.Length() < 1 ? nullptr : HandleData<SetBox>(info[0], kPowerSetTag);
  if (!box) ThrowCoded(info.Env(), code::kInvalidType, "expected a handle from createPowerSet() (native check)");
  return *box;
}

SetHolder SetFrom(const Napi::CallbackInfo& info) {
  SetBox& box = BoxFrom(info);
  if (!box.set) ThrowCoded(info.Env(), code::kInvalidType, "this power set was released (native check)");
  return box.set;
}

Napi::Value ReleasePowerSet(const Napi::CallbackInfo& info) {
  ReleaseBox(info.Env(), BoxFrom(info));
  return info.Env().Undefined();
}

// The JS result of one evaluation.
Napi::Value OutcomeToJs(Napi::Env env, const PowerRequest& request, const PowerOutcome& outcome) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("rejections", Napi::Number::New(env, static_cast<double>(outcome.tally.rejections)));
  out.Set("sumRho", Napi::Number::New(env, outcome.tally.sumRho));
  if (request.keepPerSim && !request.bracketed) {
    out.Set("rhoHat", ToFloat64Array(env, outcome.rho.data(), outcome.rho.size()));
    out.Set("p", ToFloat64Array(env, outcome.p.data(), outcome.p.size()));
  }
  if (request.bracketed) {
    Napi::Int8Array regions = Napi::Int8Array::New(env, outcome.regions.size());
    std::copy(outcome.regions.begin(), outcome.regions.end(), regions.Data());
    out.Set("regions", regions);
  }
  return out;
}

// { mixA, mixB, keepPerSim, bracketed?, lower?, upper? }; lower/upper are Int8Arrays of nSims regions.
PowerRequest RequestFrom(const Napi::Object& o, uint64_t nSims) {
  PowerRequest r;
  r.mix = MixFrom(o);
  r.bracketed = OptionalBool(o, "bracketed");
  r.keepPerSim = BoolField(o, "keepPerSim") && !r.bracketed;
  for (auto [name, out] : {std::pair<const char*, std::vector<int8_t>*>{"lower", &r.lower}, {"upper", &r.upper}}) {
    Napi::Value v = o.Get(name);
    if (v.IsUndefined()) continue;
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int8_array ||
        v.As<Napi::Int8Array>().ElementLength() != nSims) {
      ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be an Int8Array of nSims regions (native check)");
    }
    Napi::Int8Array a = v.As<Napi::Int8Array>();
    out->assign(a.Data(), a.Data() + a.ElementLength());
  }
  return r;
}

class PowerEvaluateJob {
 public:
  PowerEvaluateJob(SetHolder set, PowerRequest request) : set_(std::move(set)), request_(std::move(request)) {}
  void run(Context& ctx) { outcome_ = set_->run(request_, ctx); }
  Napi::Value result(Napi::Env env) { return OutcomeToJs(env, request_, outcome_); }

 private:
  SetHolder set_;
  PowerRequest request_;
  PowerOutcome outcome_;
};

Napi::Value PowerEvaluate(const Napi::CallbackInfo& info) {
  SetHolder set = SetFrom(info);
  Napi::Object o = ObjectArg(info, 1, "options");
  auto job = std::make_unique<PowerEvaluateJob>(set, RequestFrom(o, set->nSims()));
  const int threads = set->threads();
  return JobWorker<PowerEvaluateJob>::Start(info, 2, std::move(job), threads);
}

Napi::Value PowerEvaluateSync(const Napi::CallbackInfo& info) {
  SetHolder set = SetFrom(info);
  Napi::Object o = ObjectArg(info, 1, "options");
  const PowerRequest request = RequestFrom(o, set->nSims());
  Context ctx(1, nullptr);
  return OutcomeToJs(info.Env(), request, set->run(request, ctx));
}

}  // namespace

void RegisterPower(Napi::Env env, Napi::Object exports) {
  exports.Set("buildNull", Napi::Function::New(env, Guarded<BuildNull>, "buildNull"));
  exports.Set("createPowerSet", Napi::Function::New(env, Guarded<CreatePowerSet>, "createPowerSet"));
  exports.Set("powerEvaluate", Napi::Function::New(env, Guarded<PowerEvaluate>, "powerEvaluate"));
  exports.Set("powerEvaluateSync", Napi::Function::New(env, Guarded<PowerEvaluateSync>, "powerEvaluateSync"));
  exports.Set("releasePowerSet", Napi::Function::New(env, Guarded<ReleasePowerSet>, "releasePowerSet"));
}

}  // namespace binding
}  // namespace spearsim
