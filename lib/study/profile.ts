/**
 * `--profile`: where a study run spends its time. Wall time per API stage is measured here; the
 * finer phases (calibration, null build, data generation, bootstrap kernel, p-values,
 * percentiles) come from the `timings` the APIs report, and whatever they do not split stays
 * attributed to the stage ("power: other").
 * @module
 */
import { table } from '../cli/command';
import type { UnitResult } from './results';

/** One line of the profile. */
export interface ProfilePhase {
  /** Phase name, e.g. "calibration", "power: other" or "orchestration". */
  name: string;
  /** Wall-clock seconds spent in the phase. */
  seconds: number;
  /** Fraction of the run's wall time. */
  share: number;
}

/** The profile of a run. */
export interface ProfileReport {
  /** Wall-clock seconds of the whole run. */
  totalSeconds: number;
  /** Phases with time spent, longest first. */
  phases: ProfilePhase[];
  /** The phase with the most time. */
  bottleneck: string;
}

/** Accumulates phase times. */
export class Profiler {
  private readonly seconds = new Map<string, number>();

  /** Adds `seconds` to `phase`. */
  add(phase: string, seconds: number): void {
    this.seconds.set(phase, (this.seconds.get(phase) ?? 0) + seconds);
  }

  /** Adds a unit: its reported phases, and the rest of its wall time as "<stage>: other". */
  addUnit(result: UnitResult): void {
    const reported = Object.entries(result.timings ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] >= 0);
    let split = 0;
    for (const [phase, s] of reported) {
      this.add(phase, s);
      split += s;
    }
    this.add(reported.length > 0 ? `${result.kind}: other` : STAGE_PHASE[result.kind], Math.max(0, result.seconds - split));
  }

  /** Times `fn` under `phase`. */
  time<T>(phase: string, fn: () => T): T {
    const start = performance.now();
    try {
      return fn();
    } finally {
      this.add(phase, (performance.now() - start) / 1000);
    }
  }

  /** The report; time not covered by any phase is "orchestration". */
  report(totalSeconds: number): ProfileReport {
    const covered = [...this.seconds.values()].reduce((a, b) => a + b, 0);
    const entries: Array<[string, number]> = [...this.seconds.entries(), ['orchestration', Math.max(0, totalSeconds - covered)]];
    const phases = entries
      .filter(([, s]) => s > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([name, seconds]) => ({ name, seconds, share: totalSeconds > 0 ? seconds / totalSeconds : 0 }));
    return { totalSeconds, phases, bottleneck: phases[0]?.name ?? 'none' };
  }
}

/** Phase name of a stage whose API reports no split. */
const STAGE_PHASE: Readonly<Record<UnitResult['kind'], string>> = {
  power: 'power (minimum detectable rho)',
  ci: 'bootstrap CI',
  asymptotic: 'asymptotic formulas',
};

/** The printed profile table, naming the bottleneck. */
export function formatProfile(p: ProfileReport): string {
  const rows = p.phases.map((ph) => [ph.name, ph.seconds.toFixed(2), `${(ph.share * 100).toFixed(1)} %`]);
  return `${table(['phase', 'seconds', 'share'], rows)}\nbottleneck: ${p.bottleneck} (${((p.phases[0]?.share ?? 0) * 100).toFixed(0)} % of ${p.totalSeconds.toFixed(1)} s)`;
}
