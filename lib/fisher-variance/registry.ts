/**
 * The Fisher-z variances of Spearman's rho, one file each; adding one is a file and a line here.
 * The `fisherVariance` option's choices, its help text and the tests come from this table.
 * @module
 */
import { bonettWright } from './bonett-wright';
import { carusoCliff } from './caruso-cliff';
import { fiellerHartleyPearson } from './fieller-hartley-pearson';
import type { FisherVariance } from './variant';

/** The registered Fisher-z variances, in code order (the default first). */
export const FISHER_VARIANCES = [fiellerHartleyPearson, bonettWright, carusoCliff] as const;

/** Name of a registered Fisher-z variance. */
export type FisherVarianceName = (typeof FISHER_VARIANCES)[number]['name'];

/** The option values, in table order. */
export const FISHER_VARIANCE_NAMES = FISHER_VARIANCES.map((v) => v.name) as readonly FisherVarianceName[];

/** The default: Fieller-Hartley-Pearson, the variance behind every Fisher-z CI before the choice existed. */
export const DEFAULT_FISHER_VARIANCE: FisherVarianceName = 'fieller-hartley-pearson';

/** The registered variance of a name. */
export function fisherVarianceOf(name: FisherVarianceName): FisherVariance {
  return FISHER_VARIANCES.find((v) => v.name === name)!;
}

export type { FisherVariance, FisherVarianceNeed } from './variant';
