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

// Job requirements: `void run(Context&)` and `Napi::Value result(Napi::Env)`.
template <class Job>
class JobWorker : public Napi::AsyncProgressQueueWorker<ProgressEvent> {
 public:
  // args: [..., token (External or null/undefined), onProgress (function or null/undefined)]
  static Napi::Promise Start(const Napi::CallbackInfo& info, size_t tokenArg, std::unique_ptr<Job> job, int threads) {
    Napi::Env env = info.Env();
    TokenHolder token = TokenFrom(info[tokenArg]);
    if (!token && !info[tokenArg].IsNull() && !info[tokenArg].IsUndefined()) {
      ThrowCoded(env, code::kInvalidType, "the cancel token must come from createCancelToken() or be null (native check)");
    }
    auto* worker = new JobWorker(env, std::move(job), threads, std::move(token));
    if (info.Length() > tokenArg + 1 && info[tokenArg + 1].IsFunction()) {
      worker->progress_ = Napi::Persistent(info[tokenArg + 1].As<Napi::Function>());
    }
    Napi::Promise promise = worker->deferred_.Promise();
    worker->Queue();
    return promise;
  }

 protected:
  void Execute(const ExecutionProgress& progress) override {
    try {
      // the process-wide budget may grant fewer threads than asked for (same results, later)
      ThreadLease lease(threads_, cancel_.get());
      TeamPinning pinning(lease.cpus());
      Context ctx(lease.granted(), cancel_, [&progress](uint64_t done, uint64_t total) {
        const ProgressEvent event{done, total};
        progress.Send(&event, 1);
      });
      job_->run(ctx);
    } catch (const KernelError& e) {
      code_ = e.code();
      SetError(e.what());
    } catch (const std::bad_alloc&) {
      code_ = code::kMemoryLimit;
      SetError("the operating system refused a memory allocation; lower the sizes or the memoryLimit");
    } catch (const std::exception& e) {
      code_ = code::kInternal;
      SetError(e.what());
    }
  }

  void OnOK() override { deferred_.Resolve(job_->result(Env())); }

  void OnError(const Napi::Error& e) override {
    deferred_.Reject(CodedError(Env(), code_, e.Message()).Value());
  }

  void OnProgress(const ProgressEvent* data, size_t count) override {
    if (progress_.IsEmpty() || count == 0) return;
    Napi::Env env = Env();
    const ProgressEvent& last = data[count - 1];
    progress_.Call({Napi::Number::New(env, static_cast<double>(last.done)),
                    Napi::Number::New(env, static_cast<double>(last.total))});
  }

 private:
  JobWorker(Napi::Env env, std::unique_ptr<Job> job, int threads, TokenHolder cancel)
      : Napi::AsyncProgressQueueWorker<ProgressEvent>(env, "spearsim"),
        deferred_(Napi::Promise::Deferred::New(env)),
        job_(std::move(job)),
        threads_(threads),
        cancel_(std::move(cancel)) {}

  Napi::Promise::Deferred deferred_;
  std::unique_ptr<Job> job_;
  int threads_;
  TokenHolder cancel_;
  Napi::FunctionReference progress_;
  const char* code_ = code::kInternal;
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
