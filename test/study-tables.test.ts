// Tables of a study run (docs/methods.md, "Outputs"): columns, sort orders, formatting; presets and plan sizes.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../lib/config';
import { PRESETS, resolveStudyConfig } from '../lib/study';
import { studyGrid, studyUnits } from '../lib/study/grid';
import { planStudy, precisionOf, sizesForHalfWidth } from '../lib/study/plan';
import { withPreset } from '../lib/study/presets';
import type { UnitResult } from '../lib/study/results';
import { buildTables, formatFloat4, toCsv } from '../lib/study/tables';

/** Synthetic results for every unit (values encode the unit so rows can be traced). */
function synthetic(options: object) {
  const config = resolveConfig({ verbose: 0, ...options });
  const units = studyUnits(config, studyGrid(config));
  const results = new Map<string, UnitResult>();
  units.forEach((u, i) => {
    const base = { id: u.id, scenarioId: u.info.id, seconds: 0 };
    if (u.kind === 'power') results.set(u.id, { ...base, kind: 'power', generator: u.generator!, direction: u.direction!, minDetectableRho: (u.direction === 'negative' ? -1 : 1) * (0.3 + i / 1e5), minDetectableRhoSe: 0.0061, power: 0.8001, powerSe: 0.004, nSims: 10, boundaryWarning: false });
    else if (u.kind === 'ci') results.set(u.id, { ...base, kind: 'ci', generator: u.generator!, rho: u.info.observedRho, ciLower: -0.3, ciUpper: 0.1, ciLowerSd: 0.1, ciUpperSd: 0.11, meanRhoHat: -0.12, ciLowerSe: 0.0101, ciUpperSe: 0.0102, meanRhoHatSe: 0.0091, nReps: 4, nBoot: 40, rhoIn: -0.14, dropped: 0 });
    else results.set(u.id, { ...base, kind: 'asymptotic', power: u.info.directions.flatMap((direction) => [{ direction, mode: 'none' as const, minDetectableRho: 0.31 }, { direction, mode: 'fhp' as const, minDetectableRho: 0.32 }]).filter((p) => config.tieCorrection === 'both' || p.mode === config.tieCorrection), ci: [{ mode: 'none' as const, ciLower: -0.35, ciUpper: 0.1 }, { mode: 'fhp' as const, ciLower: -0.36, ciUpper: 0.11 }].filter((c) => config.tieCorrection === 'both' || c.mode === config.tieCorrection) });
  });
  return { units, results, config };
}

