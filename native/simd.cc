#include "simd.hpp"

#include <cstdlib>
#include <cstring>

namespace spearsim {

SimdLevel simdLevel() {
  SimdLevel level = SimdLevel::kScalar;
#if SPEARSIM_X86_VECTORS
  if (__builtin_cpu_supports("avx512f")) {
    level = SimdLevel::kAvx512;
  } else if (__builtin_cpu_supports("avx2")) {
    level = SimdLevel::kAvx2;
  }
#endif
  const char* cap = std::getenv("SPEARSIM_SIMD");
  if (cap == nullptr) return level;
  if (std::strcmp(cap, "0") == 0 || std::strcmp(cap, "scalar") == 0) return SimdLevel::kScalar;
  if (std::strcmp(cap, "avx2") == 0 && level > SimdLevel::kAvx2) return SimdLevel::kAvx2;
  return level;
}

}  // namespace spearsim
