/**
 * The HTML report of a study run (`spearsim run --report r.html`): the inputs, the answers with
 * their Monte Carlo error, simulated against asymptotic, the CI forest plot, the all-distinct
 * summary, and the provenance.
 * @module
 */
import { type ForestRow, ciForestSvg, forestRowsFromResult } from '../plot';
import { shortLabel } from '../study/grid';
import type { StudyResult } from '../study/results';
import { studySummaryCaption, studySummaryRows } from '../study/summary';
import { ASYMPTOTIC_METHOD, toCsvRows } from '../study/tables';
import { type ReportSection, htmlFacts, htmlFigure, htmlList, htmlPage, htmlParagraph, htmlTable, provenanceSection } from './html';

/** 95 % normal quantile for the Monte Carlo intervals drawn. */
const Z95 = 1.959964;

/** Minimum detectable rho per scenario and method as forest rows: simulated +- 1.96 SE, asymptotic as a point. */
export function minDetectableRhoRows(result: Pick<StudyResult, 'units' | 'scenarios'>): ForestRow[] {
  const infos = new Map(result.scenarios.map((s) => [s.id, s]));
  const rows: ForestRow[] = [];
  for (const s of result.scenarios) {
    for (const u of result.units) {
      if (u.scenarioId !== s.id) continue;
      const base = { group: `Case ${s.case} (${s.caseLabel}), N=${s.n}`, label: shortLabel(infos.get(u.scenarioId)!) };
      if (u.kind === 'power') {
        const half = u.minDetectableRhoSe === null || u.minDetectableRhoSe === undefined ? 0 : Z95 * u.minDetectableRhoSe;
        rows.push({ ...base, method: u.generator, lower: u.minDetectableRho - half, upper: u.minDetectableRho + half, center: u.minDetectableRho });
      } else if (u.kind === 'asymptotic') {
        for (const p of u.power) rows.push({ ...base, method: ASYMPTOTIC_METHOD[p.mode], lower: p.minDetectableRho, upper: p.minDetectableRho, center: p.minDetectableRho });
      }
    }
  }
  return rows;
}

/** Per simulated method: mean difference from the asymptotic answer and how often it exceeds 1.96 SE. */
function asymptoticComparison(result: Pick<StudyResult, 'units'>): string[][] {
  const asymptotic = new Map<string, number>();
  for (const u of result.units) {
    if (u.kind === 'asymptotic') for (const p of u.power) if (p.mode === 'none' || !asymptotic.has(`${u.scenarioId}/${p.direction}`)) asymptotic.set(`${u.scenarioId}/${p.direction}`, p.minDetectableRho);
  }
  const byMethod = new Map<string, { diffs: number[]; beyond: number }>();
  for (const u of result.units) {
    if (u.kind !== 'power') continue;
    const a = asymptotic.get(`${u.scenarioId}/${u.direction}`);
    if (a === undefined) continue;
    const entry = byMethod.get(u.generator) ?? { diffs: [], beyond: 0 };
    const diff = Math.abs(u.minDetectableRho) - Math.abs(a);
    entry.diffs.push(diff);
    if (u.minDetectableRhoSe !== null && u.minDetectableRhoSe !== undefined && Math.abs(diff) > Z95 * u.minDetectableRhoSe) entry.beyond++;
    byMethod.set(u.generator, entry);
  }
  return [...byMethod].map(([method, { diffs, beyond }]) => {
    const mean = diffs.reduce((x, y) => x + y, 0) / diffs.length;
    return [method, String(diffs.length), mean.toFixed(4), Math.min(...diffs).toFixed(4), Math.max(...diffs).toFixed(4), `${beyond} of ${diffs.length}`];
  });
}

/** The report document of a study result. */
export function studyReportHtml(result: Omit<StudyResult, 'files'>): string {
  const cfg = result.provenance.config;
  const list = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : String(v));
  const sections: ReportSection[] = [];
  sections.push({
    title: 'Inputs',
    html: htmlFacts([
      ['scenarios', `${result.scenarios.length}${result.shard ? ` (shard ${result.shard.index} of ${result.shard.count})` : ''}`],
      ['cases', list(cfg.cases)],
      ['distinct x values (k)', list(cfg.kValues)],
      ['frequency shapes', list(cfg.shapes)],
      ['generators', list(cfg.generators)],
      ['stages', list(cfg.stages)],
      ['alpha / target power', `${String(cfg.alpha)} / ${String(cfg.targetPower)}`],
      ['sizes', `nSims ${String(cfg.nSims)}, nReps ${String(cfg.nReps)} x nBoot ${String(cfg.nBoot)}, nCal ${String(cfg.nCal)}, nPre ${String(cfg.nPre)}`],
      ['asymptotic tie handling', String(cfg.tieCorrection)],
    ]),
  });
  const summary = studySummaryRows(result);
  sections.push({
    title: 'Answers',
    html:
      htmlParagraph('Every simulated number carries its Monte Carlo standard error (±): for the minimum detectable rho the search, calibration and null parts together; for CI ends the spread over reps and the calibration part.') +
      htmlTable(summary.headers, summary.rows, studySummaryCaption(cfg)),
  });
  const mdRows = minDetectableRhoRows(result);
  if (mdRows.length > 0) {
    const comparison = asymptoticComparison(result);
    sections.push({
      title: 'Simulated and asymptotic minimum detectable rho',
      html:
        (comparison.length > 0
          ? htmlTable(['method', 'answers', 'mean |simulated| - |asymptotic|', 'smallest', 'largest', 'beyond 1.96 SE'], comparison, 'Simulated against the closed-form (asymptotic) answer')
          : '') +
        htmlFigure(
          ciForestSvg(mdRows, { title: `Minimum detectable rho at ${Math.round(Number(cfg.targetPower) * 100)} % power`, xLabel: 'Spearman rho' }),
          'Dots: the minimum detectable rho of each method; bars: its 95 % Monte Carlo interval (± 1.96 SE). Asymptotic answers have no Monte Carlo error.',
        ),
    });
  }
  const ciRows = forestRowsFromResult(result);
  if (ciRows.length > 0) {
    sections.push({
      title: 'Expected confidence intervals',
      html: htmlFigure(
        ciForestSvg(ciRows, { title: `Expected ${Math.round((1 - Number(cfg.alpha)) * 100)} % CIs at the observed rho (dashed)`, xLabel: 'Spearman rho' }),
        'Bootstrap intervals per generator (dot: mean rho-hat) beside the asymptotic Fisher-z intervals.',
      ),
    });
  }
  const allDistinct = result.tables.allDistinctSummary;
  if (allDistinct.rows.length > 0) {
    sections.push({ title: 'All-distinct summary', html: htmlTable(allDistinct.columns, toCsvRows(allDistinct), 'all_distinct_summary.csv') });
  }
  if (result.warnings.length > 0) sections.push({ title: 'Warnings', html: htmlList(result.warnings) });
  const t = result.timings;
  sections.push(
    provenanceSection(result.provenance, [
      ['fingerprint', result.fingerprint],
      ['started / finished', `${t.startedAt} / ${t.finishedAt}`],
      ['wall time', `${t.totalSeconds.toFixed(1)} s (${t.unitsRun} units run, ${t.unitsResumed} resumed)`],
    ]),
  );
  return htmlPage('spearsim study report', `spearsim ${result.provenance.version}, seed ${result.provenance.seed}, ${result.provenance.engine} engine, ${t.finishedAt}`, sections);
}
