// Promise-returning jobs on the addon's job threads, with progress callbacks and cancellation.
//
// A job is a plain C++ object built from copies of the JS inputs before it is queued; its run()
// sees only a Context, never N-API. The binding turns KernelError codes into the `code` of the
// rejected error.
#pragma once
#include <napi.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include "context.hpp"
#include "job_threads.hpp"
#include "thread_budget.hpp"

namespace spearsim {
namespace binding {

struct ProgressEvent {
  uint64_t done;
  uint64_t total;
};

// Cancellation tokens are Externals owning a shared flag; the running job holds another share.
using TokenHolder = std::shared_ptr<CancelFlag>;
Napi::Value CreateCancelToken(const Napi::CallbackInfo& info);
Napi::Value Cancel(const Napi::CallbackInfo& info);
TokenHolder TokenFrom(const Napi::Value& value);

// Handles given to JS (cancel tokens, power sets) are Externals carrying a type tag, so a handle
// of one kind (or a foreign External) is never taken for another.
constexpr napi_type_tag kCancelTokenTag = {0x7370656172736d31ULL, 0x63616e63656c746bULL};
constexpr napi_type_tag kPowerSetTag = {0x7370656172736d31ULL, 0x706f776572736574ULL};

template <typename T, typename Finalizer>
Napi::External<T> NewHandle(Napi::Env env, T* data, const napi_type_tag& tag, Finalizer finalize) {
  Napi::External<T> handle = Napi::External<T>::New(env, data, finalize);
  handle.TypeTag(&tag);
  return handle;
}

// The data of a handle of the given kind, or null if `value` is anything else.
template <typename T>
T* HandleData(const Napi::Value& value, const napi_type_tag& tag) {
  if (!value.IsExternal()) return nullptr;
  Napi::External<T> handle = value.As<Napi::External<T>>();
  return handle.CheckTypeTag(&tag) ? handle.Data() : nullptr;
}

// Throws a JS error with `code` set (RangeError for range problems, TypeError for type problems).
[[noreturn]] void ThrowCoded(Napi::Env env, const char* code, const std::string& message);
Napi::Error CodedError(Napi::Env env, const char* code, const std::string& message);

// One queued job: its inputs (copied before it is queued), the thread lease and pinning around it,
// its coded errors, and the promise. It runs on a job thread (job_threads.hpp) and hands its
// progress and its completion to the JS thread through a thread-safe function.
//
// Stopping a worker_threads realm mid-job (worker.terminate(), process.exit() in the worker): an
// environment cleanup hook raises the job's cancellation flag, the thread-safe function's finalizer
// waits for the job to stop (its threads go back to the process-wide budget), and the promise is
// left unsettled: an environment that cannot run JavaScript any more is never called into.
class AsyncJob : public QueuedJob {
 public:
  ~AsyncJob() override = default;
  // Queues the job; on success the job owns itself (it is deleted by its finalizer).
  Napi::Promise Start(Napi::Env env, const Napi::Value& onProgress);

 protected:
  AsyncJob(int threads, TokenHolder cancel)
      : threads_(threads), cancel_(cancel ? std::move(cancel) : std::make_shared<CancelFlag>()) {}
  virtual void runKernel(Context& ctx) = 0;             // job thread; never touches N-API
  virtual Napi::Value resultIn(Napi::Env env) = 0;      // JS thread

 private:
  void execute() override;
  void complete();
  void settle(napi_env env);
  void cancelUnlessFinished();
  static void CallJs(napi_env env, napi_value onProgress, void* context, void* data);
  static void Finalize(napi_env env, void* data, void* hint);
  static void OnEnvCleanup(void* arg);

  int threads_;
  TokenHolder cancel_;
  bool reportsProgress_ = false;
  napi_deferred deferred_ = nullptr;
  napi_threadsafe_function handOff_ = nullptr;
  bool cleanupHookRan_ = false;  // JS thread only
  const char* code_ = nullptr;   // set on failure
  std::string message_;
  std::mutex mutex_;
  std::condition_variable finishedCv_;
  bool finished_ = false;  // the job thread is done with this object
};

template <class Job>
class JobOf final : public AsyncJob {
 public:
  JobOf(std::unique_ptr<Job> job, int threads, TokenHolder cancel) : AsyncJob(threads, std::move(cancel)), job_(std::move(job)) {}

 protected:
  void runKernel(Context& ctx) override { job_->run(ctx); }
  Napi::Value resultIn(Napi::Env env) override { return job_->result(env); }

 private:
  std::unique_ptr<Job> job_;
};

// Job requirements: `void run(Context&)` and `Napi::Value result(Napi::Env)`.
template <class Job>
struct JobWorker {
  // args: [..., token (External or null/undefined), onProgress (function or null/undefined)]
  static Napi::Promise Start(const Napi::CallbackInfo& info, size_t tokenArg, std::unique_ptr<Job> job, int threads) {
    Napi::Env env = info.Env();
    TokenHolder token = TokenFrom(info[tokenArg]);
    if (!token && !info[tokenArg].IsNull() && !info[tokenArg].IsUndefined()) {
      ThrowCoded(env, code::kInvalidType, "the cancel token must come from createCancelToken() or be null (native check)");
    }
    auto queued = std::make_unique<JobOf<Job>>(std::move(job), threads, std::move(token));
    Napi::Promise promise = queued->Start(env, info.Length() > tokenArg + 1 ? info[tokenArg + 1] : env.Undefined());
    queued.release();  // owned by its finalizer now
    return promise;
  }
};

// A job's output array, allocated without zero-filling: the pages stay virtual until the kernel
// writes them, so a large job starts (and can be cancelled) at once.
template <typename T>
class OutputBuffer {
 public:
  void allocate(size_t size) {
    data_.reset(new T[size]);
    size_ = size;
  }
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  size_t size() const { return size_; }

 private:
  std::unique_ptr<T[]> data_;
  size_t size_ = 0;
};

// Argument readers: each validates and throws a coded JS error naming the argument.
Napi::Object ObjectArg(const Napi::CallbackInfo& info, size_t index, const char* name);
double NumberField(const Napi::Object& o, const char* name);
uint64_t IntegerField(const Napi::Object& o, const char* name, uint64_t lo, uint64_t hi);
bool BoolField(const Napi::Object& o, const char* name);
bool OptionalBool(const Napi::Object& o, const char* name);  // absent (undefined) is false
uint64_t KeyField(const Napi::Object& o, const char* name);  // a BigInt below 2^64
Napi::Float64Array Float64ArrayField(const Napi::Object& o, const char* name);  // a view, not a copy
std::vector<double> Float64Field(const Napi::Object& o, const char* name);
std::vector<uint32_t> Uint32Field(const Napi::Object& o, const char* name);
int ThreadsField(const Napi::Object& o);

// Wraps a synchronous binding function so KernelErrors become coded JS errors.
template <Napi::Value (*Body)(const Napi::CallbackInfo&)>
Napi::Value Guarded(const Napi::CallbackInfo& info) {
  try {
    return Body(info);
  } catch (const Napi::Error&) {
    throw;  // already a JS error
  } catch (const KernelError& e) {
    ThrowCoded(info.Env(), e.code(), e.what());
  } catch (const std::bad_alloc&) {
    ThrowCoded(info.Env(), code::kMemoryLimit, "the operating system refused a memory allocation; lower the sizes or the memoryLimit");
  } catch (const std::exception& e) {
    ThrowCoded(info.Env(), code::kInternal, e.what());
  }
}

Napi::Float64Array ToFloat64Array(Napi::Env env, const double* data, size_t length);

}  // namespace binding
}  // namespace spearsim
