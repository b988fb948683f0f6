#include "buffer_pool.hpp"

#include <cstdlib>
#include <deque>
#include <mutex>
#include <new>

namespace spearsim {

namespace {

struct IdleBuffer {
  void* block;
  size_t bytes;
};

std::mutex poolMutex;
std::deque<IdleBuffer>& idleBuffers() {
  static auto* buffers = new std::deque<IdleBuffer>();  // never destroyed: usable during exit
  return *buffers;
}
size_t idleBytes = 0;

}  // namespace

PooledBuffer acquireBuffer(size_t bytes) {
  {
    std::lock_guard<std::mutex> lock(poolMutex);
    auto& idle = idleBuffers();
    // the smallest idle buffer that fits without wasting more than half of itself
    auto best = idle.end();
    for (auto it = idle.begin(); it != idle.end(); ++it) {
      if (it->bytes >= bytes && it->bytes / 2 <= bytes && (best == idle.end() || it->bytes < best->bytes)) best = it;
    }
    if (best != idle.end()) {
      const IdleBuffer found = *best;
      idle.erase(best);
      idleBytes -= found.bytes;
      return PooledBuffer(found.block, PooledDeleter{found.bytes});
    }
  }
  void* block = std::malloc(bytes == 0 ? 1 : bytes);
  if (block == nullptr) throw std::bad_alloc();
  return PooledBuffer(block, PooledDeleter{bytes});
}

void PooledDeleter::operator()(void* block) const {
  if (bytes > kPoolBytes) {
    std::free(block);
    return;
  }
  std::lock_guard<std::mutex> lock(poolMutex);
  auto& idle = idleBuffers();
  idle.push_back(IdleBuffer{block, bytes});
  idleBytes += bytes;
  while (idleBytes > kPoolBytes) {
    idleBytes -= idle.front().bytes;
    std::free(idle.front().block);
    idle.pop_front();
  }
}

}  // namespace spearsim
