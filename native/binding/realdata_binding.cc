// Real-data statistics (native/permutation_test.hpp, native/jackknife.hpp).
//   permutationTest({ counts, yRanks, testKey, nPerm, lower, upper, threads }, token, onProgress)
//       -> Promise<number>: permutations with sxy4 <= lower or sxy4 >= upper
//   jackknife({ x, y }, token) -> Promise<Float64Array>: the leave-one-out Spearman values
#include <cmath>
#include <memory>
#include <string>

#include "async.hpp"
#include "jackknife.hpp"
#include "constants.hpp"
#include "modules.hpp"
#include "permutation_test.hpp"
#include "ranks.hpp"

namespace spearsim {
namespace binding {
namespace {

class PermutationTestJob {
 public:
  explicit PermutationTestJob(PermutationTestSpec spec) : spec_(std::move(spec)) {}
  void run(Context& ctx) { count_ = permutationTestCount(spec_, ctx); }
  Napi::Value result(Napi::Env env) { return Napi::Number::New(env, static_cast<double>(count_)); }

 private:
  PermutationTestSpec spec_;
  uint64_t count_ = 0;
};

Napi::Value PermutationTest(const Napi::CallbackInfo& info) {
  Napi::Object o = ObjectArg(info, 0, "options");
  PermutationTestSpec spec;
  spec.counts = Uint32Field(o, "counts");
  Napi::Float64Array ranks = Float64ArrayField(o, "yRanks");
  spec.y.resize(ranks.ElementLength());
  for (size_t i = 0; i < spec.y.size(); ++i) {
    const double r = ranks[i];
    if (!(std::fabs(r) <= kMaxExactN) || r != std::floor(r)) {
      ThrowCoded(info.Env(), code::kOutOfRange, "yRanks must hold doubled centred ranks (integers) (native check)");
    }
    spec.y[i] = static_cast<int32_t>(r);
  }
  spec.testKey = KeyField(o, "testKey");
  spec.nPerm = IntegerField(o, "nPerm", 1, kMaxPre);
  spec.lower = NumberField(o, "lower");
  spec.upper = NumberField(o, "upper");
  return JobWorker<PermutationTestJob>::Start(info, 1, std::make_unique<PermutationTestJob>(std::move(spec)), ThreadsField(o));
}

class JackknifeJob {
 public:
  JackknifeJob(std::vector<double> x, std::vector<double> y) : x_(std::move(x)), y_(std::move(y)) {}
  void run(Context& ctx) {
    out_.allocate(x_.size());
    jackknifeRhos(x_.data(), y_.data(), static_cast<uint32_t>(x_.size()), ctx, out_.data());
  }
  Napi::Value result(Napi::Env env) { return ToFloat64Array(env, out_.data(), out_.size()); }

 private:
  std::vector<double> x_, y_;
  OutputBuffer<double> out_;
};

Napi::Value Jackknife(const Napi::CallbackInfo& info) {
  Napi::Object o = ObjectArg(info, 0, "options");
  std::vector<double> x = Float64Field(o, "x");
  std::vector<double> y = Float64Field(o, "y");
  if (x.size() != y.size()) ThrowCoded(info.Env(), code::kLengthMismatch, "x and y must have equal lengths (native check)");
  requireInRange<uint64_t>("n", x.size(), 3, kMaxExactN);
  return JobWorker<JackknifeJob>::Start(info, 1, std::make_unique<JackknifeJob>(std::move(x), std::move(y)), 1);
}

}  // namespace

void RegisterRealData(Napi::Env env, Napi::Object exports) {
  exports.Set("permutationTest", Napi::Function::New(env, Guarded<PermutationTest>, "permutationTest"));
  exports.Set("jackknife", Napi::Function::New(env, Guarded<Jackknife>, "jackknife"));
}

}  // namespace binding
}  // namespace spearsim
