/**
 * The readable summary of a study run, shared by the console and the HTML report: one row per
 * scenario and direction with the minimum detectable rho of every method and the expected CIs,
 * each Monte Carlo number with its SE.
 * @module
 */
import { shortLabel } from './grid';
import type { StudyResult, UnitResult } from './results';
import { ASYMPTOTIC_CI_STEM, ASYMPTOTIC_METHOD } from './tables';

/** A Monte Carlo number with its SE (`0.3112±0.0016`); the bare number when it has none. */
export function withSe(value: number, se: number | null | undefined): string {
  return se === null || se === undefined || !Number.isFinite(se) ? value.toFixed(4) : `${value.toFixed(4)}±${se.toFixed(4)}`;
}

function interval(lo: number, hi: number, loSe?: number, hiSe?: number): string {
  return `[${withSe(lo, loSe)}, ${withSe(hi, hiSe)}]`;
}

/** Header and text rows of the summary (`!` marks a minimum detectable rho at a search boundary). */
export function studySummaryRows(result: Pick<StudyResult, 'units' | 'scenarios'>): { headers: string[]; rows: string[][] } {
  const byScenario = new Map<string, UnitResult[]>();
  for (const u of result.units) byScenario.set(u.scenarioId, [...(byScenario.get(u.scenarioId) ?? []), u]);
  const powerMethods = [...new Set(result.units.flatMap((u) => (u.kind === 'power' ? [u.generator] : u.kind === 'asymptotic' ? u.power.map((p) => ASYMPTOTIC_METHOD[p.mode]) : [])))];
  const ciMethods = [...new Set(result.units.flatMap((u) => (u.kind === 'ci' ? [`CI ${u.generator}`] : u.kind === 'asymptotic' ? u.ci.map((c) => `CI ${ASYMPTOTIC_CI_STEM[c.mode]}`) : [])))];
  const rows: string[][] = [];
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
  return { headers: ['case', 'n', 'scenario', 'dir', ...powerMethods, ...ciMethods], rows };
}

/** The caption of the summary: target power, level, and what ± and ! mean. */
export function studySummaryCaption(config: Record<string, unknown>): string {
  return (
    `Minimum detectable rho (${Math.round(Number(config.targetPower) * 100)} % power, alpha ${String(config.alpha)}; ! = search boundary) and expected ` +
    `${Math.round((1 - Number(config.alpha)) * 100)} % CIs at the observed rho (± = Monte Carlo SE)`
  );
}
