// The generator table: one line per generator, in code order (entry i has code i). Its twin is
// lib/kernels/generators/registry.ts; test/generators.test.ts checks that the two agree.
#include "generators.hpp"

#define SPEARSIM_GENERATORS(X) \
  X(kNonparametricGenerator)   \
  X(kCopulaGenerator)          \
  X(kLinearGenerator)          \
  X(kEmpiricalGenerator)       \
  X(kNullGenerator)            \
  X(kCopulaPoolGenerator)      \
  X(kLinearPoolGenerator)      \
  /* one line per generator, above this one */

namespace spearsim {

#define SPEARSIM_DECLARE_GENERATOR(entry) extern const GeneratorEntry entry;
SPEARSIM_GENERATORS(SPEARSIM_DECLARE_GENERATOR)
#undef SPEARSIM_DECLARE_GENERATOR

namespace {
#define SPEARSIM_LIST_GENERATOR(entry) &entry,
const GeneratorEntry* const kGeneratorTable[] = {SPEARSIM_GENERATORS(SPEARSIM_LIST_GENERATOR)};
#undef SPEARSIM_LIST_GENERATOR
}  // namespace

uint32_t generatorCount() { return static_cast<uint32_t>(sizeof(kGeneratorTable) / sizeof(kGeneratorTable[0])); }

const GeneratorEntry* generatorEntry(uint32_t code) { return code < generatorCount() ? kGeneratorTable[code] : nullptr; }

}  // namespace spearsim
