// Many inverse normal CDFs at once, the same bits as mathfn::ndtri one by one.
//
// ndtri (AS 241) takes its central branch (|p - 0.5| <= 0.425) for 85 % of uniform inputs: two
// rational polynomials and a division, evaluated here 8 lanes at a time with AVX-512 where the CPU
// has it (the same multiplications, additions and division in the same order, each rounded once as
// in the scalar code, which is built without contraction); tail and invalid inputs take the scalar
// ndtri. The copula and linear generators draw two normals per item through this.
#pragma once
#include <cstdint>

#include "rng.hpp"

namespace spearsim {

// values[i] = mathfn::ndtri(values[i]) for i < n.
void ndtriInPlace(double* values, uint32_t n);

// The portable loop and the AVX-512 path (for the check program; ndtriInPlace picks by CPU).
void ndtriInPlaceScalar(double* values, uint32_t n);
void ndtriInPlaceAvx512(double* values, uint32_t n);
bool ndtriAvx512Available();

// n standard normals: the same draws and bits as n calls of rng.normal().
inline void drawNormals(Rng& rng, double* out, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) out[i] = rng.uniformOpen();
  ndtriInPlace(out, n);
}

}  // namespace spearsim
