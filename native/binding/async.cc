#include "async.hpp"

#include <omp.h>

#include <cmath>
#include <cstring>

namespace spearsim {
namespace binding {

Napi::Value CreateCancelToken(const Napi::CallbackInfo& info) {
  auto* holder = new TokenHolder(std::make_shared<CancelFlag>());
  return NewHandle(info.Env(), holder, kCancelTokenTag, [](Napi::Env, TokenHolder* h) { delete h; });
}

TokenHolder TokenFrom(const Napi::Value& value) {
  TokenHolder* holder = HandleData<TokenHolder>(value, kCancelTokenTag);
  return holder ? *holder : nullptr;
}

Napi::Value Cancel(const Napi::CallbackInfo& info) {
  TokenHolder token = TokenFrom(info[0]);
  if (!token) ThrowCoded(info.Env(), code::kInvalidType, "cancel expects a token from createCancelToken()");
  token->cancelled.store(true);
  return info.Env().Undefined();
}

Napi::Error CodedError(Napi::Env env, const char* errorCode, const std::string& message) {
  const std::string c(errorCode);
  Napi::Error error = c == code::kOutOfRange || c == code::kLengthMismatch || c == code::kMemoryLimit
                          ? Napi::RangeError::New(env, message)
                          : (c == code::kInvalidType ? Napi::TypeError::New(env, message) : Napi::Error::New(env, message));
  error.Set("code", Napi::String::New(env, c));
  return error;
}

void ThrowCoded(Napi::Env env, const char* errorCode, const std::string& message) {
  throw CodedError(env, errorCode, message);
}

Napi::Object ObjectArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsObject()) {
    ThrowCoded(info.Env(), code::kInvalidType, std::string(name) + " must be an object (native check)");
  }
  return info[index].As<Napi::Object>();
}

double NumberField(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsNumber()) ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be a number (native check)");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) ThrowCoded(o.Env(), code::kOutOfRange, std::string(name) + " must be finite (native check)");
  return d;
}

uint64_t IntegerField(const Napi::Object& o, const char* name, uint64_t lo, uint64_t hi) {
  const double d = NumberField(o, name);
  if (d != std::floor(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    ThrowCoded(o.Env(), code::kOutOfRange,
               std::string(name) + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                   "]; received " + std::to_string(d) + " (native check)");
  }
  return static_cast<uint64_t>(d);
}

bool BoolField(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsBoolean()) ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be a boolean (native check)");
  return v.As<Napi::Boolean>().Value();
}

bool OptionalBool(const Napi::Object& o, const char* name) { return o.Get(name).IsUndefined() ? false : BoolField(o, name); }

uint64_t KeyField(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsBigInt()) ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be a BigInt (native check)");
  bool lossless = false;
  const uint64_t key = v.As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) ThrowCoded(o.Env(), code::kOutOfRange, std::string(name) + " must be in [0, 2^64) (native check)");
  return key;
}

Napi::Float64Array Float64ArrayField(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be a Float64Array (native check)");
  }
  return v.As<Napi::Float64Array>();
}

std::vector<double> Float64Field(const Napi::Object& o, const char* name) {
  Napi::Float64Array a = Float64ArrayField(o, name);
  return std::vector<double>(a.Data(), a.Data() + a.ElementLength());
}

std::vector<uint32_t> Uint32Field(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    ThrowCoded(o.Env(), code::kInvalidType, std::string(name) + " must be a Uint32Array (native check)");
  }
  Napi::Uint32Array a = v.As<Napi::Uint32Array>();
  return std::vector<uint32_t>(a.Data(), a.Data() + a.ElementLength());
}

int ThreadsField(const Napi::Object& o) { return static_cast<int>(IntegerField(o, "threads", 1, 1024)); }

Napi::Float64Array ToFloat64Array(Napi::Env env, const double* data, size_t length) {
  Napi::Float64Array a = Napi::Float64Array::New(env, length);
  if (length) std::memcpy(a.Data(), data, length * sizeof(double));
  return a;
}

}  // namespace binding
}  // namespace spearsim

