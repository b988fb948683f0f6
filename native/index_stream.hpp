// The stream of resample indices: uniform integers in [0, range), shared bit for bit with
// ResampleIndexStream in lib/rng.ts.
//
// It runs eight xoshiro256** generators side by side so that drawing vectorises: lane l of the
// stream with key K is the generator of key childKey(K, l). Each step takes one 64-bit output
// from lanes 0..7 in turn and splits it into its low then its high 32-bit word. A word w maps to
// the index floor(w * range / 2^32), except that it is skipped when (w * range) mod 2^32 falls
// below 2^32 mod range (Lemire's rejection), so every index is exactly uniform. Skipping is a
// property of the word alone: the stream is the same however it is cut into fills.
#pragma once
#include <cstddef>
#include <cstdint>

#include "simd.hpp"

namespace spearsim {

class ResampleIndexStream {
 public:
  static constexpr int kLanes = 8;

  ResampleIndexStream(uint64_t key, uint32_t range, SimdLevel simd);

  // Writes the next `count` indices.
  void fill(uint32_t* out, size_t count);

 private:
  static constexpr int kWordsPerStep = 2 * kLanes;

  // Whole steps (16 words each, at most 16 indices) while at least 16 slots of `room` remain, the
  // state held in registers throughout; returns how many indices were written.
  size_t steps(uint32_t* out, size_t room);
  size_t stepsScalar(uint32_t* out, size_t room);
  size_t stepsAvx2(uint32_t* out, size_t room);
  size_t stepsAvx512(uint32_t* out, size_t room);

  alignas(64) uint64_t state_[4][kLanes];  // state word j of lane l at [j][l]
  uint32_t range_;
  uint32_t threshold_;  // 2^32 mod range: words whose low product half is below it are skipped
  SimdLevel simd_;
  uint32_t pending_[kWordsPerStep];  // indices of the last step not yet handed out
  uint32_t pendingCount_ = 0;
  uint32_t pendingNext_ = 0;
};

}  // namespace spearsim
