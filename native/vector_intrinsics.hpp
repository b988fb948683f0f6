// x86 vector intrinsics. GCC 12 reports false "uninitialized" warnings from inside its own
// AVX-512 headers (the _mm512_undefined_* placeholders), so they are silenced for these headers only.
#pragma once
#include "simd.hpp"
#if SPEARSIM_X86_VECTORS
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif
