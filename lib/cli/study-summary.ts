/**
 * The readable summary of a study run, printed by `spearsim run` and `spearsim merge`.
 * @module
 */
import * as path from 'node:path';
import { formatProfile } from '../study/profile';
import type { StudyResult } from '../study/results';
import { studySummaryCaption, studySummaryRows } from '../study/summary';
import { toCsvRows } from '../study/tables';
import { table } from './command';

/**
 * The readable summary: one line per scenario and direction with the minimum detectable rho of
 * every method and the expected CIs, then the all-distinct summary table, files and timing.
 */
export function formatStudySummary(result: StudyResult): string {
  const summaryRows = studySummaryRows(result);
  const cfg = result.provenance.config;
  const lines = [
    `spearsim ${result.provenance.version}: ${result.scenarios.length} scenarios, seed ${result.provenance.seed}, ${result.provenance.engine} engine, ` +
      `${String(cfg.threads)} threads, nSims ${String(cfg.nSims)}, nReps ${String(cfg.nReps)} x nBoot ${String(cfg.nBoot)}, nCal ${String(cfg.nCal)}` +
      `${result.shard ? `, shard ${result.shard.index}/${result.shard.count}` : ''}`,
    '',
    `${studySummaryCaption(cfg)}:`,
    table(summaryRows.headers, summaryRows.rows),
  ];
  const summary = result.tables.allDistinctSummary;
  if (summary.rows.length > 0) {
    lines.push('', 'All-distinct summary (all_distinct_summary.csv):', table(summary.columns, toCsvRows(summary)));
  }
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  const dir = result.files.length > 0 ? path.dirname(result.files[0]!) : '';
  lines.push('', `Wrote ${result.files.map((f) => path.basename(f)).join(', ')} to ${dir}`);
  const t = result.timings;
  lines.push(
    `Wall time ${t.totalSeconds.toFixed(1)} s (${Object.entries(t.stages).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')})` +
      `${t.unitsResumed > 0 ? `; ${t.unitsResumed} units resumed from an earlier run` : ''}`,
  );
  if (result.profile) lines.push('', 'Profile:', formatProfile(result.profile));
  return lines.join('\n');
}
