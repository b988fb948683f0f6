// generatorTable: the registered generators (name, code, needs).
// generateDatasets: datasets of a generator from their data streams (tests, fallback checks).
// calibrate: bisection of the calibration probes and F(rho) at given inputs, in one job.
// bootstrapGenerated: batch percentile bootstrap of generated datasets.
#include "constants.hpp"
#include "generators_binding.hpp"

#include <memory>
#include <string>

#include "async.hpp"
#include "bootstrap_binding.hpp"
#include "calibration.hpp"
#include "generators.hpp"
#include "modules.hpp"
#include "simd.hpp"
#include "ranks.hpp"

namespace spearsim {
namespace binding {

Napi::Object ObjectField(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsObject()) ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be an object (native check)");
  return v.As<Napi::Object>();
}

std::shared_ptr<const Generator> GeneratorFrom(const Napi::Object& options) {
  Napi::Object o = ObjectField(options, "generator");
  GeneratorSpec spec;
  spec.kind = static_cast<uint32_t>(IntegerField(o, "kind", 0, generatorCount() - 1));
  spec.xTemplate = Float64Field(o, "xTemplate");
  spec.rowMoments = BoolField(o, "rowMoments");
  spec.mu = NumberField(o, "mu");
  spec.sigma = NumberField(o, "sigma");
  spec.simd = simdLevel();
  if (generatorEntry(spec.kind)->needsPool) {
    Napi::Object p = ObjectField(o, "pool");
    spec.pool.fixed = Float64Field(p, "fixed");
    spec.pool.fillSource = Float64Field(p, "fillSource");
    spec.pool.fillCount = static_cast<uint32_t>(IntegerField(p, "fillCount", 0, kMaxExactN));
    spec.pool.logUniformCount = static_cast<uint32_t>(IntegerField(p, "logUniformCount", 0, kMaxExactN));
    spec.pool.logLo = NumberField(p, "logLo");
    spec.pool.logSpan = NumberField(p, "logSpan");
  }
  return std::make_shared<const Generator>(std::move(spec));
}

Mix MixFrom(const Napi::Object& o) { return Mix{NumberField(o, "mixA"), NumberField(o, "mixB")}; }

namespace {

// generatorTable() -> [{ name, code, needsPool, needsValues }] in code order (checked against
// the TypeScript registry by the tests)
Napi::Value GeneratorTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array table = Napi::Array::New(env, generatorCount());
  for (uint32_t code = 0; code < generatorCount(); ++code) {
    const GeneratorEntry* entry = generatorEntry(code);
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", entry->name);
    o.Set("code", entry->code);
    o.Set("needsPool", entry->needsPool);
    o.Set("needsValues", entry->needsValues);
    table.Set(code, o);
  }
  return table;
}

// generateDatasets({ generator, mixA, mixB, values, baseKey, repOffset, count }) -> { x, y }
Napi::Value GenerateDatasets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = ObjectArg(info, 0, "options");
  const auto gen = GeneratorFrom(o);
  const Mix mix = MixFrom(o);
  const bool values = BoolField(o, "values");
  const uint64_t baseKey = KeyField(o, "baseKey");
  const uint64_t repOffset = IntegerField(o, "repOffset", 0, 1ULL << 52);
  const uint64_t count = IntegerField(o, "count", 1, (1ULL << 28) / gen->n());
  const uint32_t n = gen->n();
  Napi::Float64Array x = Napi::Float64Array::New(env, count * n);
  Napi::Float64Array y = Napi::Float64Array::New(env, count * n);
  gen->generateMany(baseKey, repOffset, count, mix, values, x.Data(), y.Data());
  Napi::Object out = Napi::Object::New(env);
  out.Set("x", x);
  out.Set("y", y);
  return out;
}

class CalibrationJob {
 public:
  CalibrationJob(std::shared_ptr<const Generator> gen, uint64_t calKey, uint32_t nCal, uint64_t memoryLimit,
                 std::vector<double> probes, std::vector<double> rhos, BisectionSettings settings)
      : gen_(std::move(gen)), calKey_(calKey), nCal_(nCal), memoryLimit_(memoryLimit), probes_(std::move(probes)),
        rhos_(std::move(rhos)), settings_(settings) {}

  void run(Context& ctx) { out_ = calibrate(*gen_, calKey_, nCal_, memoryLimit_, probes_, rhos_, settings_, ctx); }

