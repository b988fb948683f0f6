/**
 * The CSV tables of a study run (docs/methods.md, "Outputs"): columns, sort orders and formatting
 * (%.4f floats, True/False booleans, quoting only text with commas). Columns added later (the
 * Monte Carlo error `*_se` columns) come after the original ones, which never change. Tables are built from unit results in canonical unit order, so a filtered, sharded or
 * resumed run gives the same rows as the full run, bit for bit.
 * @module
 */
import { type TieMode, tieModes } from '../asymptotic';
import type { Config } from '../config';
import type { ScenarioInfo, WorkUnit } from './grid';
import type { AsymptoticUnitResult, CiUnitResult, PowerUnitResult, StudyTables, UnitResult } from './results';

/** How a column is written. */
export type ColumnKind = 'int' | 'float' | 'bool' | 'text';
/** A cell: null = empty. */
export type Cell = number | string | boolean | null;

/** A table: column names and kinds, rows of cells. */
export interface TableData {
  /** Column names (the CSV header). */
  columns: string[];
  /** How each column is written, by column. */
  kinds: ColumnKind[];
  /** Rows of cells, one per column. */
  rows: Cell[][];
}

/** Method label of an asymptotic power row, by tie mode (named after the mode; docs/methods.md, "Departures from the reference"). */
export const ASYMPTOTIC_METHOD: Readonly<Record<TieMode, string>> = { none: 'asymptotic_none', fhp: 'asymptotic_fhp' };
/** Column stem of an asymptotic CI, by tie mode. */
export const ASYMPTOTIC_CI_STEM: Readonly<Record<TieMode, string>> = { none: 'asym_none', fhp: 'asym_fhp' };

/**
 * Python's '%.4f': correctly rounded, exact binary ties to even. A binary value lies exactly
 * halfway between two 4-decimal numbers only if it is an odd multiple of 1/32 (5^4 must divide the
 * numerator), where JavaScript's toFixed rounds away from zero instead.
 */
export function formatFloat4(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const s = v.toFixed(4);
  const m = v * 32; // exact
  if (Number.isInteger(m) && Math.abs(m) % 2 === 1 && Math.abs(v) < 2 ** 40) {
    const last = Number(s[s.length - 1]);
    if (last % 2 === 1) return (Math.sign(v) * (Math.abs(v) - 0.00005)).toFixed(4); // the even neighbour toward zero
  }
  return s;
}

function formatCell(cell: Cell, kind: ColumnKind): string {
  if (cell === null) return '';
  if (kind === 'float' && typeof cell === 'number') return formatFloat4(cell);
  if (kind === 'bool' || typeof cell === 'boolean') return cell ? 'True' : 'False';
  return String(cell);
}

/** The cells of a table as the CSV writes them (before quoting). */
export function toCsvRows(table: TableData): string[][] {
  return table.rows.map((row) => row.map((c, j) => formatCell(c, table.kinds[j]!)));
}

/** The CSV text of a table (header row, no index column, "\n" line ends; text quoted only with commas, quotes or newlines). */
export function toCsv(table: TableData): string {
  const quote = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return `${[table.columns.join(','), ...toCsvRows(table).map((row) => row.map(quote).join(','))].join('\n')}\n`;
}

/** Stable sort by the given key functions (each returns a number or string; compared in order). */
function stableSort<T>(items: T[], keys: Array<(item: T) => number | string>): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => {
      for (const key of keys) {
        const ka = key(a.item);
        const kb = key(b.item);
        if (ka < kb) return -1;
        if (ka > kb) return 1;
      }
      return a.i - b.i;
    })
    .map(({ item }) => item);
}

const scenarioKeys: Array<(r: { info: ScenarioInfo }) => number | string> = [
  (r) => r.info.case,
  (r) => (r.info.allDistinct ? 1 : 0),
  (r) => r.info.k,
  (r) => r.info.shape,
];

function table(spec: Array<[string, ColumnKind]>, rows: Cell[][]): TableData {
  return { columns: spec.map(([c]) => c), kinds: spec.map(([, k]) => k), rows };
}

/** Results in canonical unit order, paired with their units (missing results are skipped). */
function resultsOf<K extends UnitResult['kind']>(units: readonly WorkUnit[], results: ReadonlyMap<string, UnitResult>, kind: K): Array<{ info: ScenarioInfo; r: Extract<UnitResult, { kind: K }> }> {
  const out: Array<{ info: ScenarioInfo; r: Extract<UnitResult, { kind: K }> }> = [];
  for (const u of units) {
    const r = results.get(u.id);
    if (u.kind === kind && r?.kind === kind) out.push({ info: u.info, r: r as Extract<UnitResult, { kind: K }> });
  }
  return out;
}

