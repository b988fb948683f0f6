// Version information, the process-wide thread budget, random-stream samples (test vectors),
// midranks and Spearman.
#include <omp.h>

#include <string>

#include "async.hpp"
#include "index_stream.hpp"
#include "modules.hpp"
#include "ranks.hpp"
#include "rng.hpp"
#include "simd.hpp"
#include "thread_budget.hpp"

namespace spearsim {
namespace binding {
namespace {

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("abi", Napi::Number::New(env, 1));
  o.Set("openmp", Napi::Number::New(env, _OPENMP));
  o.Set("maxThreads", Napi::Number::New(env, omp_get_num_procs()));
  o.Set("compiler", Napi::String::New(env, __VERSION__));
  return o;
}

// threadBudget() -> { limit, inUse, peak, pinning }: the process-wide kernel-thread budget (thread_budget.hpp)
Napi::Value ThreadBudgetOf(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const ThreadBudgetState s = ThreadBudget::process().state();
  Napi::Object o = Napi::Object::New(env);
  o.Set("limit", Napi::Number::New(env, s.limit));
  o.Set("inUse", Napi::Number::New(env, s.inUse));
  o.Set("peak", Napi::Number::New(env, s.peak));
  o.Set("pinning", Napi::Boolean::New(env, s.pinning));
  return o;
}

// setThreadBudget(limit): limit > 0 caps the process's kernel threads, 0 restores the default
Napi::Value SetThreadBudget(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) ThrowCoded(env, code::kInvalidType, "limit must be a number (native check)");
  const double limit = info[0].As<Napi::Number>().DoubleValue();
  if (!(limit >= 0 && limit <= 1024 && limit == static_cast<int>(limit))) {
    ThrowCoded(env, code::kOutOfRange, "limit must be an integer in [0, 1024] (native check)");
  }
  ThreadBudget::process().setLimit(static_cast<int>(limit));
  return env.Undefined();
}

// resetThreadPeak(): the peak starts again from the threads in use now
Napi::Value ResetThreadPeak(const Napi::CallbackInfo& info) {
  ThreadBudget::process().resetPeak();
  return info.Env().Undefined();
}

// rngSample({ key, kind, count, range }) -> Float64Array (uint64 as BigUint64Array for kind "u64")
Napi::Value RngSample(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = ObjectArg(info, 0, "options");
  Rng rng(KeyField(o, "key"));
  const auto count = static_cast<size_t>(IntegerField(o, "count", 0, 1 << 24));
  const std::string kind = o.Get("kind").ToString().Utf8Value();
  if (kind == "u64") {
    Napi::BigUint64Array a = Napi::BigUint64Array::New(env, count);
    for (size_t i = 0; i < count; ++i) a[i] = rng.next();
    return a;
  }
  Napi::Float64Array a = Napi::Float64Array::New(env, count);
  if (kind == "uniform") {
    for (size_t i = 0; i < count; ++i) a[i] = rng.uniform();
  } else if (kind == "uniformOpen") {
    for (size_t i = 0; i < count; ++i) a[i] = rng.uniformOpen();
  } else if (kind == "normal") {
    for (size_t i = 0; i < count; ++i) a[i] = rng.normal();
  } else if (kind == "bounded") {
    const auto range = static_cast<uint32_t>(IntegerField(o, "range", 1, 4294967295u));
    for (size_t i = 0; i < count; ++i) a[i] = rng.bounded(range);
  } else if (kind == "resampleIndices") {
    const auto range = static_cast<uint32_t>(IntegerField(o, "range", 1, 4294967295u));
    std::vector<uint32_t> indices(count);
    ResampleIndexStream(KeyField(o, "key"), range, simdLevel()).fill(indices.data(), count);
    for (size_t i = 0; i < count; ++i) a[i] = indices[i];
  } else if (kind == "shuffle") {
    std::vector<uint32_t> p(count);
    for (size_t i = 0; i < count; ++i) p[i] = static_cast<uint32_t>(i);
    rng.shuffle(p.data(), static_cast<uint32_t>(count));
    for (size_t i = 0; i < count; ++i) a[i] = p[i];
  } else {
    ThrowCoded(env, code::kOutOfRange, "kind must be one of u64, uniform, uniformOpen, normal, bounded, resampleIndices, shuffle");
  }
  return a;
}

Napi::Value ChildKey(const Napi::CallbackInfo& info) {
  Napi::Object o = ObjectArg(info, 0, "options");
  return Napi::BigInt::New(info.Env(), childKey(KeyField(o, "key"), KeyField(o, "label")));
}

Napi::Value Midranks(const Napi::CallbackInfo& info) {
  Napi::Object o = ObjectArg(info, 0, "options");
  const std::vector<double> v = Float64Field(o, "values");
  std::vector<int64_t> r2(v.size());
  std::vector<uint32_t> order;
  doubledCentredRanks(v.data(), static_cast<uint32_t>(v.size()), r2.data(), order);
  Napi::Float64Array out = Napi::Float64Array::New(info.Env(), v.size());
  const double shift = static_cast<double>(v.size()) + 1;
  for (size_t i = 0; i < v.size(); ++i) out[i] = (static_cast<double>(r2[i]) + shift) / 2;
  return out;
}

Napi::Value Spearman(const Napi::CallbackInfo& info) {
  Napi::Object o = ObjectArg(info, 0, "options");
  const std::vector<double> x = Float64Field(o, "x");
  const std::vector<double> y = Float64Field(o, "y");
  if (x.size() != y.size()) ThrowCoded(info.Env(), code::kLengthMismatch, "x and y must have equal lengths (native check)");
  requireInRange<uint64_t>("n", x.size(), 2, kMaxExactN);
  return Napi::Number::New(info.Env(), spearman(x.data(), y.data(), static_cast<uint32_t>(x.size())));
}

}  // namespace

void RegisterCore(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("rngSample", Napi::Function::New(env, Guarded<RngSample>, "rngSample"));
  exports.Set("childKey", Napi::Function::New(env, Guarded<ChildKey>, "childKey"));
  exports.Set("midranks", Napi::Function::New(env, Guarded<Midranks>, "midranks"));
  exports.Set("spearman", Napi::Function::New(env, Guarded<Spearman>, "spearman"));
  exports.Set("threadBudget", Napi::Function::New(env, Guarded<ThreadBudgetOf>, "threadBudget"));
  exports.Set("setThreadBudget", Napi::Function::New(env, Guarded<SetThreadBudget>, "setThreadBudget"));
  exports.Set("resetThreadPeak", Napi::Function::New(env, Guarded<ResetThreadPeak>, "resetThreadPeak"));
  exports.Set("createCancelToken", Napi::Function::New(env, CreateCancelToken, "createCancelToken"));
  exports.Set("cancel", Napi::Function::New(env, Cancel, "cancel"));
}

}  // namespace binding
}  // namespace spearsim
