// Runtime choice of the vector kernels: the widest the CPU has (AVX-512, AVX2, or the portable
// scalar code), capped by the environment variable SPEARSIM_SIMD ("0" or "scalar", "avx2", "avx512"; any
// other value throws ERR_OUT_OF_RANGE) so
// tests can compare the paths; every path gives the same bits. Call it on the JS thread when a job
// is queued, never from a kernel: it reads the environment.
#pragma once

// The vector kernels exist on x86-64 only; elsewhere (arm64) every path is the scalar one.
#if defined(__x86_64__) || defined(_M_X64)
#define SPEARSIM_X86_VECTORS 1
#else
#define SPEARSIM_X86_VECTORS 0
#endif

namespace spearsim {

enum class SimdLevel { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

SimdLevel simdLevel();

}  // namespace spearsim
