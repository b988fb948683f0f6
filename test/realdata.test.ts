// Real-data API against independent values from scipy (test/fixtures/realdata.json by
// scripts/golden/make_fixtures.py, test/fixtures/realdata-methods.json by
// scripts/golden/make_realdata_fixtures.py): spearman, spearmanTest (exact / precomputed-null /
// Monte Carlo permutation, t, normal), and the precomputed-null reuse rules. The far t tail of
// Loblolly from test/fixtures/t_tails_extreme.json (scripts/golden/make_t_tail_fixtures.py).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PVALUE_METHOD_REGISTRY, SpearsimError, TEST_METHODS, spearman, spearmanTest, type Alternative } from '../lib/index';
import { nullDistribution } from '../lib/pvalues';
import { loblolly } from './helpers/loblolly';
import extreme from './fixtures/t_tails_extreme.json';

interface Dataset { name: string; n: number; x: number[]; y: number[]; rho: number; p_asymptotic_t: number }
interface PRef { p: number; se?: number }
interface MethodsRef {
  name: string;
  n: number;
  rho: number;
  pvalues: { t: Record<Alternative, number> & { statistic: number; df: number }; normal: Record<Alternative, number> & { z: number } };
  permutation: Record<Alternative, PRef> & { kind: 'exact' | 'monte-carlo'; n_resamples: number; abs?: PRef };
}

const fixtures = path.join(__dirname, 'fixtures');
const datasets = (JSON.parse(fs.readFileSync(path.join(fixtures, 'realdata.json'), 'utf8')) as { datasets: Dataset[] }).datasets;
const refs = (JSON.parse(fs.readFileSync(path.join(fixtures, 'realdata-methods.json'), 'utf8')) as { datasets: MethodsRef[] }).datasets;
const refOf = (d: Dataset): MethodsRef => refs.find((r) => r.name === d.name)!;
const ALTERNATIVES: Alternative[] = ['two-sided', 'greater', 'less'];
const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('spearman', () => {
  it('matches scipy.stats.spearmanr on tied real-style data (|diff| <= 2e-16)', () => {
    for (const d of datasets) expect(Math.abs(spearman(d.x, d.y) - d.rho), d.name).toBeLessThanOrEqual(2.3e-16);
  });
  it('rejects constant input, short or unequal vectors, non-finite values', () => {
    const code = (fn: () => unknown): string => {
      try {
        fn();
        return 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(SpearsimError);
        return (e as SpearsimError).code;
      }
    };
    expect(code(() => spearman([1, 1, 1, 1], [1, 2, 3, 4]))).toBe('ERR_OUT_OF_RANGE');
    expect(code(() => spearman([1, 2, 3, 4], [5, 5, 5, 5]))).toBe('ERR_OUT_OF_RANGE');
    expect(code(() => spearman([1, 2], [1, 2]))).toBe('ERR_OUT_OF_RANGE');
    expect(code(() => spearman([1, 2, 3], [1, 2]))).toBe('ERR_LENGTH_MISMATCH');
    expect(code(() => spearman([1, 2, Infinity], [1, 2, 3]))).toBe('ERR_OUT_OF_RANGE');
    expect(code(() => spearman('123' as unknown as number[], [1, 2, 3]))).toBe('ERR_INVALID_TYPE');
    expect(code(() => spearman([1, 2, NaN, 4], [1, 3, 2, 4]))).toBe('ERR_NAN_INPUT');
    expect(spearman([1, 2, NaN, 4, 5], [1, 3, 2, 4, NaN], { nanPolicy: 'omit' })).toBe(spearman([1, 2, 4], [1, 3, 4]));
    expect(Number.isNaN(spearman([1, 2, NaN, 4], [1, 3, 2, 4], { nanPolicy: 'propagate' }))).toBe(true);
  });
});

