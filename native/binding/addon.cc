// Entry point. NODE_API_MODULE registers a context-aware module (safe under worker_threads): every
// call owns its data. What the realms share is process-wide on purpose, guarded by its own locks and
// outlives them: the kernel-thread budget (thread_budget.hpp), the idle kernel buffers kept for reuse
// (buffer_pool.hpp) and the job threads (job_threads.hpp).
#include <napi.h>

#include "job_threads.hpp"
#include "modules.hpp"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  spearsim::binding::KeepAddonLoaded();
  spearsim::binding::RegisterCore(env, exports);
  spearsim::binding::RegisterBootstrap(env, exports);
  spearsim::binding::RegisterGenerators(env, exports);
  spearsim::binding::RegisterPower(env, exports);
  spearsim::binding::RegisterRealData(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(spearsim, Init)
