// The threads that run the addon's promise-returning jobs.
//
// Jobs run on threads of the addon's own rather than the libuv pool: when a worker_threads realm is
// torn down, Node waits for its pending libuv work before it runs any cleanup hook, so a job on
// the libuv pool would run to its end (minutes, holding its kernel threads) before anything could
// cancel it. These threads are invisible to Node: the realm's cleanup hook cancels the job and the
// job's completion hand-off (a thread-safe function) waits for it to wind down.
//
// The threads persist and are reused, so each keeps its OpenMP team (and the CPUs TeamPinning gave
// it) from job to job, as the libuv threads did. At most max(4, CPUs) exist; further jobs queue.
#pragma once
#include <condition_variable>
#include <deque>
#include <mutex>

namespace spearsim {
namespace binding {

class QueuedJob {
 public:
  virtual ~QueuedJob() = default;
  virtual void execute() = 0;  // runs on a job thread
};

class JobThreads {
 public:
  // The one pool of this process (never destroyed: its threads may outlive static destructors).
  static JobThreads& process();

  void submit(QueuedJob* job);
  // Takes a job that has not started off the queue; false if it has started (or finished).
  bool withdraw(QueuedJob* job);

 private:
  JobThreads();
  void serve();

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<QueuedJob*> queue_;
  int threads_ = 0;
  int idle_ = 0;
  const int maxThreads_;
};

// Keeps this shared library mapped until the process exits: the job threads run its code, and a
// worker_threads realm that loaded it alone would otherwise unload it when it ends.
void KeepAddonLoaded();

}  // namespace binding
}  // namespace spearsim
