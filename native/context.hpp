// What a running kernel needs from its caller: a thread count, a cancellation flag and a
// progress sink. Kernels never touch N-API; the binding adapts this to promises and callbacks.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include "errors.hpp"

namespace spearsim {

struct CancelFlag {
  std::atomic<bool> cancelled{false};
};

class Context {
 public:
  using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

  Context(int threads, std::shared_ptr<CancelFlag> cancel, ProgressFn progress = nullptr)
      : threads_(threads < 1 ? 1 : threads), cancel_(std::move(cancel)), progress_(std::move(progress)) {}

  int threads() const { return threads_; }
  bool cancelled() const { return cancel_ && cancel_->cancelled.load(std::memory_order_relaxed); }
  void throwIfCancelled() const {
    if (cancelled()) throw KernelError(code::kAborted, "the operation was aborted");
  }

  // Adds `units` of finished work; may be called from any thread. Reports at most every 50 ms.
  // Without a sink nothing is counted: a shared counter bumped by every kernel thread would move
  // its cache line between the cores for nothing.
  void advance(uint64_t units) {
    if (!progress_) return;
    const uint64_t done = done_.fetch_add(units, std::memory_order_relaxed) + units;
    const int64_t now = nowMs();
    int64_t last = lastReportMs_.load(std::memory_order_relaxed);
    if ((now - last >= 50 || done == total_) &&
        lastReportMs_.compare_exchange_strong(last, now, std::memory_order_relaxed)) {
      progress_(done, total_);
    }
  }
  void setTotal(uint64_t total) { total_ = total; }

 private:
  static int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  int threads_;
  std::shared_ptr<CancelFlag> cancel_;
  ProgressFn progress_;
  // written by the kernel threads: kept off the line of the fields they read (cancel_)
  alignas(64) std::atomic<uint64_t> done_{0};
  std::atomic<int64_t> lastReportMs_{0};
  uint64_t total_ = 0;
};

}  // namespace spearsim
