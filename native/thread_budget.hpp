// The kernel threads of the whole process.
//
// Every JS realm that loads the addon (the main thread and each worker_threads isolate) shares one
// copy of this shared library's statics, so this budget spans them all: k workers each asking for
// t threads never run more than the budget at once. (lib/internal/threads.ts queues calls within
// one realm; this is the layer that sees every realm.) A job asks for its thread count and is
// granted what is free, at least one thread, waiting for it when none is: results never depend on
// the thread count, so a smaller grant only makes a job slower. Jobs that run on the calling JS
// thread (the synchronous bindings, one kernel thread) are outside the budget.
#pragma once
#include <condition_variable>
#include <mutex>

#include "context.hpp"

namespace spearsim {

struct ThreadBudgetState {
  int limit;   // threads that may run at once
  int inUse;   // threads granted to running jobs
  int peak;    // most threads granted at once since the last resetPeak
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
  int acquire(int requested, const CancelFlag* cancel);
  void release(int granted);

 private:
  int limitLocked() const;

  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int configured_ = 0;
  int largestRequest_ = 0;
  int inUse_ = 0;
  int peak_ = 0;
};

// Threads held for one job: acquired on construction, released on destruction.
class ThreadLease {
 public:
  ThreadLease(int requested, const CancelFlag* cancel)
      : granted_(ThreadBudget::process().acquire(requested, cancel)) {}
  ~ThreadLease() { ThreadBudget::process().release(granted_); }
  ThreadLease(const ThreadLease&) = delete;
  ThreadLease& operator=(const ThreadLease&) = delete;
  int granted() const { return granted_; }

 private:
  int granted_;
};

}  // namespace spearsim
