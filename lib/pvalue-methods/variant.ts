/**
 * The shape of one p-value method of spearmanTest (docs/methods.md, "Real data").
 * @module
 */

/** Alternative hypothesis: rho != 0, rho > 0 or rho < 0. */
export type Alternative = 'two-sided' | 'greater' | 'less';

/** A closed-form p-value: the statistic, its p-value and, for t, the degrees of freedom. */
export interface ClosedFormPvalue {
  /** The test statistic (t or z). */
  statistic: number;
  /** The p-value under the alternative. */
  pValue: number;
  /** Degrees of freedom (t only). */
  df?: number;
}

/** One registered p-value method. */
export interface PvalueMethodSpec<Name extends string = string> {
  /** Option value (`method` of spearmanTest). */
  name: Name;
  /** Stable numeric code (table order; never reused). */
  code: number;
  /** Short human label. */
  label: string;
  /**
   * What it reads and draws: `closed-form` (rho and n only), `all-permutations` (exact
   * enumeration of the ranks' n! arrangements) or `permutations` (exact, the precomputed null or
   * Monte Carlo, whichever applies).
   */
  needs: 'closed-form' | 'all-permutations' | 'permutations';
  /** Where it is used. */
  usedBy: readonly string[];
  /** The p-value from rho and n, for closed forms (the permutation methods run in lib/realdata.ts). */
  closedForm?: (rho: number, n: number, alternative: Alternative) => ClosedFormPvalue;
}
