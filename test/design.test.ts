// Planning your own study (docs/methods.md, "Planning your own study"):
//   - margins: largest-remainder rounding (examples), counts exact at their own n, the smallest n
//     that gives every group at least 1;
//   - bad input: coded errors naming the option, the value and what is valid;
//   - the two-margin permutation null matches exact enumeration (within 4 SE per value), and the
//     native and TypeScript builds agree bit for bit;
//   - power at a study scenario's own n and counts equals the study's power within 4 SE of the
//     difference (same generator input; and at the study's realised mean rho);
//   - invariance: thread count, native vs TypeScript fallback give the same bits;
//   - the solvers: n with power(n) >= target > power(n - 1), unreachable targets, mdr, ci, ci-width;
//   - the CLI: --solve n --json keys, --solve power --json, errors and exit codes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  designAtN, designCi, designCiWidth, designMinDetectableRho, designPower, designPowerGrid, designSampleSize, makeDesign, readPilotColumn,
  roundedCounts,
} from '../lib/design';
import { smallestValidN } from '../lib/design/margins';
import { poolAt, scenarioAt } from '../lib/design/design';
import { generateDatasets, generatorSetup } from '../lib/generators';
import { clearDesignNullCache, designNull, signedNullPvalue } from '../lib/design/null';
import { main } from '../lib/cli/index';
import { addonFor } from '../lib/internal/native';
import { estimatePower } from '../lib/power';
import { makeScenario } from '../lib/scenario';
import { SpearsimError } from '../lib/errors';
import { captureOutput } from './helpers/capture';

const hasNative = addonFor({ native: true, verbose: 0 }) !== null;
const QUIET = { verbose: 0 };
let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-design-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function coded(fn: () => unknown, code: string, option: string, message?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SpearsimError);
    expect((e as SpearsimError).code).toBe(code);
    expect((e as SpearsimError).option).toBe(option);
    if (message) expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected an error');
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { value, stdout, stderr } = await captureOutput(() => main(argv));
  return { code: value, stdout, stderr };
}

describe('margins', () => {
  it('rounds proportions by largest remainder (ties to the lower group)', () => {
    const w = { weights: [0.4, 0.3, 0.2, 0.1], total: 1 };
    expect(roundedCounts(w, 81)).toEqual([33, 24, 16, 8]);
    expect(roundedCounts(w, 10)).toEqual([4, 3, 2, 1]);
    expect(roundedCounts({ weights: [1, 1, 1], total: 3 }, 10)).toEqual([4, 3, 3]);
    expect(roundedCounts({ weights: [10, 20, 20, 10], total: 60 }, 100)).toEqual([17, 33, 33, 17]);
  });
  it('gives counts back exactly at their own n, and pilot ties at the pilot size', () => {
    const d = makeDesign({ x: { counts: [7, 13, 29, 3] } });
    expect(d.n).toBe(52);
    expect(designAtN(d, 52).counts).toEqual([7, 13, 29, 3]);
    const p = makeDesign({ x: { pilot: [1, 1, 2, 2, 2, 5, 5, 9] } });
    expect(p.n).toBe(8);
    expect(designAtN(p, 8).counts).toEqual([2, 3, 2, 1]);
  });
  it('names the smallest n at which every group gets at least 1', () => {
    const w = { weights: [0.9, 0.05, 0.05], total: 1 };
    const from = smallestValidN(w);
    expect(roundedCounts(w, from).every((c) => c >= 1)).toBe(true);
    expect(roundedCounts(w, from - 1).some((c) => c < 1)).toBe(true);
    const d = makeDesign({ x: { proportions: [0.9, 0.05, 0.05] } });
    coded(() => designAtN(d, 10), 'ERR_OUT_OF_RANGE', 'n', new RegExp(`smallest n .* is ${from}`));
    expect(d.nRange[0]).toBe(from);
  });
  it('rescales ordinal y levels with x', () => {
    const d = makeDesign({ x: { proportions: [0.25, 0.25, 0.25, 0.25] }, y: { kind: 'ordinal', proportions: [0.1, 0.2, 0.4, 0.2, 0.1] } });
    expect(designAtN(d, 50)).toEqual({ n: 50, counts: [13, 13, 12, 12], yCounts: [5, 10, 20, 10, 5] });
  });
});

