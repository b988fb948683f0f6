// Copula pool: the Gaussian copula signal, with y values from a pool given in signal order (an
// ordinal or pilot y with the copula's dependence; generators/pooled.hpp).
#include "generators/pooled.hpp"

namespace spearsim {

extern const GeneratorEntry kCopulaGenerator;
extern const GeneratorEntry kCopulaPoolGenerator{"copula-pool", 5, true, true, pooledMix<kCopulaGenerator>, buildPooled<kCopulaGenerator>};

}  // namespace spearsim