describe('spearmanTest: t and normal approximations', () => {
  it('t p-values equal scipy.stats.spearmanr(alternative=...) to 1e-12 (relative)', async () => {
    let worst = 0;
    for (const d of datasets) {
      const ref = refOf(d).pvalues.t;
      for (const alternative of ALTERNATIVES) {
        const r = await spearmanTest(d.x, d.y, { method: 't', alternative });
        expect(r.df).toBe(d.n - 2);
        expect(Math.abs(r.statistic - ref.statistic)).toBeLessThan(1e-12);
        worst = Math.max(worst, relErr(r.pValue, ref[alternative]));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });
  it("t p-value of R's Loblolly (age vs height, rho = 0.986) is 1.13e-65 as in R and scipy, not 0", async () => {
    const { age, height } = loblolly();
    const r = await spearmanTest(age, height, { method: 't' });
    expect(relErr(r.rho, extreme.loblolly.rho)).toBeLessThan(1e-15);
    expect(relErr(r.pValue, extreme.loblolly.pMpmath)).toBeLessThan(1e-11);
    expect(relErr(r.pValue, extreme.loblolly.pScipy)).toBeLessThan(1e-11);
  });
  it('normal p-values (z = rho sqrt(n - 1)) equal scipy.stats.norm to 1e-12 (relative)', async () => {
    let worst = 0;
    for (const d of datasets) {
      const ref = refOf(d).pvalues.normal;
      for (const alternative of ALTERNATIVES) {
        const r = await spearmanTest(d.x, d.y, { method: 'asymptotic', alternative });
        expect(Math.abs(r.statistic - ref.z)).toBeLessThan(1e-12);
        worst = Math.max(worst, relErr(r.pValue, ref[alternative]));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });
});

describe('p-value method registry', () => {
  it('lists every method spearmanTest accepts, in code order; closed forms run through it', async () => {
    const d = datasets.find((q) => q.n > 11)!;
    expect(TEST_METHODS).toEqual(PVALUE_METHOD_REGISTRY.map((m) => m.name));
    PVALUE_METHOD_REGISTRY.forEach((m, i) => expect(m.code).toBe(i));
    for (const m of PVALUE_METHOD_REGISTRY) {
      expect(m.closedForm !== undefined).toBe(m.needs === 'closed-form');
      if (!m.closedForm) continue;
      const r = await spearmanTest(d.x, d.y, { method: m.name });
      const c = m.closedForm(r.rho, r.n, 'two-sided');
      expect([r.statistic, r.pValue, r.df]).toEqual([c.statistic, c.pValue, c.df]);
    }
  });
});

describe('spearmanTest: permutation', () => {
  const exact = datasets.filter((d) => refOf(d).permutation.kind === 'exact');
  const mc = datasets.filter((d) => refOf(d).permutation.kind === 'monte-carlo');

  it('enumerates all n! permutations when n! <= nPerm and equals scipy.stats.permutation_test exactly', async () => {
    expect(exact.map((d) => d.n)).toEqual([6, 8, 9]);
    for (const d of exact) {
      const ref = refOf(d).permutation;
      for (const alternative of ALTERNATIVES) {
        const r = await spearmanTest(d.x, d.y, { alternative, nPerm: ref.n_resamples });
        expect(r.permutation).toEqual({ kind: 'exact', count: ref.n_resamples });
        expect(r.exact).toBe(true);
        expect(r.pValue, `${d.name} ${alternative}`).toBeCloseTo(ref[alternative].p, 14);
      }
    }
  });

  it("method 'exact' enumerates whatever nPerm, says so, and refuses n > 11 with a coded error", async () => {
    for (const d of exact) {
      const ref = refOf(d).permutation;
      const r = await spearmanTest(d.x, d.y, { method: 'exact', nPerm: 100 });
      expect(r.method).toBe('exact');
      expect(r.exact).toBe(true);
      expect(r.permutation).toEqual({ kind: 'exact', count: ref.n_resamples });
      expect(r.pValue).toBeCloseTo(ref['two-sided'].p, 14);
      expect((await spearmanTest(d.x, d.y, { nPerm: 100, seed: 1, verbose: 0 })).exact).toBe(false);
    }
    const big = datasets.find((q) => q.n > 11)!;
    const err = (await spearmanTest(big.x, big.y, { method: 'exact' }).catch((e: unknown) => e)) as SpearsimError;
    expect(err.code).toBe('ERR_OUT_OF_RANGE');
    expect(err.message).toMatch(/n <= 11/);
  });

  it('nanPolicy: raise (default) names the element, omit drops and counts the pairs, propagate gives NaN', async () => {
    const d = exact[1]!;
    const x = [...d.x, NaN, 3];
    const y = [...d.y, 1, NaN];
    const err = (await spearmanTest(x, y).catch((e: unknown) => e)) as SpearsimError;
    expect(err.code).toBe('ERR_NAN_INPUT');
    expect(err.option).toBe(`x[${d.x.length}]`);
    for (const method of ['exact', 't', 'asymptotic'] as const) {
      const omitted = await spearmanTest(x, y, { method, nanPolicy: 'omit' });
      const clean = await spearmanTest(d.x, d.y, { method });
      expect(omitted.nanOmitted).toBe(2);
      expect([omitted.n, omitted.rho, omitted.pValue]).toEqual([clean.n, clean.rho, clean.pValue]);
      const propagated = await spearmanTest(x, y, { method, nanPolicy: 'propagate' });
      expect([propagated.rho, propagated.pValue].every(Number.isNaN)).toBe(true);
    }
  });

  it('Monte Carlo / precomputed-null p-values agree with scipy references within 4.5 combined SE', async () => {
    for (const d of mc) {
      const ref = refOf(d).permutation;
      for (const alternative of ALTERNATIVES) {
        // two-sided: spearsim counts |rho_b| >= |rho|; scipy's two-sided is 2 min(P(<=), P(>=)),
        // which differs when tied y make the null asymmetric, so compare with the |rho| reference
        const want = alternative === 'two-sided' ? ref.abs! : ref[alternative];
        const r = await spearmanTest(d.x, d.y, { alternative, seed: 5, verbose: 0 });
        const se = Math.hypot(want.se!, Math.sqrt(Math.max(r.pValue * (1 - r.pValue), 1 / r.permutation!.count) / r.permutation!.count));
        expect(Math.abs(r.pValue - want.p), `${d.name} ${alternative}: ${r.pValue} vs ${want.p}`).toBeLessThan(4.5 * se);
      }
    }
  });

  it('reuses the precomputed null of x\'s tie structure only where it is the exact null', async () => {
    const untied = datasets.find((d) => d.name === 'n=15 k=4')!;
    const tiedY = datasets.find((d) => d.name === 'n=10 k=3 rounded y')!;
    const first = await spearmanTest(untied.x, untied.y, { verbose: 0 });
    expect(first.permutation?.kind).toBe('precomputed-null');
    expect(first.permutation?.count).toBe(50000);
    const again = await spearmanTest(untied.x, untied.y, { verbose: 0, seed: 99 });
    expect(again.permutation?.nullSource).toBe('memory');
    expect(again.pValue).toBe(first.pValue); // the null is seeded by the structure, not the seed
    // the same null the power machinery uses for this structure
    const sortedX = [...untied.x].sort((a, b) => a - b);
    const xCounts = [...new Set(sortedX)].map((v) => sortedX.filter((u) => u === v).length);
    const nul = await nullDistribution({ n: 15, counts: xCounts, allDistinct: false }, { verbose: 0 });
    const above = nul.sortedAbs.filter((v) => v >= Math.abs(first.rho) - 1e-12).length;
    expect(first.pValue).toBe((1 + above) / (1 + 50000));
    // not reused: tied y, one-sided, nPerm != nPre, or reuseNull false
    expect((await spearmanTest(tiedY.x, tiedY.y, { verbose: 0 })).permutation?.kind).toBe('monte-carlo');
    expect((await spearmanTest(untied.x, untied.y, { alternative: 'greater' })).permutation?.kind).toBe('monte-carlo');
    expect((await spearmanTest(untied.x, untied.y, { nPerm: 20000 })).permutation).toEqual({ kind: 'monte-carlo', count: 20000 });
    expect((await spearmanTest(untied.x, untied.y, { reuseNull: false })).permutation?.kind).toBe('monte-carlo');
  });

  it('is reproducible for a seed and varies with it', async () => {
    const d = datasets.find((q) => q.name === 'n=60 k=10 rounded y')!;
    const a = await spearmanTest(d.x, d.y, { nPerm: 2000, seed: 1 });
    const b = await spearmanTest(d.x, d.y, { nPerm: 2000, seed: 1 });
    const c = await spearmanTest(d.x, d.y, { nPerm: 2000, seed: 2 });
    expect(b.pValue).toBe(a.pValue);
    expect(c.pValue).not.toBe(a.pValue);
    expect(a.provenance.seed).toBe(1);
  });

  it('stops on abort', async () => {
    const d = datasets.find((q) => q.name === 'n=60 k=10 rounded y')!;
    const controller = new AbortController();
    const promise = spearmanTest(d.x, d.y, { nPerm: 1e7, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = (await promise.catch((e: unknown) => e)) as SpearsimError;
    expect(err.code).toBe('ERR_ABORTED');
  });

  it('validates its options', async () => {
    const x = [1, 2, 3, 4];
    const y = [4, 1, 3, 2];
    const codeOf = (o: object): Promise<string> =>
      spearmanTest(x, y, o as never).then(() => 'ok', (e: SpearsimError) => e.code);
    expect(await codeOf({ alternative: 'two.sided' })).toBe('ERR_OUT_OF_RANGE');
    expect(await codeOf({ method: 'exact' })).toBe('ok');
    expect(await codeOf({ method: 'fisher' })).toBe('ERR_OUT_OF_RANGE');
    expect(await codeOf({ nanPolicy: 'skip' })).toBe('ERR_OUT_OF_RANGE');
    expect(await codeOf({ reuseNull: 'yes' })).toBe('ERR_INVALID_TYPE');
    expect(await codeOf({ nperm: 5 })).toBe('ERR_UNKNOWN_OPTION');
    expect(await codeOf({ nPerm: -1 })).toBe('ERR_OUT_OF_RANGE');
    expect(await codeOf({ method: 't', alternative: 'less' })).toBe('ok');
  });
});
