// Linear pool: the log-linear signal on the actual x values, with y values from a pool given in
// signal order (an ordinal or pilot y with the linear model's dependence; generators/pooled.hpp).
#include "generators/pooled.hpp"

namespace spearsim {

extern const GeneratorEntry kLinearGenerator;
extern const GeneratorEntry kLinearPoolGenerator{"linear-pool", 6, true, true, pooledMix<kLinearGenerator>, buildPooled<kLinearGenerator>};

}  // namespace spearsim
