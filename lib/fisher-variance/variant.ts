/**
 * The shape of one Fisher-z variance of Spearman's rho: the variance of z = atanh(r) that a
 * Fisher-z confidence interval uses (docs/methods.md, "Asymptotic methods").
 * @module
 */

/** What a Fisher-z variance needs besides n: nothing, the observed r, or its z = atanh(r). */
export type FisherVarianceNeed = 'n' | 'r' | 'z';

/** One registered Fisher-z variance. */
export interface FisherVariance<Name extends string = string> {
  /** Option value (`fisherVariance`). */
  name: Name;
  /** Stable numeric code (table order; never reused). */
  code: number;
  /** Short human label. */
  label: string;
  /** The formula, as documented. */
  formula: string;
  /** The source of the formula. */
  reference: string;
  /** What it reads besides n. */
  needs: FisherVarianceNeed;
  /** Where it is used. */
  usedBy: readonly string[];
  /** Var(z) for n pairs at observed r (clipped to +-0.9999) and z = atanh(r). */
  variance(n: number, r: number, z: number): number;
}