describe('tables', () => {
  it('min_detectable_rho.csv: docs/methods.md, "Outputs" columns and stable sort (case, all_distinct, n_distinct, dist_type, method)', () => {
    const { units, results, config } = synthetic({ generators: ['nonparametric', 'copula', 'linear'], directionMode: 'both', tieCorrection: 'both' });
    const t = buildTables(units, results, config).minDetectableRho;
    expect(t.columns).toEqual([
      'case', 'case_label', 'n', 'n_distinct', 'dist_type', 'direction', 'method', 'min_detectable_rho', 'all_distinct', 'min_detectable_rho_se', 'power', 'power_se',
    ]);
    expect(t.rows).toHaveLength(88 * 2 * 5);
    const first = t.rows.slice(0, 10).map((r) => `${r[3]} ${r[4]} ${r[6]} ${r[5]}`);
    expect(first).toEqual([
      '4 even asymptotic_fhp positive', '4 even asymptotic_fhp negative', '4 even asymptotic_none positive', '4 even asymptotic_none negative',
      '4 even copula positive', '4 even copula negative', '4 even linear positive', '4 even linear negative', '4 even nonparametric positive', '4 even nonparametric negative',
    ]);
    // dist_type lexicographic within k: even, heavy_center, heavy_tail; all-distinct rows last per case (n_distinct = n)
    const case1 = t.rows.filter((r) => r[0] === 1);
    expect([...new Set(case1.filter((r) => r[3] === 4).map((r) => r[4]))]).toEqual(['even', 'heavy_center', 'heavy_tail']);
    expect(case1.at(-1)!.slice(3, 5)).toEqual([80, 'all_distinct']);
    expect(case1.at(-1)![8]).toBe(true);
    const csv = toCsv(t).split('\n');
    // Monte Carlo error columns last, empty on the closed-form rows
    expect(csv[1]).toBe('1,"B-Al, no outliers excluded",80,4,even,positive,asymptotic_fhp,0.3200,False,,,');
    expect(csv[5]).toMatch(/^1,"B-Al, no outliers excluded",80,4,even,positive,copula,0\.3\d{3},False,0\.0061,0\.8001,0\.0040$/);
  });

  it('confidence_intervals.csv: asymptotic columns per tie mode, case_label last, generators in run order', () => {
    const { units, results, config } = synthetic({ generators: ['nonparametric', 'copula', 'linear'], tieCorrection: 'both' });
    const t = buildTables(units, results, config).confidenceIntervals;
    expect(t.columns).toEqual([
      'case', 'n', 'n_distinct', 'dist_type', 'observed_rho', 'all_distinct', 'generator', 'boot_ci_lower', 'boot_ci_upper', 'boot_ci_lower_sd',
      'boot_ci_upper_sd', 'boot_mean_rho_hat', 'asym_none_ci_lower', 'asym_none_ci_upper', 'asym_fhp_ci_lower', 'asym_fhp_ci_upper', 'case_label',
      'boot_ci_lower_se', 'boot_ci_upper_se', 'boot_mean_rho_hat_se',
    ]);
    expect(t.rows).toHaveLength(88 * 2); // linear has no CI stage
    expect(t.rows.slice(0, 4).map((r) => `${r[2]} ${r[3]} ${r[6]}`)).toEqual(['4 even nonparametric', '4 even copula', '4 heavy_center nonparametric', '4 heavy_center copula']);
    expect(toCsv(t).split('\n')[1]).toBe('1,80,4,even,-0.1300,False,nonparametric,-0.3000,0.1000,0.1000,0.1100,-0.1200,-0.3500,0.1000,-0.3600,0.1100,"B-Al, no outliers excluded",0.0101,0.0102,0.0091');
  });

  it('all_distinct_summary.csv: one row per case, direction and generator (docs/methods.md, "Departures from the reference")', () => {
    const { units, results, config } = synthetic({ generators: ['nonparametric', 'copula'] });
    const t = buildTables(units, results, config).allDistinctSummary;
    expect(t.columns).toEqual([
      'case', 'n', 'direction', 'md_rho_asymptotic_none', 'md_rho_copula', 'md_rho_nonparametric', 'generator', 'boot_ci_lower', 'boot_ci_upper',
      'boot_ci_lower_sd', 'boot_ci_upper_sd', 'asym_none_ci_lower', 'asym_none_ci_upper', 'observed_rho', 'case_label',
      'md_rho_copula_se', 'md_rho_nonparametric_se', 'boot_ci_lower_se', 'boot_ci_upper_se',
    ]);
    expect(t.rows[0]!.slice(-4)).toEqual([0.0061, 0.0061, 0.0101, 0.0102]);
    expect(t.rows.map((r) => `${r[0]} ${r[2]} ${r[6]}`)).toEqual([
      '1 negative nonparametric', '1 negative copula', '2 positive nonparametric', '2 positive copula',
      '3 negative nonparametric', '3 negative copula', '4 positive nonparametric', '4 positive copula',
    ]);
    const empty = buildTables([], new Map(), config).allDistinctSummary;
    expect(empty.rows).toEqual([]);
  });

  it("formats floats like Python's %.4f (exact binary ties to even), booleans True/False", () => {
    expect(formatFloat4(-0.13)).toBe('-0.1300');
    expect(formatFloat4(0.03125)).toBe('0.0312');
    expect(formatFloat4(0.09375)).toBe('0.0938');
    expect(formatFloat4(-0.03125)).toBe('-0.0312');
    expect(formatFloat4(0.30000000000000004)).toBe('0.3000');
    expect(formatFloat4(0.123456)).toBe('0.1235');
    expect(formatFloat4(Number.NaN)).toBe('nan');
    expect(toCsv({ columns: ['a', 'b', 'c'], kinds: ['bool', 'text', 'int'], rows: [[true, 'x, y', 3], [false, null, 4]] })).toBe('a,b,c\nTrue,"x, y",3\nFalse,,4\n');
  });
});