describe('bad input', () => {
  it('rejects proportions that do not sum to 1 or are negative', () => {
    coded(() => makeDesign({ x: { proportions: [0.5, 0.4] } }), 'ERR_OUT_OF_RANGE', 'proportions', /sum to 0.9/);
    coded(() => makeDesign({ x: { proportions: [1.2, -0.2] } }), 'ERR_OUT_OF_RANGE', 'proportions', /negative/);
    makeDesign({ x: { proportions: [0.5, 0.5 + 5e-10] } });
    coded(() => makeDesign({ x: { proportions: [0.5, 0.5] }, y: { kind: 'ordinal', proportions: [0.3, 0.3] } }), 'ERR_OUT_OF_RANGE', 'yLevels');
  });
  it('rejects n below 3 or above the maximum', () => {
    coded(() => makeDesign({ x: { proportions: [0.5, 0.5] }, n: 2 }), 'ERR_OUT_OF_RANGE', 'n');
    coded(() => makeDesign({ x: { proportions: [0.5, 0.5] }, n: 200001 }), 'ERR_OUT_OF_RANGE', 'n');
  });
  it('rejects pilot columns with < 2 distinct values or < 3 rows', () => {
    coded(() => makeDesign({ x: { pilot: [3, 3, 3, 3] } }), 'ERR_OUT_OF_RANGE', 'x.pilot', /1 distinct/);
    coded(() => makeDesign({ x: { pilot: [1, 2] } }), 'ERR_OUT_OF_RANGE', 'x.pilot', /2 usable rows/);
    coded(() => makeDesign({ x: { proportions: [0.5, 0.5] }, y: { kind: 'pilot', values: [2, 2, 2] } }), 'ERR_OUT_OF_RANGE', 'y.values');
  });
  it('reads pilot files bounded: missing, not regular, too large, one column with missing cells', () => {
    coded(() => readPilotColumn(path.join(root, 'none.csv'), 'x', '--x-from'), 'ERR_IO', '--x-from', /cannot read .*ENOENT/);
    coded(() => readPilotColumn(root, 'x', '--x-from'), 'ERR_IO', '--x-from', /is a directory/);
    const big = path.join(root, 'big.csv');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 64 * 1024 * 1024 + 1);
    coded(() => readPilotColumn(big, 'x', '--x-from'), 'ERR_IO', '--x-from', /over the 67108864-byte limit/);
    const file = path.join(root, 'pilot.tsv');
    fs.writeFileSync(file, 'dose\tscore\n1\t3\n1\tNA\n2\t4\n\t5\n3\t4\n');
    const x = readPilotColumn(file, 'dose', '--x-from');
    expect(x.values).toEqual([1, 1, 2, 3]);
    expect(x.skippedLines).toEqual([5]);
    coded(() => readPilotColumn(file, 'dosage', '--x-from'), 'ERR_OUT_OF_RANGE', '--x');
  });
  it('rejects generators that do not fit the y model', async () => {
    const d = makeDesign({ x: { counts: [5, 5, 5] }, y: { kind: 'ordinal', proportions: [0.5, 0.5] } });
    await expect(designPower(d, { rho: 0.3, generator: 'null', ...QUIET })).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED', option: 'generator' });
    await expect(designPower(makeDesign({ x: { counts: [5, 5, 5] } }), { rho: 0.3, generator: 'empirical', ...QUIET })).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED' });
  });
  it('rejects a half-width outside (0, 1)', async () => {
    const d = makeDesign({ x: { counts: [5, 5, 5] } });
    await expect(designCiWidth(d, { rho: 0.3, halfWidth: 1.5, ...QUIET })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', option: 'halfWidth' });
    await expect(designCiWidth(d, { rho: 0.3, halfWidth: 0, ...QUIET })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', option: 'halfWidth' });
  });
});

describe('the two-margin null', () => {
  // x counts [2, 3], y counts [3, 2]: exact permutation distribution by enumerating all 120 orders
  const xCounts = [2, 3];
  const yCounts = [3, 2];
  function exact(): Map<string, number> {
    const xr = [1.5, 1.5, 4, 4, 4];
    const yr = [2, 2, 2, 4.5, 4.5];
    const out = new Map<string, number>();
    const perm = (a: number[], k: number): void => {
      if (k === a.length) {
        const mx = 3;
        let sxy = 0;
        let sxx = 0;
        let syy = 0;
        for (let i = 0; i < 5; i++) {
          sxy += (xr[i]! - mx) * (yr[a[i]!]! - mx);
          sxx += (xr[i]! - mx) ** 2;
          syy += (yr[a[i]!]! - mx) ** 2;
        }
        const key = (sxy / Math.sqrt(sxx * syy)).toFixed(9);
        out.set(key, (out.get(key) ?? 0) + 1 / 120);
        return;
      }
      for (let i = k; i < a.length; i++) {
        [a[k], a[i]] = [a[i]!, a[k]!];
        perm(a, k + 1);
        [a[k], a[i]] = [a[i]!, a[k]!];
      }
    };
    perm([0, 1, 2, 3, 4], 0);
    return out;
  }
  it('matches exact enumeration within 4 SE per value', async () => {
    const nPre = 20000;
    const sorted = await designNull(xCounts, yCounts, { nPre, native: true, threads: 2, verbose: 0, cacheDir: undefined, saveCache: false }, {});
    const want = exact();
    const got = new Map<string, number>();
    for (const v of sorted) got.set(v.toFixed(9), (got.get(v.toFixed(9)) ?? 0) + 1 / nPre);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [k, p] of want) expect(Math.abs(got.get(k)! - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / nPre));
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!).toBeGreaterThanOrEqual(sorted[i - 1]!);
  });
  it.skipIf(!hasNative)('native and TypeScript builds agree bit for bit, on any thread count', async () => {
    clearDesignNullCache();
    const a = await designNull([20, 15, 10, 5], [10, 20, 15, 5], { nPre: 5000, native: true, threads: 2, verbose: 0, cacheDir: undefined, saveCache: false }, {});
    clearDesignNullCache();
    const b = await designNull([20, 15, 10, 5], [10, 20, 15, 5], { nPre: 5000, native: false, threads: 1, verbose: 0, cacheDir: undefined, saveCache: false }, {});
    clearDesignNullCache();
    const c = await designNull([20, 15, 10, 5], [10, 20, 15, 5], { nPre: 5000, native: true, threads: 1, verbose: 0, cacheDir: undefined, saveCache: false }, {});
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(true);
  });
  it('is kept on disk with cacheDir and saveCache, and a corrupt entry is rebuilt', async () => {
    const cacheDir = path.join(root, 'null-cache');
    const config = { nPre: 3000, native: true, threads: 1, verbose: 0, cacheDir, saveCache: true };
    clearDesignNullCache();
    const built = await designNull([12, 8, 6], [10, 16], config, {});
    const files = fs.readdirSync(cacheDir).filter((f) => f.startsWith('design-null-'));
    expect(files).toHaveLength(1);
    clearDesignNullCache();
    const read = await designNull([12, 8, 6], [10, 16], { ...config, native: false }, {});
    expect(Buffer.from(read.buffer).equals(Buffer.from(built.buffer))).toBe(true);
    fs.writeFileSync(path.join(cacheDir, files[0]!), '{"format": 1, "truncated');
    clearDesignNullCache();
    const rebuilt = await designNull([12, 8, 6], [10, 16], config, {});
    expect(Buffer.from(rebuilt.buffer).equals(Buffer.from(built.buffer))).toBe(true);
  });
  it('gives one- and two-sided p-values from the signed values', () => {
    const sorted = Float64Array.from([-0.5, -0.2, 0, 0.2, 0.5]);
    expect(signedNullPvalue(sorted, 0.5, 'greater')).toBeCloseTo(2 / 6, 12);
    expect(signedNullPvalue(sorted, 0.5, 'less')).toBeCloseTo(1, 12);
    expect(signedNullPvalue(sorted, -0.2, 'two-sided')).toBeCloseTo(5 / 6, 12);
    expect(signedNullPvalue(sorted, 0, 'two-sided')).toBe(1);
  });
});

