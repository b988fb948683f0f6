// Large buffers recycled between jobs. Freshly mapped memory costs a page fault per 4 KiB on
// first touch, a fifth of the time of a power estimate with fresh simulations, so a released
// buffer is kept for the next job of a similar size, up to kPoolBytes of idle buffers in all
// (process-wide, shared by every thread and worker; the least recently released go first).
#pragma once
#include <cstddef>
#include <memory>

namespace spearsim {

constexpr size_t kPoolBytes = size_t{64} << 20;

struct PooledDeleter {
  size_t bytes;
  void operator()(void* block) const;
};

// Uninitialised memory of at least `bytes` bytes (aligned for any scalar type).
using PooledBuffer = std::unique_ptr<void, PooledDeleter>;
PooledBuffer acquireBuffer(size_t bytes);

}  // namespace spearsim
