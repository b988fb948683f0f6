#include "thread_budget.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace spearsim {

namespace {

// How often a waiting job looks at its cancellation flag.
constexpr std::chrono::milliseconds kCancelPoll{5};

bool envSet(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && value[0] != '\0';
}

}  // namespace

ThreadBudget::ThreadBudget() : processors_(omp_get_num_procs()) {
#if defined(__linux__)
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof(mask), &mask) == 0) {
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (CPU_ISSET(cpu, &mask)) cpus_.push_back(cpu);
    }
  }
  const char* pin = std::getenv("SPEARSIM_PIN_THREADS");
  if (pin != nullptr && pin[0] != '\0' && std::strcmp(pin, "0") != 0 && std::strcmp(pin, "1") != 0) {
    // thrown from the first use of the budget (a job, threadBudget()): it is retried on the next
    throw KernelError(code::kOutOfRange, std::string("the environment variable SPEARSIM_PIN_THREADS must be 0 or 1; received \"") + pin + "\"");
  }
  const bool optedOut = pin != nullptr && std::strcmp(pin, "0") == 0;
  pinningAllowed_ = !optedOut && !envSet("OMP_PROC_BIND") && !envSet("GOMP_CPU_AFFINITY") && cpus_.size() > 1;
#endif
  cpuHeld_.assign(cpus_.size(), false);
}

ThreadBudget& ThreadBudget::process() {
  // never destroyed: job threads may still release into it while the process runs its exit handlers
  static ThreadBudget* budget = new ThreadBudget();
  return *budget;
}

int ThreadBudget::limitLocked() const {
  return configured_ > 0 ? configured_ : std::max(processors_, largestRequest_);
}

bool ThreadBudget::pinningLocked() const {
  // one CPU per thread only while the budget fits the CPUs (an oversubscribed budget shares them)
  return pinningAllowed_ && limitLocked() <= static_cast<int>(cpus_.size());
}

void ThreadBudget::freeCpusLocked(const std::vector<int>& cpus) {
  for (const int cpu : cpus) cpuHeld_[std::find(cpus_.begin(), cpus_.end(), cpu) - cpus_.begin()] = false;
}

void ThreadBudget::setLimit(int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  configured_ = std::max(0, limit);
  freed_.notify_all();  // a larger limit may admit waiting jobs
}

ThreadBudgetState ThreadBudget::state() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ThreadBudgetState{limitLocked(), inUse_, peak_, pinningLocked()};
}

void ThreadBudget::resetPeak() {
  std::lock_guard<std::mutex> lock(mutex_);
  peak_ = inUse_;
}

ThreadGrant ThreadBudget::acquire(int requested, const CancelFlag* cancel) {
  requested = std::max(1, requested);
  std::unique_lock<std::mutex> lock(mutex_);
  largestRequest_ = std::max(largestRequest_, requested);
  while (inUse_ >= limitLocked()) {
    if (cancel && cancel->cancelled.load(std::memory_order_relaxed)) {
      throw KernelError(code::kAborted, "the operation was aborted");
    }
    freed_.wait_for(lock, kCancelPoll);
  }
  ThreadGrant grant;
  grant.threads = std::min(requested, limitLocked() - inUse_);
  inUse_ += grant.threads;
  peak_ = std::max(peak_, inUse_);
  if (pinningLocked() && grant.threads > 1) {
    // only jobs with workers to wake are pinned (a lone thread is best placed by the scheduler,
    // e.g. away from a vCPU the host is slowing); the lowest free CPUs, so a job running alone
    // always gets the same ones and the workers it wakes are already pinned where they will run
    for (size_t c = 0; c < cpus_.size() && static_cast<int>(grant.cpus.size()) < grant.threads; ++c) {
      if (!cpuHeld_[c]) {
        cpuHeld_[c] = true;
        grant.cpus.push_back(cpus_[c]);
      }
    }
    // a limit lowered while jobs ran can leave fewer free CPUs than threads: run unpinned then
    if (static_cast<int>(grant.cpus.size()) < grant.threads) {
      freeCpusLocked(grant.cpus);
      grant.cpus.clear();
    }
  }
  return grant;
}

void ThreadBudget::release(const ThreadGrant& grant) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    inUse_ -= grant.threads;
    freeCpusLocked(grant.cpus);
  }
  freed_.notify_all();
}

TeamPinning::TeamPinning(const std::vector<int>& cpus) {
#if defined(__linux__)
  if (cpus.empty()) return;
  cpu_set_t saved;
  CPU_ZERO(&saved);
  if (sched_getaffinity(0, sizeof(saved), &saved) != 0) return;
  savedMask_.resize(sizeof(saved));
  std::memcpy(savedMask_.data(), &saved, sizeof(saved));
  pinned_ = true;
  cpu_set_t own;
  CPU_ZERO(&own);
  CPU_SET(cpus[0], &own);
  sched_setaffinity(0, sizeof(own), &own);  // best effort: a refusal only costs speed
  // the workers of this thread's OpenMP team keep their CPUs between jobs: pin them only when the
  // grant differs from what they hold (a job running alone gets the same CPUs every time)
  thread_local std::vector<int> teamCpus;
  if (cpus.size() < 2 || std::equal(cpus.begin() + 1, cpus.end(), teamCpus.begin(), teamCpus.end())) return;
  teamCpus.assign(cpus.begin() + 1, cpus.end());
  const int threads = static_cast<int>(cpus.size());
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    if (t > 0 && t < threads) {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(cpus[t], &one);
      sched_setaffinity(0, sizeof(one), &one);  // best effort: a refusal only costs speed
      // the workers are the addon's own: named so that top, perf and /proc say whose they are
      pthread_setname_np(pthread_self(), "spearsim-omp");
    }
  }
#else
  (void)cpus;
#endif
}

TeamPinning::~TeamPinning() {
#if defined(__linux__)
  if (!pinned_) return;
  cpu_set_t saved;
  std::memcpy(&saved, savedMask_.data(), sizeof(saved));
  sched_setaffinity(0, sizeof(saved), &saved);
#endif
}

}  // namespace spearsim
