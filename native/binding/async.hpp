// Promise-returning jobs on the libuv thread pool, with progress callbacks and cancellation.
//
// A job is a plain C++ object built from copies of the JS inputs before it is queued; its run()
// sees only a Context, never N-API. The binding turns KernelError codes into the `code` of the
// rejected error.
#pragma once
#include <napi.h>

#include <memory>
#include <new>
#include <string>

#include "context.hpp"
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

// What both job workers share: the thread lease and pinning around the job, its coded errors, and
// the promise. Base is Napi::AsyncWorker or Napi::AsyncProgressQueueWorker<ProgressEvent>.
template <class Job, class Base>
class JobWorkerOn : public Base {
 public:
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  JobWorkerOn(Napi::Env env, std::unique_ptr<Job> job, int threads, TokenHolder cancel)
      : Base(env, "spearsim"),
        deferred_(Napi::Promise::Deferred::New(env)),
        job_(std::move(job)),
        threads_(threads),
        cancel_(std::move(cancel)) {}

  // Runs on a libuv thread; never touches N-API.
  void Run(Context::ProgressFn progress) {
    try {
      // the process-wide budget may grant fewer threads than asked for (same results, later)
      ThreadLease lease(threads_, cancel_.get());
      TeamPinning pinning(lease.cpus());
      Context ctx(lease.granted(), cancel_, std::move(progress));
      job_->run(ctx);
    } catch (const KernelError& e) {
      code_ = e.code();
      this->SetError(e.what());
    } catch (const std::bad_alloc&) {
      code_ = code::kMemoryLimit;
      this->SetError("the operating system refused a memory allocation; lower the sizes or the memoryLimit");
    } catch (const std::exception& e) {
      code_ = code::kInternal;
      this->SetError(e.what());
    }
  }

  void OnOK() override { deferred_.Resolve(job_->result(this->Env())); }

  void OnError(const Napi::Error& e) override {
    deferred_.Reject(CodedError(this->Env(), code_, e.Message()).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::unique_ptr<Job> job_;
  int threads_;
  TokenHolder cancel_;
  const char* code_ = code::kInternal;
};

// A job without a progress callback: a plain async worker. It sends nothing to the JS thread while
// it runs and settles in the libuv completion callback itself; the progress worker's thread-safe
// function would wake the JS thread mid-run (stealing a CPU from the kernel) and add an event-loop
// turn to settle.
template <class Job>
class SilentJobWorker final : public JobWorkerOn<Job, Napi::AsyncWorker> {
 public:
  SilentJobWorker(Napi::Env env, std::unique_ptr<Job> job, int threads, TokenHolder cancel)
      : JobWorkerOn<Job, Napi::AsyncWorker>(env, std::move(job), threads, std::move(cancel)) {}

 protected:
  void Execute() override { this->Run(nullptr); }
};

// A job whose progress goes to a JS callback (at most every 50 ms, and at the end).
template <class Job>
class ReportingJobWorker final : public JobWorkerOn<Job, Napi::AsyncProgressQueueWorker<ProgressEvent>> {
  using Base = JobWorkerOn<Job, Napi::AsyncProgressQueueWorker<ProgressEvent>>;

 public:
  ReportingJobWorker(Napi::Env env, std::unique_ptr<Job> job, int threads, TokenHolder cancel, Napi::Function onProgress)
      : Base(env, std::move(job), threads, std::move(cancel)), onProgress_(Napi::Persistent(onProgress)) {}

 protected:
  void Execute(const typename Base::ExecutionProgress& progress) override {
    this->Run([&progress](uint64_t done, uint64_t total) {
      const ProgressEvent event{done, total};
      progress.Send(&event, 1);
    });
  }

  void OnProgress(const ProgressEvent* data, size_t count) override {
    if (count == 0) return;
    Napi::Env env = this->Env();
    const ProgressEvent& last = data[count - 1];
    onProgress_.Call({Napi::Number::New(env, static_cast<double>(last.done)),
                      Napi::Number::New(env, static_cast<double>(last.total))});
  }

 private:
  Napi::FunctionReference onProgress_;
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
    if (info.Length() > tokenArg + 1 && info[tokenArg + 1].IsFunction()) {
      return Queued(new ReportingJobWorker<Job>(env, std::move(job), threads, std::move(token),
                                                info[tokenArg + 1].As<Napi::Function>()));
    }
    return Queued(new SilentJobWorker<Job>(env, std::move(job), threads, std::move(token)));
  }

 private:
  template <class Worker>
  static Napi::Promise Queued(Worker* worker) {
    Napi::Promise promise = worker->Promise();
    worker->Queue();  // the worker deletes itself once settled
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
