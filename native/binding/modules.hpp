// Each area of the addon registers its functions on the exports object.
#pragma once
#include <napi.h>

namespace spearsim {
namespace binding {

void RegisterCore(Napi::Env env, Napi::Object exports);       // core_binding.cc: version, rng, ranks
void RegisterBootstrap(Napi::Env env, Napi::Object exports);  // bootstrap_binding.cc
void RegisterGenerators(Napi::Env env, Napi::Object exports); // generators_binding.cc: generators, calibration
void RegisterPower(Napi::Env env, Napi::Object exports);      // power_binding.cc: permutation nulls, power
void RegisterRealData(Napi::Env env, Napi::Object exports);   // realdata_binding.cc: permutation test, jackknife

}  // namespace binding
}  // namespace spearsim
