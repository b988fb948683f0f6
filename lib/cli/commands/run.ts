/**
 * `spearsim run`: the whole study (or a filtered, sharded or resumed part of it) with a readable
 * summary on stdout; progress on stderr.
 * @module
 */
import * as path from 'node:path';
import { OPTION_KEYS } from '../../config';
import { runStudy } from '../../study';
import { shortLabel } from '../../study/grid';
import { formatProfile } from '../../study/profile';
import type { StudyResult, UnitResult } from '../../study/results';
import { ASYMPTOTIC_CI_STEM, ASYMPTOTIC_METHOD, toCsvRows } from '../../study/tables';
import { type Command, table } from '../command';

/** A Monte Carlo number with its SE (`0.3112±0.0016`); the bare number when it has none. */
export function withSe(value: number, se: number | null | undefined): string {
  return se === null || se === undefined || !Number.isFinite(se) ? value.toFixed(4) : `${value.toFixed(4)}±${se.toFixed(4)}`;
}

function interval(lo: number, hi: number, loSe?: number, hiSe?: number): string {
  return `[${withSe(lo, loSe)}, ${withSe(hi, hiSe)}]`;
}

/**
 * The readable summary: one line per scenario and direction with the minimum detectable rho of
 * every method and the expected CIs, then the all-distinct summary table, files and timing.
 */
export function formatStudySummary(result: StudyResult): string {
  const byScenario = new Map<string, UnitResult[]>();
  for (const u of result.units) byScenario.set(u.scenarioId, [...(byScenario.get(u.scenarioId) ?? []), u]);
  const powerMethods = [...new Set(result.units.flatMap((u) => (u.kind === 'power' ? [u.generator] : u.kind === 'asymptotic' ? u.power.map((p) => ASYMPTOTIC_METHOD[p.mode]) : [])))];
  const ciMethods = [...new Set(result.units.flatMap((u) => (u.kind === 'ci' ? [`CI ${u.generator}`] : u.kind === 'asymptotic' ? u.ci.map((c) => `CI ${ASYMPTOTIC_CI_STEM[c.mode]}`) : [])))];
  const rows: Array<Array<string | number>> = [];
  for (const s of result.scenarios) {
    const units = byScenario.get(s.id);
    if (!units) continue;
    for (const direction of s.directions) {
      const md = powerMethods.map((m) => {
        for (const u of units) {
          if (u.kind === 'power' && u.generator === m && u.direction === direction) return `${withSe(u.minDetectableRho, u.minDetectableRhoSe)}${u.boundaryWarning ? '!' : ''}`;
          if (u.kind === 'asymptotic') {
            const p = u.power.find((q) => ASYMPTOTIC_METHOD[q.mode] === m && q.direction === direction);
            if (p) return p.minDetectableRho.toFixed(4);
          }
        }
        return '';
      });
      const ci = ciMethods.map((m) => {
        for (const u of units) {
          if (u.kind === 'ci' && `CI ${u.generator}` === m) return interval(u.ciLower, u.ciUpper, u.ciLowerSe, u.ciUpperSe);
          if (u.kind === 'asymptotic') {
            const c = u.ci.find((q) => `CI ${ASYMPTOTIC_CI_STEM[q.mode]}` === m);
            if (c) return interval(c.ciLower, c.ciUpper);
          }
        }
        return '';
      });
      rows.push([String(s.case), String(s.n), shortLabel(s), direction.slice(0, 3), ...md, ...ci]);
    }
  }
  const cfg = result.provenance.config;
  const lines = [
    `spearsim ${result.provenance.version}: ${result.scenarios.length} scenarios, seed ${result.provenance.seed}, ${result.provenance.engine} engine, ` +
      `${String(cfg.threads)} threads, nSims ${String(cfg.nSims)}, nReps ${String(cfg.nReps)} x nBoot ${String(cfg.nBoot)}, nCal ${String(cfg.nCal)}` +
      `${result.shard ? `, shard ${result.shard.index}/${result.shard.count}` : ''}`,
    '',
    `Minimum detectable rho (${Math.round(Number(cfg.targetPower) * 100)} % power, alpha ${String(cfg.alpha)}; ! = search boundary) and expected ${Math.round((1 - Number(cfg.alpha)) * 100)} % CIs at the observed rho` +
      ' (± = Monte Carlo SE):',
    table(['case', 'n', 'scenario', 'dir', ...powerMethods, ...ciMethods], rows),
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

export const runCommand: Command = {
  name: 'run',
  summary: 'the whole study (88 scenarios, or a filtered/sharded part): three CSV tables and results.json',
  options: OPTION_KEYS.filter((k) => k !== 'generator'),
  flags: [],
  async run({ config, signal, print }) {
    const result = await runStudy({ ...config, signal });
    print(formatStudySummary(result));
    return result;
  },
};
