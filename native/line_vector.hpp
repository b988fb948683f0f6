// Vectors whose storage sits on cache lines of its own: 64-byte aligned, the length rounded up to
// whole lines. The kernels' per-thread buffers use them, so that one thread's writes never land on
// a line that another thread reads: placed by plain malloc, the buffers of two threads could share
// lines, and a batch bootstrap then ran at half speed on both threads for as long as the allocator
// kept that layout.
#pragma once
#include <cstddef>
#include <new>
#include <vector>

namespace spearsim {

constexpr std::size_t kCacheLine = 64;

template <class T>
struct LineAllocator {
  using value_type = T;
  LineAllocator() = default;
  template <class U>
  LineAllocator(const LineAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    const std::size_t bytes = (n * sizeof(T) + kCacheLine - 1) / kCacheLine * kCacheLine;
    return static_cast<T*>(::operator new(bytes, std::align_val_t(kCacheLine)));
  }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t(kCacheLine)); }
  template <class U>
  bool operator==(const LineAllocator<U>&) const noexcept {
    return true;
  }
  template <class U>
  bool operator!=(const LineAllocator<U>&) const noexcept {
    return false;
  }
};

template <class T>
using LineVector = std::vector<T, LineAllocator<T>>;

}  // namespace spearsim
