/**
 * Curves and the HTML report of a design answer (`spearsim design ... --curve-csv FILE
 * --plot-dir DIR --report FILE.html`): power over a grid of n at the answer's rho and over a grid
 * of rho at its n, each point simulated with its Monte Carlo SE and the closed form beside it;
 * as CSV, as SVG plots (power vs n with the target line and the answer marked, power vs rho),
 * and in a self-contained report with the inputs, the answer and the provenance.
 * docs/methods.md, "Planning your own study".
 * @module
 */
import * as path from 'node:path';
import type { CallControls, Config } from '../config';
import { type DesignPowerGrid, type DesignResult, designPowerGrid, smallestDesignN } from '../design';
import { writeFileAtomic } from '../internal/files';
import { curveSvg } from '../plot';
import { type TableData, toCsv, toCsvRows } from '../study/tables';
import { withSe } from '../study/summary';
import { type ReportSection, htmlFacts, htmlFigure, htmlPage, htmlParagraph, htmlTable, provenanceSection, writeReport } from './html';

/** Points of the power-vs-n curve. */
const N_POINTS = 11;
/** Points of the power-vs-rho curve (from 0). */
const RHO_POINTS = 13;

/** The n and rho an answer is about. */
export interface CurveAnchor {
  /** Sample size of the answer. */
  n: number;
  /** True rho of the answer. */
  rho: number;
}

/** Grids of the two curves. */
export interface CurveGrids {
  /** Sample sizes of the power-vs-n curve, ascending. */
  ns: number[];
  /** True rhos of the power-vs-rho curve, from 0. */
  rhos: number[];
}

/** The two curves as SVG documents. */
export interface CurvePlots {
  /** Power vs n. */
  byN: string;
  /** Power vs rho. */
  byRho: string;
}

/** Power around a design answer: over n at its rho, and over rho at its n. */
export interface DesignCurves {
  /** The answer's n and rho, where the two curves cross. */
  anchor: CurveAnchor;
  /** Power at the anchor's rho over a grid of n. */
  byN: DesignPowerGrid;
  /** Power at the anchor's n over a grid of rho (0 to beyond the anchor's rho, in its direction). */
  byRho: DesignPowerGrid;
}

/** The n and rho an answer is about (for an unreachable n search, the best n tried). */
export function curveAnchor(result: DesignResult): CurveAnchor {
  switch (result.question) {
    case 'power':
      return { n: result.n, rho: result.rho };
    case 'mdr':
      return { n: result.n, rho: result.minDetectableRho };
    case 'n': {
      const best = result.steps.reduce((a, b) => (b.power > a.power ? b : a), result.steps[0]!);
      return { n: result.n ?? best.n, rho: result.rho };
    }
    case 'ci':
      return { n: result.n, rho: result.rho };
    case 'ci-width':
      return { n: result.n ?? result.steps.at(-1)!.n, rho: result.rho };
  }
}

/** Grids of the two curves: n from about a third to twice the anchor's (within the design's range), rho from 0 to 1.6 times the anchor's. */
export function curveGrids(result: DesignResult, anchor: CurveAnchor): CurveGrids {
  const lo = Math.max(smallestDesignN(result.design), result.design.nRange[0], Math.round(anchor.n / 3), 3);
  const hi = Math.max(lo + 2, Math.min(result.design.nRange[1], 2 * anchor.n));
  const ns = new Set<number>([anchor.n]);
  if (result.question === 'n' && anchor.n - 1 >= lo) ns.add(anchor.n - 1);
  for (let i = 0; i < N_POINTS; i++) ns.add(Math.round(lo + ((hi - lo) * i) / (N_POINTS - 1)));
  const sign = anchor.rho < 0 ? -1 : 1;
  const top = Math.min(0.95, Math.max(0.2, 1.6 * Math.abs(anchor.rho)));
  const rhos = Array.from({ length: RHO_POINTS }, (_, i) => Number((sign * ((top * i) / (RHO_POINTS - 1))).toFixed(4)));
  return { ns: [...ns].sort((a, b) => a - b), rhos };
}

/** Simulates the two curves of an answer with the answer's options (seed, sizes, generator, ...). */
export async function designCurves(result: DesignResult, options: Partial<Config> & CallControls = {}): Promise<DesignCurves> {
  const anchor = curveAnchor(result);
  const { ns, rhos } = curveGrids(result, anchor);
  const byN = await designPowerGrid(result.design, { ns, rhos: [anchor.rho] }, options);
  const byRho = await designPowerGrid(result.design, { ns: [anchor.n], rhos }, options);
  return { anchor, byN, byRho };
}

