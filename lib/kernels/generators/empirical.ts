/**
 * Empirical pool (twin of native/generators/empirical.cc): the nonparametric signal, with y values
 * from a pool of known values (fixed, drawn with replacement, log-uniform), sorted and given in
 * signal order (./pooled). A study run has no pool option, so its stages never use it.
 * @module
 */
import { nonparametric } from './nonparametric';
import { pooledEntry } from './pooled';

export const empirical = pooledEntry('empirical', 3, () => nonparametric, true, 'the nonparametric signal with y values from a pool (option pool; values only)');