describe('presets', () => {
  it('resolve to the documented sizes (docs/methods.md, "Precision and run time" tiers; standard = reference defaults)', () => {
    expect(resolveStudyConfig({ preset: 'tier-0.01' })).toMatchObject({ nSims: 2220, nCal: 1000, nReps: 1300, nBoot: 500, nPre: 50000 });
    expect(resolveStudyConfig({ preset: 'tier-0.002' })).toMatchObject({ nSims: 55520, nCal: 24100, nReps: 32500, nBoot: 500, nPre: 200000 });
    expect(resolveStudyConfig({ preset: 'tier-0.001' })).toMatchObject({ nSims: 222050, nCal: 96400, nReps: 129700, nBoot: 500, nPre: 500000 });
    expect(resolveStudyConfig({ preset: 'standard' })).toMatchObject({ nSims: 10000, nCal: 300, nReps: 200, nBoot: 1000, nPre: 50000 });
    const defaults = resolveStudyConfig({});
    expect(PRESETS.standard.sizes).toEqual({ nSims: defaults.nSims, nCal: defaults.nCal, nReps: defaults.nReps, nBoot: defaults.nBoot, nPre: defaults.nPre });
    expect(resolveStudyConfig({ preset: 'quick' })).toMatchObject({ nSims: 500, nReps: 20, nBoot: 500 });
  });

  it('explicit options and the environment win over the preset', () => {
    expect(resolveStudyConfig({ preset: 'tier-0.01', nSims: 123 })).toMatchObject({ nSims: 123, nCal: 1000 });
    expect(withPreset({ preset: 'quick' }, { nSims: 7 })).toEqual({ preset: 'quick', nCal: 300, nReps: 20, nBoot: 500, nPre: 50000 });
    // names of Object.prototype's members are not presets (found by the stress-tier CLI fuzz)
    for (const preset of ['__proto__', 'constructor', 'toString']) {
      expect(withPreset({ preset })).toEqual({ preset });
      expect(() => resolveStudyConfig({ preset })).toThrow(/preset must be one of/);
    }
    expect(() => resolveStudyConfig({ preset: 'tier-0.005' })).toThrow(/preset must be one of quick, standard, tier-0.01/);
  });

  it('plan sizes: the named tiers are the configured tables; other targets follow the balanced formula', () => {
    expect(sizesForHalfWidth(0.002)).toEqual(PRESETS['tier-0.002'].sizes);
    const s = sizesForHalfWidth(0.005);
    expect(s).toEqual({ nSims: 8890, nCal: 3900, nReps: 5200, nBoot: 500, nPre: 50000 });
    const p = precisionOf(s);
    expect(p.minDetectableRho).toBeLessThanOrEqual(0.005);
    expect(p.ciEndpoint).toBeLessThanOrEqual(0.0051);
    expect(precisionOf(PRESETS.standard.sizes).minDetectableRho).toBeGreaterThan(0.01); // n_cal 300 alone breaks +-0.01 (docs/methods.md, "Precision and run time")
    expect(() => sizesForHalfWidth(0)).toThrow(/tier must be/);
  });
});

describe('planStudy', () => {
  it('gives the sizes of a tier, its precision, the work of the grid and ETAs from measured unit costs', async () => {
    const plan = await planStudy({ tier: 0.002, cases: [1], kValues: [4], shapes: ['even'], generators: ['nonparametric'], verbose: 0 });
    expect(plan.target.sizes).toEqual(PRESETS['tier-0.002'].sizes);
    expect(plan.work).toEqual({ scenarios: 2, searches: 2, cis: 2, calibrations: 2, nulls: 2 });
    for (const k of ['perSearchSim', 'perCalibrationDataset', 'perResample', 'perNullPermutation'] as const) {
      expect(plan.costs.wall[k]).toBeGreaterThan(0);
      expect(plan.costs.cpu[k]).toBeGreaterThan(0);
    }
    const e = plan.target.eta;
    expect(e.total).toBeCloseTo(e.power + e.calibration + e.nullBuild + e.ci, 10);
    expect(plan.presets.map((p) => p.name)).toEqual(['quick', 'standard', 'tier-0.01', 'tier-0.002', 'tier-0.001']);
    // more precision costs more time
    const eta = plan.presets.map((p) => p.etaIdle.total);
    expect(eta[4]!).toBeGreaterThan(eta[3]!);
    expect(eta[3]!).toBeGreaterThan(eta[2]!);
  });
});
