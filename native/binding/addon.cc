// Entry point. NODE_API_MODULE registers a context-aware module (safe under worker_threads): the
// addon keeps no global mutable state; every call owns its data.
#include <napi.h>

#include "modules.hpp"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  spearsim::binding::RegisterCore(env, exports);
  spearsim::binding::RegisterBootstrap(env, exports);
  spearsim::binding::RegisterGenerators(env, exports);
  spearsim::binding::RegisterPower(env, exports);
  spearsim::binding::RegisterRealData(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(spearsim, Init)