describe('power', () => {
  const scenario = makeScenario({ case: 3, k: 4, shape: 'even' });
  const within = (a: { power: number; powerSe: number }, b: { power: number; se: number }): void => {
    expect(Math.abs(a.power - b.power)).toBeLessThan(4 * Math.hypot(a.powerSe, b.se));
  };
  it("equals the study's power at a scenario's own n and counts (4 SE)", async () => {
    const design = makeDesign({ x: { counts: scenario.counts } });
    const options = { nSims: 4000, seed: 7, ...QUIET };
    // the same generator input in both
    const study = await estimatePower(scenario, { ...options, rho: 0.3, calibrationMode: 'off' });
    const ours = await designPower(design, { ...options, rho: 0.3, calibrationMode: 'off' });
    expect(ours.n).toBe(scenario.n);
    expect(ours.counts).toEqual([...scenario.counts]);
    within(ours, study);
    // calibrated: the design's sims have mean rho = target; the study's its realised mean
    const calibrated = await estimatePower(scenario, { ...options, rho: 0.3 });
    const atRealised = await designPower(design, { ...options, rho: calibrated.realisedMeanRho });
    expect(Math.abs(atRealised.points[0]!.realisedMeanRho - calibrated.realisedMeanRho)).toBeLessThan(3e-4);
    within(atRealised, calibrated);
  });
  it('is near alpha at rho = 0 for one- and two-sided tests, ordinal y included (4 SE)', async () => {
    const d = makeDesign({ x: { counts: [12, 8, 6, 4] }, y: { kind: 'ordinal', proportions: [0.2, 0.5, 0.3] } });
    for (const alternative of ['two-sided', 'greater', 'less'] as const) {
      const r = await designPower(d, { rho: 0, alternative, nSims: 4000, ...QUIET });
      expect(Math.abs(r.power - 0.05)).toBeLessThan(4 * Math.sqrt((0.05 * 0.95) / 4000));
    }
  });
  it.skipIf(!hasNative)('does not depend on threads or engine (same bits)', async () => {
    const d = makeDesign({ x: { proportions: [0.4, 0.3, 0.2, 0.1] }, y: { kind: 'ordinal', proportions: [0.3, 0.4, 0.3] }, n: 40 });
    const options = { rho: [0.3, -0.2], nSims: 1500, nPre: 2000, alternative: 'greater' as const, ...QUIET };
    const a = await designPower(d, { ...options, threads: 2 });
    const b = await designPower(d, { ...options, threads: 1 });
    const c = await designPower(d, { ...options, native: false });
    expect(b.points).toEqual(a.points);
    expect(c.points).toEqual(a.points);
    expect(c.provenance.engine).toBe('typescript');
  });
  it('runs ordinal y with every signal generator: the y margin is fixed in every dataset', async () => {
    const d = makeDesign({ x: { counts: [10, 20, 20, 10] }, y: { kind: 'ordinal', proportions: [0.2, 0.3, 0.3, 0.2] } });
    for (const [generator, engineGenerator] of [['nonparametric', 'empirical'], ['copula', 'copula-pool'], ['linear', 'linear-pool']] as const) {
      const r = await designPower(d, { rho: 0.3, generator, nSims: 2000, ...QUIET });
      expect(r.method.engineGenerator).toBe(engineGenerator);
      expect(Math.abs(r.points[0]!.realisedMeanRho - 0.3)).toBeLessThan(3e-4);
      expect(Math.abs(r.power - r.points[0]!.asymptoticPower)).toBeLessThan(0.15);
      const at = designAtN(d, 60);
      const setup = generatorSetup(scenarioAt(d, at), engineGenerator, { vectorize: true, pool: poolAt(d, at) });
      for (const native of [true, false]) {
        const data = generateDatasets(setup, { rho: 0.4, values: true, baseKey: 11n, count: 5 }, { native, verbose: 0 });
        for (let r = 0; r < 5; r++) {
          const y = [...data.y.subarray(r * 60, r * 60 + 60)];
          expect([1, 2, 3, 4].map((level) => y.filter((v) => v === level).length)).toEqual(at.yCounts);
        }
      }
    }
  });
  it('runs a pilot y pool through the empirical generator', async () => {
    const d = makeDesign({ x: { counts: [10, 10, 10] }, y: { kind: 'pilot', values: [1, 2, 2, 3, 3, 3, 7, 9, 12, 12] } });
    const r = await designPower(d, { rho: 0.4, nSims: 2000, ...QUIET });
    expect(r.method.engineGenerator).toBe('empirical');
    expect(Math.abs(r.points[0]!.realisedMeanRho - 0.4)).toBeLessThan(3e-4);
    expect(r.power).toBeGreaterThan(0.3);
  });
  it('gives the grid of n and rho of the curves', async () => {
    const d = makeDesign({ x: { proportions: [0.5, 0.3, 0.2] } });
    const g = await designPowerGrid(d, { ns: [30, 60], rhos: [0.2, 0.4] }, { nSims: 1000, ...QUIET });
    expect(g.points.map((p) => [p.n, p.rho])).toEqual([[30, 0.2], [30, 0.4], [60, 0.2], [60, 0.4]]);
    expect(g.points[3]!.power).toBeGreaterThan(g.points[0]!.power);
  });
});

