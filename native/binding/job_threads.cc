#include "job_threads.hpp"

#include <algorithm>
#include <thread>

#if defined(__linux__) || defined(__APPLE__)
#include <dlfcn.h>
#include <pthread.h>
#endif

namespace spearsim {
namespace binding {

JobThreads::JobThreads() : maxThreads_(std::max(4, static_cast<int>(std::thread::hardware_concurrency()))) {}

JobThreads& JobThreads::process() {
  static JobThreads* pool = new JobThreads();
  return *pool;
}

void JobThreads::submit(QueuedJob* job) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (static_cast<int>(queue_.size()) >= idle_ && threads_ < maxThreads_) {
    std::thread(&JobThreads::serve, this).detach();  // throws std::system_error if refused: nothing queued then
    ++threads_;
  }
  queue_.push_back(job);
  queued_.notify_one();
}

bool JobThreads::withdraw(QueuedJob* job) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = std::find(queue_.begin(), queue_.end(), job);
  if (it == queue_.end()) return false;
  queue_.erase(it);
  return true;
}

void JobThreads::serve() {
#if defined(__linux__)
  pthread_setname_np(pthread_self(), "spearsim-job");  // so that top, perf and /proc say whose it is
#endif
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++idle_;
    queued_.wait(lock, [this] { return !queue_.empty(); });
    --idle_;
    QueuedJob* job = queue_.front();
    queue_.pop_front();
    lock.unlock();
    job->execute();
    lock.lock();
  }
}

void KeepAddonLoaded() {
#if defined(__linux__) || defined(__APPLE__)
  Dl_info self;
  if (dladdr(reinterpret_cast<void*>(&KeepAddonLoaded), &self) != 0 && self.dli_fname != nullptr) {
    // RTLD_NOLOAD: only marks the copy already loaded; the handle is kept for good on purpose
    dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
  }
#endif
}

}  // namespace binding
}  // namespace spearsim
