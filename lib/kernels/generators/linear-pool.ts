/**
 * Linear pool (twin of native/generators/linear_pool.cc): the log-linear signal on the actual x
 * values with y values from a pool given in signal order (an ordinal or pilot y; ./pooled).
 * @module
 */
import { linear } from './linear';
import { pooledEntry } from './pooled';

export const linearPool = pooledEntry('linear-pool', 6, () => linear, false, 'the log-linear signal with y values from a pool (option pool; values only)');