describe('solvers', () => {
  const d = makeDesign({ x: { proportions: [0.4, 0.3, 0.2, 0.1] } });
  it('finds n with power(n) >= target > power(n - 1), with SEs and the asymptotic n', async () => {
    const r = await designSampleSize(d, { rho: 0.3, nSims: 2000, ...QUIET });
    expect(r.reachable).toBe(true);
    expect(r.power).toBeGreaterThanOrEqual(0.8);
    expect(r.powerAtNMinus1!).toBeLessThan(0.8);
    expect(r.counts.reduce((a, b) => a + b, 0)).toBe(r.n);
    expect(r.powerSe).toBeCloseTo(Math.sqrt((r.power * (1 - r.power)) / 2000), 12);
    expect(r.asymptoticN).toBeGreaterThan(60);
    expect(Math.abs(r.n! - r.asymptoticN!)).toBeLessThan(20);
    expect(r.nSe).toBeGreaterThan(0);
    expect(r.steps.length).toBeLessThan(15);
  });
  it('reports an unreachable target with the best power found', async () => {
    const r = await designSampleSize(d, { rho: 0.1, nSims: 500, nRange: [20, 60], ...QUIET });
    expect(r.reachable).toBe(false);
    expect(r.n).toBeNull();
    expect(r.power).toBe(Math.max(...r.steps.map((s) => s.power)));
  });
  it('finds the minimum detectable rho with its SE', async () => {
    const r = await designMinDetectableRho(makeDesign({ x: { counts: [20, 20, 20] } }), { nSims: 2000, alternative: 'less', ...QUIET });
    expect(r.minDetectableRho).toBeLessThan(0);
    expect(r.power).toBeGreaterThanOrEqual(0.8);
    expect(Math.abs(r.minDetectableRho - r.asymptoticMinDetectableRho)).toBeLessThan(0.05);
    expect(r.minDetectableRhoSe).toBeGreaterThan(0);
  });
  it('gives the expected CI with SEs, and the n for a half-width', async () => {
    const ci = await designCi(makeDesign({ x: { counts: [15, 15, 15, 15] } }), { rho: 0.4, nReps: 40, nBoot: 200, ...QUIET });
    expect(ci.ciLower).toBeLessThan(0.4);
    expect(ci.ciUpper).toBeGreaterThan(0.4);
    expect(ci.ciLowerSe).toBeGreaterThan(0);
    expect(ci.meanWidth).toBeCloseTo(ci.ciUpper - ci.ciLower, 12);
    const w = await designCiWidth(d, { rho: 0.3, halfWidth: 0.2, nReps: 40, nBoot: 200, ...QUIET });
    expect(w.reachable).toBe(true);
    expect(w.meanHalfWidth).toBeLessThanOrEqual(0.2);
    expect(w.meanHalfWidthAtNMinus1!).toBeGreaterThan(0.2);
    expect(Math.abs(w.n! - w.asymptoticN!)).toBeLessThan(0.35 * w.asymptoticN!);
  });
});