/** The curves as one table: which curve, n, rho, the margins used, power with its SE, closed-form power. */
export function curvesTable(curves: DesignCurves): TableData {
  const rows = (['n', 'rho'] as const).flatMap((curve) =>
    (curve === 'n' ? curves.byN : curves.byRho).points.map((p) => [
      curve, p.n, p.rho, p.counts.join(' '), p.yCounts ? p.yCounts.join(' ') : null, p.power, p.powerSe, p.asymptoticPower,
    ]),
  );
  return {
    columns: ['curve', 'n', 'rho', 'x_counts', 'y_counts', 'power', 'power_se', 'asymptotic_power'],
    kinds: ['text', 'int', 'float', 'text', 'text', 'float', 'float', 'float'],
    rows,
  };
}

function answerMarker(result: DesignResult, anchor: CurveAnchor): { n: string; rho: string } {
  const n = result.question === 'n' || result.question === 'ci-width' ? `answer n = ${anchor.n}` : `n = ${anchor.n}`;
  const rho = result.question === 'mdr' ? `min detectable rho = ${anchor.rho.toFixed(4)}` : `rho = ${anchor.rho}`;
  return { n, rho };
}

/** SVG plots of the curves: power vs n (target line, the answer marked) and power vs rho, each with its 95 % Monte Carlo band and the closed form dashed. */
export function curvePlots(result: DesignResult, curves: DesignCurves): CurvePlots {
  const target = 'targetPower' in result ? result.targetPower : Number(result.provenance.config.targetPower);
  const marker = answerMarker(result, curves.anchor);
  const label = `simulated (${result.method.generator}, ${result.method.nSims} sims), 95 % band`;
  const byN = curveSvg({
    points: curves.byN.points.map((p) => ({ x: p.n, power: p.power, se: p.powerSe })),
    reference: { label: 'asymptotic', points: curves.byN.points.map((p) => ({ x: p.n, power: p.asymptoticPower })) },
    targetPower: target,
    marker: { x: curves.anchor.n, label: marker.n },
    band: true,
    title: `Power at rho = ${curves.anchor.rho.toFixed(4)} by sample size`,
    label,
    xLabel: 'sample size n',
  });
  const byRho = curveSvg({
    points: curves.byRho.points.map((p) => ({ x: p.rho, power: p.power, se: p.powerSe })),
    reference: { label: 'asymptotic', points: curves.byRho.points.map((p) => ({ x: p.rho, power: p.asymptoticPower })) },
    targetPower: target,
    marker: { x: curves.anchor.rho, label: marker.rho },
    band: true,
    title: `Power at n = ${curves.anchor.n} by true rho`,
    label,
    xLabel: 'true Spearman rho',
  });
  return { byN, byRho };
}

const f4 = (v: number): string => v.toFixed(4);

/** The answer as label/value pairs, every Monte Carlo number with its SE, the closed form beside it. */
function answerFacts(r: DesignResult): Array<[string, string]> {
  switch (r.question) {
    case 'power':
      return [['n', String(r.n)], ['rho', String(r.rho)], ['x counts', r.counts.join(', ')], ['power', withSe(r.power, r.powerSe)], ['asymptotic power', f4(r.asymptoticPower)]];
    case 'mdr':
      return [
        ['n', String(r.n)], ['x counts', r.counts.join(', ')], ['target power', String(r.targetPower)],
        ['minimum detectable rho', withSe(r.minDetectableRho, r.minDetectableRhoSe)], ['power there', withSe(r.power, r.powerSe)],
        ['asymptotic minimum detectable rho', f4(r.asymptoticMinDetectableRho)],
      ];
    case 'n':
      return [
        ['rho', String(r.rho)], ['target power', String(r.targetPower)], ['reachable', r.reachable ? 'yes' : `no (best power ${withSe(r.power, r.powerSe)})`],
        ['smallest n', r.n === null ? 'not within the search range' : `${r.n}${r.nSe !== null ? ` (Monte Carlo SE about ${r.nSe.toFixed(1)})` : ''}`],
        ['x counts at n', r.counts.join(', ')], ...(r.yCounts ? [['y counts at n', r.yCounts.join(', ')] as [string, string]] : []),
        ['power at n', withSe(r.power, r.powerSe)],
        ['power at n - 1', r.powerAtNMinus1 === null ? 'not evaluated' : withSe(r.powerAtNMinus1, r.powerAtNMinus1Se)],
        ['asymptotic n', r.asymptoticN === null ? 'beyond the search range' : String(r.asymptoticN)],
      ];
    case 'ci':
      return [
        ['n', String(r.n)], ['rho', String(r.rho)], ['x counts', r.counts.join(', ')],
        ['expected CI', `[${withSe(r.ciLower, r.ciLowerSe)}, ${withSe(r.ciUpper, r.ciUpperSe)}]`], ['mean width', withSe(r.meanWidth, r.meanWidthSe)],
        ['asymptotic CI (Fisher z)', `[${f4(r.asymptoticCi[0])}, ${f4(r.asymptoticCi[1])}]`], ['reps x resamples', `${r.nReps} x ${r.nBoot}`],
      ];
    case 'ci-width':
      return [
        ['rho', String(r.rho)], ['half-width wanted', String(r.halfWidth)], ['reachable', r.reachable ? 'yes' : 'no'],
        ['smallest n', r.n === null ? 'not within the search range' : String(r.n)], ['x counts at n', r.counts.join(', ')],
        ['half-width at n', withSe(r.meanHalfWidth, r.meanHalfWidthSe)],
        ['half-width at n - 1', r.meanHalfWidthAtNMinus1 === null ? 'not evaluated' : withSe(r.meanHalfWidthAtNMinus1, r.meanHalfWidthAtNMinus1Se)],
        ['asymptotic n (Fisher z)', r.asymptoticN === null ? 'beyond the search range' : String(r.asymptoticN)],
      ];
  }
}

