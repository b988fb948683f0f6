// Entry point. NODE_API_MODULE registers a context-aware module (safe under worker_threads): every
// call owns its data. Two things are process-wide on purpose, shared by every realm and guarded by
// their own locks: the kernel-thread budget (thread_budget.hpp) and the idle kernel buffers kept for
// reuse (buffer_pool.hpp).
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