describe('spearsim design', () => {
  const TINY = ['--n-sims', '1000', '--n-pre', '2000', '--verbose', '0'];
  it('--solve n --json prints one object with the keys scripts rely on', async () => {
    const r = await cli(['design', '--proportions', '0.4,0.3,0.2,0.1', '--y-levels', '0.1,0.2,0.4,0.2,0.1', '--rho', '0.3', '--solve', 'n', '--json', ...TINY]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of ['n', 'power', 'powerSe', 'powerAtNMinus1', 'counts', 'reachable', 'provenance']) expect(out).toHaveProperty(key);
    expect(out.counts.reduce((a: number, b: number) => a + b, 0)).toBe(out.n);
    expect(out.provenance.seed).toBe(42);
  });
  it('--solve power --json, and the console prints SEs and the asymptotic answer', async () => {
    const j = await cli(['design', '--counts', '10,20,20,10', '--rho', '0.3', '--json', ...TINY]);
    const out = JSON.parse(j.stdout);
    expect(out).toHaveProperty('power');
    expect(out).toHaveProperty('powerSe');
    const t = await cli(['design', '--counts', '10,20,20,10', '--rho', '0.3', '--n', '60,80', ...TINY]);
    expect(t.stdout).toMatch(/power_se\s+asymptotic/);
    expect(t.stdout).toMatch(/\[13, 27, 27, 13\]/);
  });
  it('reads pilot columns', async () => {
    const file = path.join(root, 'pilot.csv');
    fs.writeFileSync(file, `dose,score\n${Array.from({ length: 30 }, (_, i) => `${i % 4},${(i * 7) % 5}`).join('\n')}\n`);
    const r = await cli(['design', '--x-from', file, '--x', 'dose', '--y-from', file, '--y', 'score', '--rho', '0.3', '--json', ...TINY]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.n).toBe(30);
    expect(out.counts).toEqual([8, 8, 7, 7]);
    expect(out.method.engineGenerator).toBe('empirical');
  });
  it('fails with coded errors naming the option', async () => {
    const cases: Array<[string[], string, number]> = [
      // every bad value is bad usage: exit 2
      [['--proportions', '0.5,0.4', '--rho', '0.3'], 'proportions', 2],
      [['--counts', '5,5', '--rho', '0.3', '--solve', 'ci-width', '--half-width', '1.5'], 'halfWidth', 2],
      [['--counts', '5,5', '--rho', '0.3', '--solve', 'nope'], '--solve', 2],
      [['--counts', '5,5', '--rho', '0.3', '--n', '2'], 'n', 2],
      [['--rho', '0.3'], '--counts', 2],
      [['--counts', '5,5', '--solve', 'n', '--rho', '0.3', '--n', '40'], '--n', 2],
      [['--counts', '5,5', '--rho', '0.3', '--bogus'], null as unknown as string, 2],
    ];
    for (const [argv, option, code] of cases) {
      const r = await cli(['design', ...argv, '--json', ...TINY]);
      expect(r.code).toBe(code);
      const out = JSON.parse(r.stdout);
      if (option !== null) expect(out.error.option).toBe(option);
      expect(r.stderr).toMatch(/spearsim: error \[ERR_/);
    }
  });
});

describe('independent check of the sample size (scripts/golden/make_design_fixture.py)', () => {
  // numpy/scipy simulation of the same data model at spearsim's n and n - 1, 40 000 sims each
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'design_n.json'), 'utf8'));
  for (const g of fixture.designs) {
    it(`design ${g.name}: power at n and n - 1 agree within 4 SE; the independent powers bracket the target (3 SE)`, async () => {
      const design = makeDesign({
        x: { proportions: g.xProportions },
        ...(g.yLevels ? { y: { kind: 'ordinal' as const, proportions: g.yLevels } } : {}),
      });
      const r = await designSampleSize(design, { rho: fixture.rho, ...QUIET });
      expect(r.n).toBe(g.spearsimN);
      expect(r.counts).toEqual(g.atN.xCounts);
      if (g.yLevels) expect(r.yCounts).toEqual(g.atN.yCounts);
      expect(Math.abs(r.power - g.atN.power)).toBeLessThan(4 * Math.hypot(r.powerSe, g.atN.powerSe));
      expect(Math.abs(r.powerAtNMinus1! - g.atNMinus1.power)).toBeLessThan(4 * Math.hypot(r.powerAtNMinus1Se!, g.atNMinus1.powerSe));
      expect(g.atN.power).toBeGreaterThan(fixture.targetPower - 3 * g.atN.powerSe);
      expect(g.atNMinus1.power).toBeLessThan(fixture.targetPower + 3 * g.atNMinus1.powerSe);
    });
  }
});