  Napi::Value result(Napi::Env env) {
    std::vector<double> rhoIn, achieved;
    for (const ProbeSolution& s : out_.solutions) {
      rhoIn.push_back(s.rhoIn);
      achieved.push_back(s.achieved);
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("rhoIn", ToFloat64Array(env, rhoIn.data(), rhoIn.size()));
    out.Set("achieved", ToFloat64Array(env, achieved.data(), achieved.size()));
    out.Set("curve", ToFloat64Array(env, out_.curve.data(), out_.curve.size()));
    out.Set("evaluations", Napi::Number::New(env, out_.evaluations));
    return out;
  }

 private:
  std::shared_ptr<const Generator> gen_;
  uint64_t calKey_;
  uint32_t nCal_;
  uint64_t memoryLimit_;
  std::vector<double> probes_, rhos_;
  BisectionSettings settings_;
  CalibrationRun out_;
};

// calibrate({ generator, calKey, nCal, probes, rhos, maxIter, tolerance, hiCap, memoryLimit, threads }, token)
Napi::Value Calibrate(const Napi::CallbackInfo& info) {
  Napi::Object o = ObjectArg(info, 0, "options");
  auto gen = GeneratorFrom(o);
  std::vector<double> probes = Float64Field(o, "probes");
  for (const double p : probes) requireInRange<double>("probes[]", p, 1e-12, 0.999);
  std::vector<double> rhos = Float64Field(o, "rhos");
  for (const double r : rhos) requireInRange<double>("rhos[]", r, -1, 1);
  BisectionSettings settings;
  settings.maxIter = static_cast<uint32_t>(IntegerField(o, "maxIter", 1, 200));
  settings.tolerance = NumberField(o, "tolerance");
  settings.hiCap = NumberField(o, "hiCap");
  requireInRange<double>("tolerance", settings.tolerance, 1e-15, 0.5);
  requireInRange<double>("hiCap", settings.hiCap, 0.5, 0.999);
  auto job = std::make_unique<CalibrationJob>(std::move(gen), KeyField(o, "calKey"),
                                              static_cast<uint32_t>(IntegerField(o, "nCal", 1, kMaxCal)),
                                              IntegerField(o, "memoryLimit", 1, 1ULL << 53), std::move(probes),
                                              std::move(rhos), settings);
  return JobWorker<CalibrationJob>::Start(info, 1, std::move(job), ThreadsField(o));
}

// Rep r's dataset from its data stream (the bootstrap uses the boot stream of the same rep).
class GeneratedDatasets : public DatasetSource {
 public:
  GeneratedDatasets(std::shared_ptr<const Generator> gen, Mix mix, bool values, uint64_t baseKey)
      : gen_(std::move(gen)), mix_(mix), values_(values), baseKey_(baseKey) {}
  uint32_t n() const override { return gen_->n(); }
  void fill(uint64_t, uint64_t streamRep, double* x, double* y) const override {
    Rng rng(repStreamKey(baseKey_, streamRep, kStreamData));
    thread_local GeneratorScratch ws;  // fill runs on the kernel's threads; reuse their buffers
    gen_->generate(rng, mix_, values_, ws, x, y);
  }

 private:
  std::shared_ptr<const Generator> gen_;
  Mix mix_;
  bool values_;
  uint64_t baseKey_;
};

class GeneratedBootstrapJob {
 public:
  GeneratedBootstrapJob(GeneratedDatasets source, BootstrapSpec spec, bool keepRhos)
      : source_(std::move(source)), spec_(spec), out_(keepRhos) {}
  void run(Context& ctx) { out_.run(source_, spec_, ctx); }
  Napi::Value result(Napi::Env env) { return out_.ToJs(env); }

 private:
  GeneratedDatasets source_;
  BootstrapSpec spec_;
  BatchOutput out_;
};

// bootstrapGenerated({ generator, mixA, mixB, values, nReps, nBoot, alpha, baseKey, repOffset,
//                      firstBlock?, endpointSe?, chunkResamples, threads, keepRhos? }, token, onProgress); keepRhos adds
// `rhos` (nReps x nBoot resample values) for intervals that need the whole distribution.
Napi::Value BootstrapGenerated(const Napi::CallbackInfo& info) {
  Napi::Object o = ObjectArg(info, 0, "options");
  const BootstrapSpec spec = BootstrapSpecFrom(o, IntegerField(o, "nReps", 1, kMaxReps));
  GeneratedDatasets source(GeneratorFrom(o), MixFrom(o), BoolField(o, "values"), spec.baseKey);
  auto job = std::make_unique<GeneratedBootstrapJob>(std::move(source), spec, KeepRhosFrom(o, spec));
  return JobWorker<GeneratedBootstrapJob>::Start(info, 1, std::move(job), ThreadsField(o));
}

}  // namespace

void RegisterGenerators(Napi::Env env, Napi::Object exports) {
  exports.Set("generatorTable", Napi::Function::New(env, Guarded<GeneratorTable>, "generatorTable"));
  exports.Set("generateDatasets", Napi::Function::New(env, Guarded<GenerateDatasets>, "generateDatasets"));
  exports.Set("calibrate", Napi::Function::New(env, Guarded<Calibrate>, "calibrate"));
  exports.Set("bootstrapGenerated", Napi::Function::New(env, Guarded<BootstrapGenerated>, "bootstrapGenerated"));
}

}  // namespace binding
}  // namespace spearsim
