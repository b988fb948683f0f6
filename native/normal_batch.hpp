// Many inverse normal CDFs at once, the same bits as mathfn::ndtri one by one.
//
// ndtri (AS 241) takes its central branch (|p - 0.5| <= 0.425) for 85 % of uniform inputs: two
// rational polynomials and a division, evaluated here 8 lanes at a time with AVX-512 where the job's
// vector level allows it (simdLevel(), so SPEARSIM_SIMD caps it too; the same multiplications, additions and division in the same order, each rounded once as
// in the scalar code, which is built without contraction); tail and invalid inputs take the scalar
// ndtri. The copula and linear generators draw two normals per item through this.
#pragma once
#include <cstdint>

#include "rng.hpp"
#include "simd.hpp"

namespace spearsim {

// values[i] = mathfn::ndtri(values[i]) for i < n, on the widest path `simd` allows.
void ndtriInPlace(double* values, uint32_t n, SimdLevel simd);

// The two paths (ndtriInPlace picks one; the check program compares both). The AVX-512 one needs
// a CPU with AVX-512F.
void ndtriInPlaceScalar(double* values, uint32_t n);
void ndtriInPlaceAvx512(double* values, uint32_t n);

// n standard normals: the same draws and bits as n calls of rng.normal().
inline void drawNormals(Rng& rng, double* out, uint32_t n, SimdLevel simd) {
  for (uint32_t i = 0; i < n; ++i) out[i] = rng.uniformOpen();
  ndtriInPlace(out, n, simd);
}

}  // namespace spearsim
