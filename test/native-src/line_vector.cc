// Checks the contract of LineVector (native/line_vector.hpp): the storage of every buffer starts
// on a cache line and no cache line holds bytes of two buffers, nor of a plain allocation made
// between them, whatever the element type, the sizes, the growth and the thread that allocates.
// Prints "ok <buffers>" or the first violation.
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <utility>
#include <vector>

#include "line_vector.hpp"

using namespace spearsim;

struct Span {
  uintptr_t first, last;  // first and last cache line holding the buffer's elements
};

template <class T>
Span spanOf(const LineVector<T>& v) {
  const auto begin = reinterpret_cast<uintptr_t>(v.data());
  return Span{begin / kCacheLine, (begin + v.capacity() * sizeof(T) - 1) / kCacheLine};
}

int main() {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 300;
  std::vector<LineVector<uint32_t>> small(kThreads * kPerThread);
  std::vector<LineVector<double>> grown(kThreads * kPerThread);
  std::vector<std::vector<char>> plain(kThreads * kPerThread);  // small mallocs in between
#pragma omp parallel num_threads(kThreads)
  {
    const int t = omp_get_thread_num();
    for (int i = 0; i < kPerThread; ++i) {
      const size_t at = static_cast<size_t>(t) * kPerThread + i;
      small[at].assign(1 + (i * 7) % 37, 1u);  // 4 to 148 bytes: most fit in one line
      plain[at].assign(1 + i % 24, 'x');
      for (int k = 0; k < 1 + i % 50; ++k) grown[at].push_back(k);  // reallocates as it grows
    }
  }
  std::vector<Span> spans;
  for (const auto& v : small) spans.push_back(spanOf(v));
  for (const auto& v : grown) spans.push_back(spanOf(v));
  for (const auto& v : small) {
    if (reinterpret_cast<uintptr_t>(v.data()) % kCacheLine != 0) {
      std::printf("misaligned buffer at %p\n", static_cast<const void*>(v.data()));
      return 1;
    }
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.first < b.first; });
  for (size_t i = 1; i < spans.size(); ++i) {
    if (spans[i].first <= spans[i - 1].last) {
      std::printf("buffers share cache line %#llx\n", static_cast<unsigned long long>(spans[i].first));
      return 1;
    }
  }
  for (const auto& p : plain) {
    const auto line = reinterpret_cast<uintptr_t>(p.data()) / kCacheLine;
    const auto lastLine = (reinterpret_cast<uintptr_t>(p.data()) + p.size() - 1) / kCacheLine;
    // the last span starting at or before lastLine is the only one that can overlap
    auto after = std::upper_bound(spans.begin(), spans.end(), lastLine, [](uintptr_t l, const Span& s) { return l < s.first; });
    if (after != spans.begin() && std::prev(after)->last >= line) {
      std::printf("a plain allocation shares cache line %#llx with a buffer\n", static_cast<unsigned long long>(line));
      return 1;
    }
  }
  std::printf("ok %zu\n", spans.size());
  return 0;
}