/**
 * min_detectable_rho.csv: Monte Carlo rows per generator, then asymptotic rows, sorted by scenario
 * and method. The Monte Carlo error columns come last (empty on the closed-form rows).
 */
export function minDetectableRhoTable(units: readonly WorkUnit[], results: ReadonlyMap<string, UnitResult>): TableData {
  type Row = { info: ScenarioInfo; direction: string; method: string; value: number; mc: Cell[] };
  const rows: Row[] = resultsOf(units, results, 'power').map(({ info, r }: { info: ScenarioInfo; r: PowerUnitResult }) => ({
    info, direction: r.direction, method: r.generator, value: r.minDetectableRho, mc: [r.minDetectableRhoSe ?? null, r.power ?? null, r.powerSe ?? null],
  }));
  for (const { info, r } of resultsOf(units, results, 'asymptotic')) {
    for (const p of r.power) rows.push({ info, direction: p.direction, method: ASYMPTOTIC_METHOD[p.mode], value: p.minDetectableRho, mc: [null, null, null] });
  }
  const sorted = stableSort(rows, [...scenarioKeys, (r) => r.method]);
  return table(
    [
      ['case', 'int'], ['case_label', 'text'], ['n', 'int'], ['n_distinct', 'int'], ['dist_type', 'text'], ['direction', 'text'], ['method', 'text'], ['min_detectable_rho', 'float'], ['all_distinct', 'bool'],
      ['min_detectable_rho_se', 'float'], ['power', 'float'], ['power_se', 'float'],
    ],
    sorted.map((r) => [r.info.case, r.info.caseLabel, r.info.n, r.info.k, r.info.shape, r.direction, r.method, r.value, r.info.allDistinct, ...r.mc]),
  );
}

/** Asymptotic CI columns of the configured tie modes. */
function asymCiColumns(modes: readonly TieMode[]): Array<[string, ColumnKind]> {
  return modes.flatMap((m): Array<[string, ColumnKind]> => [[`${ASYMPTOTIC_CI_STEM[m]}_ci_lower`, 'float'], [`${ASYMPTOTIC_CI_STEM[m]}_ci_upper`, 'float']]);
}

function asymCiCells(a: AsymptoticUnitResult | undefined, modes: readonly TieMode[]): Cell[] {
  return modes.flatMap((m) => {
    const ci = a?.ci.find((c) => c.mode === m);
    return ci ? [ci.ciLower, ci.ciUpper] : [null, null];
  });
}

function asymptoticByScenario(units: readonly WorkUnit[], results: ReadonlyMap<string, UnitResult>): Map<string, AsymptoticUnitResult> {
  return new Map(resultsOf(units, results, 'asymptotic').map(({ info, r }) => [info.id, r]));
}

/** confidence_intervals.csv: one row per scenario and CI generator, asymptotic CIs alongside. */
export function confidenceIntervalTable(units: readonly WorkUnit[], results: ReadonlyMap<string, UnitResult>, modes: readonly TieMode[]): TableData {
  const asym = asymptoticByScenario(units, results);
  const rows = stableSort(resultsOf(units, results, 'ci'), scenarioKeys);
  return table(
    [
      ['case', 'int'], ['n', 'int'], ['n_distinct', 'int'], ['dist_type', 'text'], ['observed_rho', 'float'], ['all_distinct', 'bool'], ['generator', 'text'],
      ['boot_ci_lower', 'float'], ['boot_ci_upper', 'float'], ['boot_ci_lower_sd', 'float'], ['boot_ci_upper_sd', 'float'], ['boot_mean_rho_hat', 'float'],
      ...asymCiColumns(modes), ['case_label', 'text'],
      ['boot_ci_lower_se', 'float'], ['boot_ci_upper_se', 'float'], ['boot_mean_rho_hat_se', 'float'],
    ],
    rows.map(({ info, r }: { info: ScenarioInfo; r: CiUnitResult }) => [
      info.case, info.n, info.k, info.shape, info.observedRho, info.allDistinct, r.generator,
      r.ciLower, r.ciUpper, r.ciLowerSd, r.ciUpperSd, r.meanRhoHat,
      ...asymCiCells(asym.get(info.id), modes), info.caseLabel,
      r.ciLowerSe ?? null, r.ciUpperSe ?? null, r.meanRhoHatSe ?? null,
    ]),
  );
}

/**
 * all_distinct_summary.csv: the power pivot of the all-distinct rows
 * by (case, n, direction), one md_rho_<method> column per method (lexicographic), outer-joined on
 * (case, n) with the all-distinct CI rows of every generator (a `generator` column instead of
 * keeping the first), then observed_rho and case_label, then the Monte Carlo SEs
 * (md_rho_<method>_se of the simulated methods, boot_ci_*_se); sorted by case.
 */
