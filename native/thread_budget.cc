#include "thread_budget.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>

namespace spearsim {

namespace {
// How often a waiting job looks at its cancellation flag.
constexpr std::chrono::milliseconds kCancelPoll{5};
}  // namespace

ThreadBudget& ThreadBudget::process() {
  static ThreadBudget budget;
  return budget;
}

int ThreadBudget::limitLocked() const {
  return configured_ > 0 ? configured_ : std::max(omp_get_num_procs(), largestRequest_);
}

void ThreadBudget::setLimit(int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  configured_ = std::max(0, limit);
  freed_.notify_all();  // a larger limit may admit waiting jobs
}

ThreadBudgetState ThreadBudget::state() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ThreadBudgetState{limitLocked(), inUse_, peak_};
}

void ThreadBudget::resetPeak() {
  std::lock_guard<std::mutex> lock(mutex_);
  peak_ = inUse_;
}

int ThreadBudget::acquire(int requested, const CancelFlag* cancel) {
  requested = std::max(1, requested);
  std::unique_lock<std::mutex> lock(mutex_);
  largestRequest_ = std::max(largestRequest_, requested);
  while (inUse_ >= limitLocked()) {
    if (cancel && cancel->cancelled.load(std::memory_order_relaxed)) {
      throw KernelError(code::kAborted, "the operation was aborted");
    }
    freed_.wait_for(lock, kCancelPoll);
  }
  const int granted = std::min(requested, limitLocked() - inUse_);
  inUse_ += granted;
  peak_ = std::max(peak_, inUse_);
  return granted;
}

void ThreadBudget::release(int granted) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    inUse_ -= granted;
  }
  freed_.notify_all();
}

}  // namespace spearsim