namespace spearsim {
namespace binding {

namespace {

// Whether JavaScript may run in `env`: false once its realm is stopping. A coercion of a number
// runs no script but is refused, like every call that could, once the environment stops.
bool CanRunJs(napi_env env) {
  napi_value number = nullptr;
  napi_value coerced = nullptr;
  return napi_create_double(env, 0, &number) == napi_ok && napi_coerce_to_number(env, number, &coerced) == napi_ok;
}

void CheckStatus(Napi::Env env, napi_status status) {
  if (status != napi_ok) throw Napi::Error::New(env);
}

}  // namespace

Napi::Promise AsyncJob::Start(Napi::Env env, const Napi::Value& onProgress) {
  napi_value promise = nullptr;
  CheckStatus(env, napi_create_promise(env, &deferred_, &promise));
  reportsProgress_ = onProgress.IsFunction();
  CheckStatus(env, napi_create_threadsafe_function(env, reportsProgress_ ? static_cast<napi_value>(onProgress) : nullptr,
                                                   nullptr, Napi::String::New(env, "spearsim"), 0, 1, this, Finalize,
                                                   this, CallJs, &handOff_));
  // added after the thread-safe function's own hook, so it runs before it (hooks run newest first)
  if (napi_add_env_cleanup_hook(env, OnEnvCleanup, this) != napi_ok) cleanupHookRan_ = true;  // nothing to remove
  try {
    JobThreads::process().submit(this);
  } catch (const std::exception& e) {
    code_ = code::kInternal;
    message_ = std::string("could not start a job thread: ") + e.what();
    complete();
  }
  return Napi::Promise(env, promise);
}

void AsyncJob::execute() {
  Context::ProgressFn progress;
  if (reportsProgress_) {
    progress = [this](uint64_t done, uint64_t total) {
      auto* event = new ProgressEvent{done, total};
      if (napi_call_threadsafe_function(handOff_, event, napi_tsfn_nonblocking) != napi_ok) delete event;
    };
  }
  try {
    // the process-wide budget may grant fewer threads than asked for (same results, later)
    ThreadLease lease(threads_, cancel_.get());
    TeamPinning pinning(lease.cpus());
    Context ctx(lease.granted(), cancel_, std::move(progress));
    ctx.throwIfCancelled();
    runKernel(ctx);
  } catch (const KernelError& e) {
    code_ = e.code();
    message_ = e.what();
  } catch (const std::bad_alloc&) {
    code_ = code::kMemoryLimit;
    message_ = "the operating system refused a memory allocation; lower the sizes or the memoryLimit";
  } catch (const std::exception& e) {
    code_ = code::kInternal;
    message_ = e.what();
  }
  complete();
}

void AsyncJob::complete() {
  // a null item asks the JS thread to settle; refused (napi_closing) when the realm is stopping
  napi_call_threadsafe_function(handOff_, nullptr, napi_tsfn_blocking);
  napi_release_threadsafe_function(handOff_, napi_tsfn_release);
  std::lock_guard<std::mutex> lock(mutex_);
  finished_ = true;
  finishedCv_.notify_all();  // under the lock: the finalizer deletes this object once it has it
}

void AsyncJob::CallJs(napi_env env, napi_value onProgress, void* context, void* data) {
  auto* self = static_cast<AsyncJob*>(context);
  std::unique_ptr<ProgressEvent> event(static_cast<ProgressEvent*>(data));
  if (env == nullptr || !CanRunJs(env)) return;  // the realm is stopping: nothing to report or settle
  if (!event) {
    self->settle(env);
  } else if (onProgress != nullptr) {
    napi_value args[2];
    napi_value ignored = nullptr;
    napi_value receiver = nullptr;
    if (napi_create_double(env, static_cast<double>(event->done), &args[0]) != napi_ok ||
        napi_create_double(env, static_cast<double>(event->total), &args[1]) != napi_ok ||
        napi_get_undefined(env, &receiver) != napi_ok) {
      return;
    }
    napi_call_function(env, receiver, onProgress, 2, args, &ignored);  // a throwing callback stays pending
  }
}

void AsyncJob::settle(napi_env env) {
  Napi::Env e(env);
  try {
    if (code_ == nullptr) {
      napi_resolve_deferred(env, deferred_, resultIn(e));
    } else {
      napi_reject_deferred(env, deferred_, CodedError(e, code_, message_).Value());
    }
  } catch (const Napi::Error& error) {
    // building the result failed; only a live realm is told
    if (CanRunJs(env)) napi_reject_deferred(env, deferred_, error.Value());
  } catch (const std::bad_alloc&) {
    if (CanRunJs(env)) {
      napi_reject_deferred(env, deferred_, CodedError(e, code::kMemoryLimit, "the result could not be allocated").Value());
    }
  }
}

void AsyncJob::cancelUnlessFinished() {
  std::lock_guard<std::mutex> lock(mutex_);
  // the flag may be the caller's token: a finished job leaves it alone
  if (!finished_) cancel_->cancelled.store(true);
}

void AsyncJob::OnEnvCleanup(void* arg) {
  auto* self = static_cast<AsyncJob*>(arg);
  self->cleanupHookRan_ = true;
  self->cancelUnlessFinished();
}

void AsyncJob::Finalize(napi_env env, void* data, void* /*hint*/) {
  auto* self = static_cast<AsyncJob*>(data);
  if (!JobThreads::process().withdraw(self)) {
    self->cancelUnlessFinished();  // also when no cleanup hook could be added
    std::unique_lock<std::mutex> lock(self->mutex_);
    self->finishedCv_.wait(lock, [self] { return self->finished_; });
  }
  if (!self->cleanupHookRan_) napi_remove_env_cleanup_hook(env, OnEnvCleanup, self);
  delete self;
}

}  // namespace binding
}  // namespace spearsim
