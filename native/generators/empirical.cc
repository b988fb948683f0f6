// Empirical pool: the nonparametric signal, with y values from a pool of known values (fixed,
// drawn with replacement, log-uniform), sorted and given in signal order (generators/pooled.hpp).
#include "generators/pooled.hpp"

namespace spearsim {

extern const GeneratorEntry kNonparametricGenerator;
extern const GeneratorEntry kEmpiricalGenerator{"empirical", 3, true, true, pooledMix<kNonparametricGenerator>,
                                                buildPooled<kNonparametricGenerator>};

}  // namespace spearsim