/** The search's evaluations as a table (n and ci-width: by n; mdr: by rho). */
function stepsTable(r: DesignResult): string {
  if (r.question === 'n') return htmlTable(['n', 'power'], r.steps.map((s) => [String(s.n), withSe(s.power, s.powerSe)]), 'Evaluations of the search over n');
  if (r.question === 'ci-width') return htmlTable(['n', 'mean half-width'], r.steps.map((s) => [String(s.n), withSe(s.meanHalfWidth, s.meanHalfWidthSe)]), 'Evaluations of the search over n');
  if (r.question === 'mdr') return htmlTable(['rho', 'power'], r.steps.map((s) => [f4(s.rho), withSe(s.power, s.powerSe)]), 'Evaluations of the search over rho');
  return '';
}

/** The report document of a design answer and its curves. */
export function designReportHtml(result: DesignResult, curves: DesignCurves): string {
  const d = result.design;
  const m = result.method;
  const y = d.yKind === 'ordinal' ? `ordinal, level proportions ${d.yProportions!.map((p) => p.toFixed(4)).join(', ')}` : d.yKind === 'pilot' ? `pilot pool of ${d.yPool!.length} values${d.sources.y ? ` (${d.sources.y})` : ''}` : 'continuous (no ties)';
  const sections: ReportSection[] = [
    {
      title: 'Inputs',
      html: htmlFacts([
        ['design', d.description],
        ['x', `given as ${d.xSource}; proportions ${d.xProportions.map((p) => p.toFixed(4)).join(', ')}${d.sources.x ? ` (${d.sources.x})` : ''}`],
        ['y', y],
        ['question', result.question],
        ['generator', m.engineGenerator === m.generator ? m.generator : `${m.generator} (runs as ${m.engineGenerator} with a y pool)`],
        ['test', `${m.alternative}, alpha ${m.alpha}, null with ${m.nullKind} (${m.nPre} permutations)`],
        ['simulated datasets per power', String(m.nSims)],
      ]),
    },
    { title: 'Answer', html: htmlParagraph('Monte Carlo numbers carry their standard error (±); the closed-form (asymptotic) answer is beside them.') + htmlFacts(answerFacts(result)) + stepsTable(result) },
  ];
  const plots = curvePlots(result, curves);
  const table = curvesTable(curves);
  sections.push({
    title: 'Power curves',
    html:
      htmlFigure(plots.byN, `Power by n at rho = ${curves.anchor.rho.toFixed(4)}: simulated with its 95 % Monte Carlo band (± 1.96 SE), asymptotic dashed, target power and the answer marked.`) +
      htmlFigure(plots.byRho, `Power by true rho at n = ${curves.anchor.n}, as above.`) +
      `<details><summary>Curve data</summary>${htmlTable(table.columns, toCsvRows(table))}</details>`,
  });
  sections.push(provenanceSection(result.provenance));
  return htmlPage('spearsim design report', `${d.description}; spearsim ${result.provenance.version}, seed ${result.provenance.seed}, ${result.provenance.engine} engine`, sections);
}

/** Where {@link writeDesignOutputs} writes. */
export interface DesignOutputTargets {
  /** The curves as CSV. */
  curveCsv?: string;
  /** Directory for power_vs_n.svg and power_vs_rho.svg. */
  plotDir?: string;
  /** The HTML report. */
  report?: string;
}

/** File names of the plots in a plot directory. */
export const CURVE_PLOT_FILES: Readonly<Record<keyof CurvePlots, string>> = { byN: 'power_vs_n.svg', byRho: 'power_vs_rho.svg' };

/** Writes the requested outputs, each atomically; returns their absolute paths. */
export function writeDesignOutputs(result: DesignResult, curves: DesignCurves, targets: DesignOutputTargets): string[] {
  const files: string[] = [];
  if (targets.curveCsv !== undefined) {
    const file = path.resolve(targets.curveCsv);
    writeFileAtomic(file, toCsv(curvesTable(curves)));
    files.push(file);
  }
  if (targets.plotDir !== undefined) {
    const plots = curvePlots(result, curves);
    for (const key of ['byN', 'byRho'] as const) {
      const file = path.resolve(targets.plotDir, CURVE_PLOT_FILES[key]);
      writeFileAtomic(file, plots[key]);
      files.push(file);
    }
  }
  if (targets.report !== undefined) files.push(writeReport(targets.report, designReportHtml(result, curves)));
  return files;
}
