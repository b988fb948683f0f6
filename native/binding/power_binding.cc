// Permutation nulls and power (native/pvalues.hpp, native/power.hpp).
//   buildNull({ counts, nPre, nullKey, threads }, token, onProgress) -> Promise<Float64Array>
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
// A set's native memory is released deterministically by releasePowerSet (lib/power.ts calls it
// when a set leaves its cache or its search ends) and otherwise by the handle's GC finalizer; the
// bytes it holds are reported to V8 (AdjustExternalMemory) so that GC pressure reflects them. An
// evaluation job holds its own share of the set, so releasing it during a job is safe.
#include "limits.hpp"
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
  NullJob(std::vector<uint32_t> counts, uint32_t nPre, uint64_t key) : layout_(counts), nPre_(nPre), key_(key) {}
  void run(Context& ctx) {
    out_.allocate(nPre_);  // no zero-fill: a large null is not touched before the kernel's first cancellation check
    buildNull(layout_, key_, nPre_, ctx, out_.data());
  }
  Napi::Value result(Napi::Env env) { return ToFloat64Array(env, out_.data(), out_.size()); }

 private:
  PermutationLayout layout_;
  uint32_t nPre_;
  uint64_t key_;
  OutputBuffer<double> out_;
};

Napi::Value BuildNull(const Napi::CallbackInfo& info) {
  Napi::Object o = ObjectArg(info, 0, "options");
  auto job = std::make_unique<NullJob>(Uint32Field(o, "counts"), static_cast<uint32_t>(IntegerField(o, "nPre", 1, kMaxPre)),
                                       KeyField(o, "nullKey"));
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
  test.nPerm = static_cast<uint32_t>(IntegerField(o, "nPerm", 0, 10000000));
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
Napi::Value TallyToJs(Napi::Env env, const PowerTally& tally, const std::vector<double>* rho, const std::vector<double>* p) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("rejections", Napi::Number::New(env, static_cast<double>(tally.rejections)));
  out.Set("sumRho", Napi::Number::New(env, tally.sumRho));
  if (rho && p) {
    out.Set("rhoHat", ToFloat64Array(env, rho->data(), rho->size()));
    out.Set("p", ToFloat64Array(env, p->data(), p->size()));
  }
  return out;
}

// The bracket ends of a bisection step (empty when that end is not known yet).
struct Bracket {
  bool active = false;
  std::vector<int8_t> lower, upper;
};

Bracket BracketFrom(const Napi::Object& o, uint64_t nSims) {
  Bracket b;
  b.active = OptionalBool(o, "bracketed");
  for (auto [name, out] : {std::pair<const char*, std::vector<int8_t>*>{"lower", &b.lower}, {"upper", &b.upper}}) {
    Napi::Value v = o.Get(name);
    if (v.IsUndefined()) continue;
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int8_array ||
        v.As<Napi::Int8Array>().ElementLength() != nSims) {
      ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be an Int8Array of nSims regions (native check)");
    }
    Napi::Int8Array a = v.As<Napi::Int8Array>();
    out->assign(a.Data(), a.Data() + a.ElementLength());
  }
  return b;
}

class PowerEvaluateJob {
 public:
  PowerEvaluateJob(SetHolder set, Mix mix, bool keepPerSim, Bracket bracket)
      : set_(std::move(set)), mix_(mix), keep_(keepPerSim && !bracket.active), bracket_(std::move(bracket)) {}
  void run(Context& ctx) {
    if (bracket_.active) {
      // a bisection step: the rejection count and the sims' regions (sumRho is not computed)
      regions_.resize(set_->nSims());
      tally_.rejections = set_->evaluateBracketed(mix_, bracket_.lower.empty() ? nullptr : bracket_.lower.data(),
                                                  bracket_.upper.empty() ? nullptr : bracket_.upper.data(),
                                                  regions_.data(), ctx);
      tally_.sumRho = std::nan("");
      return;
    }
    if (keep_) {
      rho_.resize(set_->nSims());
      p_.resize(set_->nSims());
    }
    tally_ = set_->evaluate(mix_, ctx, keep_ ? rho_.data() : nullptr, keep_ ? p_.data() : nullptr);
  }
  Napi::Value result(Napi::Env env) {
    Napi::Value out = TallyToJs(env, tally_, keep_ ? &rho_ : nullptr, keep_ ? &p_ : nullptr);
    if (bracket_.active) {
      Napi::Int8Array regions = Napi::Int8Array::New(env, regions_.size());
      std::copy(regions_.begin(), regions_.end(), regions.Data());
      out.As<Napi::Object>().Set("regions", regions);
    }
    return out;
  }

 private:
  SetHolder set_;
  Mix mix_;
  bool keep_;
  Bracket bracket_;
  std::vector<int8_t> regions_;
  PowerTally tally_;
  std::vector<double> rho_, p_;
};

Napi::Value PowerEvaluate(const Napi::CallbackInfo& info) {
  SetHolder set = SetFrom(info);
  Napi::Object o = ObjectArg(info, 1, "options");
  auto job = std::make_unique<PowerEvaluateJob>(set, MixFrom(o), BoolField(o, "keepPerSim"), BracketFrom(o, set->nSims()));
  const int threads = set->threads();
  return JobWorker<PowerEvaluateJob>::Start(info, 2, std::move(job), threads);
}

Napi::Value PowerEvaluateSync(const Napi::CallbackInfo& info) {
  SetHolder set = SetFrom(info);
  Napi::Object o = ObjectArg(info, 1, "options");
  PowerEvaluateJob job(set, MixFrom(o), BoolField(o, "keepPerSim"), BracketFrom(o, set->nSims()));
  Context ctx(1, nullptr);
  job.run(ctx);
  return job.result(info.Env());
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