export function allDistinctSummaryTable(mdr: TableData, units: readonly WorkUnit[], results: ReadonlyMap<string, UnitResult>, modes: readonly TieMode[]): TableData {
  const col = (name: string): number => mdr.columns.indexOf(name);
  const baseline = mdr.rows.filter((r) => r[col('all_distinct')] === true);
  const methods = [...new Set(baseline.map((r) => String(r[col('method')])))].sort();
  const monteCarlo = methods.filter((m) => !Object.values(ASYMPTOTIC_METHOD).includes(m));
  type Pivot = { case: number; n: number; direction: string; label: string; md: Map<string, number>; mdSe: Map<string, Cell> };
  const pivots: Pivot[] = [];
  for (const r of baseline) {
    const key = { case: r[col('case')] as number, n: r[col('n')] as number, direction: String(r[col('direction')]) };
    let p = pivots.find((q) => q.case === key.case && q.n === key.n && q.direction === key.direction);
    if (!p) pivots.push((p = { ...key, label: String(r[col('case_label')]), md: new Map(), mdSe: new Map() }));
    p.md.set(String(r[col('method')]), r[col('min_detectable_rho')] as number);
    p.mdSe.set(String(r[col('method')]), r[col('min_detectable_rho_se')] ?? null);
  }
  const asym = asymptoticByScenario(units, results);
  const cis = resultsOf(units, results, 'ci').filter(({ info }) => info.allDistinct);
  const spec: Array<[string, ColumnKind]> = [
    ['case', 'int'], ['n', 'int'], ['direction', 'text'], ...methods.map((m): [string, ColumnKind] => [`md_rho_${m}`, 'float']), ['generator', 'text'],
    ['boot_ci_lower', 'float'], ['boot_ci_upper', 'float'], ['boot_ci_lower_sd', 'float'], ['boot_ci_upper_sd', 'float'], ...asymCiColumns(modes),
    ['observed_rho', 'float'], ['case_label', 'text'],
    ...monteCarlo.map((m): [string, ColumnKind] => [`md_rho_${m}_se`, 'float']), ['boot_ci_lower_se', 'float'], ['boot_ci_upper_se', 'float'],
  ];
  type Joined = { case: number; cells: Cell[] };
  const ciSeCells = (c: { r: CiUnitResult } | undefined): Cell[] => [c?.r.ciLowerSe ?? null, c?.r.ciUpperSe ?? null];
  const joined: Joined[] = [];
  const ciCells = (c: { info: ScenarioInfo; r: CiUnitResult } | undefined, info: ScenarioInfo | undefined): Cell[] => [
    c ? c.r.generator : null, c?.r.ciLower ?? null, c?.r.ciUpper ?? null, c?.r.ciLowerSd ?? null, c?.r.ciUpperSd ?? null,
    ...asymCiCells(info && asym.get(info.id), modes),
  ];
  const used = new Set<number>();
  for (const p of pivots) {
    const matches = cis.filter(({ info }) => info.case === p.case && info.n === p.n);
    const mdCells = methods.map((m) => p.md.get(m) ?? null);
    const mdSeCells = monteCarlo.map((m) => p.mdSe.get(m) ?? null);
    const observed = matches[0]?.info.observedRho ?? null;
    if (matches.length === 0) {
      joined.push({ case: p.case, cells: [p.case, p.n, p.direction, ...mdCells, ...ciCells(undefined, undefined), observed, p.label, ...mdSeCells, ...ciSeCells(undefined)] });
    }
    for (const c of matches) {
      used.add(cis.indexOf(c));
      joined.push({ case: p.case, cells: [p.case, p.n, p.direction, ...mdCells, ...ciCells(c, c.info), c.info.observedRho, p.label, ...mdSeCells, ...ciSeCells(c)] });
    }
  }
  cis.forEach((c, i) => {
    if (used.has(i)) return;
    joined.push({
      case: c.info.case,
      cells: [c.info.case, c.info.n, null, ...methods.map(() => null), ...ciCells(c, c.info), c.info.observedRho, c.info.caseLabel, ...monteCarlo.map(() => null), ...ciSeCells(c)],
    });
  });
  return table(spec, stableSort(joined, [(j) => j.case]).map((j) => j.cells));
}

/** The three tables of a run (asymptotic CI columns only when the asymptotic stage ran). */
export function buildTables(units: readonly WorkUnit[], results: ReadonlyMap<string, UnitResult>, config: Pick<Config, 'tieCorrection' | 'stages'>): StudyTables {
  const modes = config.stages.includes('asymptotic') ? tieModes(config.tieCorrection) : [];
  const minDetectableRho = minDetectableRhoTable(units, results);
  return {
    minDetectableRho,
    confidenceIntervals: confidenceIntervalTable(units, results, modes),
    allDistinctSummary: allDistinctSummaryTable(minDetectableRho, units, results, modes),
  };
}
