// The kernel threads of the whole process.
//
// Every JS realm that loads the addon (the main thread and each worker_threads isolate) shares one
// copy of this shared library's statics, so this budget spans them all: k workers each asking for
// t threads never run more than the budget at once. (lib/internal/threads.ts queues calls within
// one realm; this is the layer that sees every realm.) A job asks for its thread count and is
// granted what is free, at least one thread, waiting for it when none is: results never depend on
// the thread count, so a smaller grant only makes a job slower. Jobs that run on the calling JS
// thread (the synchronous bindings, one kernel thread) are outside the budget.
//
// CPU slots: while the budget fits the process's CPUs, each thread of a multi-thread job also
// holds a CPU of its own, and the job's threads run pinned to those CPUs (TeamPinning). Unpinned,
// an OpenMP worker woken after an idle spell can be queued behind its waker on the same CPU until
// the scheduler rebalances, ~4 ms on a 2-vCPU VM (a fifth of a W1 run); pinned, it starts in
// ~0.1 ms, and concurrent pinned jobs never share a CPU. Single-thread jobs wake no worker and are
// left to the scheduler. SPEARSIM_PIN_THREADS=0, OMP_PROC_BIND or GOMP_CPU_AFFINITY (the user's
// own binding) turn pinning off.
#pragma once
#include <condition_variable>
#include <mutex>
#include <vector>

#include "context.hpp"

namespace spearsim {

struct ThreadBudgetState {
  int limit;     // threads that may run at once
  int inUse;     // threads granted to running jobs
  int peak;      // most threads granted at once since the last resetPeak
  bool pinning;  // granted threads are pinned to CPUs of their own
};

// What a job was granted: its thread count and, when pinned, one CPU per thread.
struct ThreadGrant {
  int threads = 0;
  std::vector<int> cpus;
};

class ThreadBudget {
 public:
  // The one budget of this process.
  static ThreadBudget& process();

  // limit > 0: at most `limit` threads at once; 0: the default, the machine's processors or the
  // largest thread count a job has asked for, whichever is more (an explicit request is honoured).
  void setLimit(int limit);
  ThreadBudgetState state() const;
  void resetPeak();

  // Waits until a thread is free (throws ERR_ABORTED if `cancel` is raised meanwhile), then
  // grants min(requested, free) threads.
  ThreadGrant acquire(int requested, const CancelFlag* cancel);
  void release(const ThreadGrant& grant);

 private:
  ThreadBudget();
  int limitLocked() const;
  bool pinningLocked() const;
  void freeCpusLocked(const std::vector<int>& cpus);

  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int configured_ = 0;
  const int processors_;  // omp_get_num_procs() once: it asks the kernel for the affinity mask each time
  int largestRequest_ = 0;
  int inUse_ = 0;
  int peak_ = 0;
  bool pinningAllowed_ = false;
  std::vector<int> cpus_;        // the CPUs this process may run on
  std::vector<bool> cpuHeld_;    // per entry of cpus_: held by a running job
};

// Threads held for one job: acquired on construction, released on destruction.
class ThreadLease {
 public:
  ThreadLease(int requested, const CancelFlag* cancel) : grant_(ThreadBudget::process().acquire(requested, cancel)) {}
  ~ThreadLease() { ThreadBudget::process().release(grant_); }
  ThreadLease(const ThreadLease&) = delete;
  ThreadLease& operator=(const ThreadLease&) = delete;
  int granted() const { return grant_.threads; }
  const std::vector<int>& cpus() const { return grant_.cpus; }

 private:
  ThreadGrant grant_;
};

// Pins the calling thread and the OpenMP workers of its team to the granted CPUs for one job (no-op
// without CPUs). The calling thread (a job thread) gets its own affinity back afterwards; the
// workers keep theirs, so the next job's wake-up of them lands on their CPU at once.
class TeamPinning {
 public:
  explicit TeamPinning(const std::vector<int>& cpus);
  ~TeamPinning();
  TeamPinning(const TeamPinning&) = delete;
  TeamPinning& operator=(const TeamPinning&) = delete;

 private:
  bool pinned_ = false;
  std::vector<unsigned char> savedMask_;  // cpu_set_t of the calling thread, as bytes
};

}  // namespace spearsim
