/**
 * Copula pool (twin of native/generators/copula_pool.cc): the Gaussian copula signal with y values
 * from a pool given in signal order (an ordinal or pilot y with the copula's dependence; ./pooled).
 * @module
 */
import { copula } from './copula';
import { pooledEntry } from './pooled';

export const copulaPool = pooledEntry('copula-pool', 5, () => copula, false, 'the copula signal with y values from a pool (option pool; values only)');
