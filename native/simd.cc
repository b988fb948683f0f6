#include "simd.hpp"

#include <cstdlib>
#include <cstring>
#include <string>

#include "errors.hpp"

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
  if (cap == nullptr || cap[0] == '\0' || std::strcmp(cap, "avx512") == 0) return level;
  if (std::strcmp(cap, "0") == 0 || std::strcmp(cap, "scalar") == 0) return SimdLevel::kScalar;
  if (std::strcmp(cap, "avx2") == 0) return level > SimdLevel::kAvx2 ? SimdLevel::kAvx2 : level;
  // a misspelt cap must not silently leave the widest path on
  throw KernelError(code::kOutOfRange, std::string("the environment variable SPEARSIM_SIMD must be 0, scalar, avx2 or avx512 "
                                                   "(or unset: the widest the CPU has); received \"") + cap + "\"");
}

}  // namespace spearsim
