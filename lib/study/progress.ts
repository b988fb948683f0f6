/**
 * Progress of a study run. runStudy emits {@link StudyEvent}s; the default reporter renders them
 * on stderr by verbosity: 0 silent; 1 progress bars on a TTY (plain, throttled log lines
 * otherwise); 2 also summary statistics at the end; 3 also one line per unit with ETA, memory and
 * CPU. Native kernels report progress while they run, so the unit bar moves inside a unit.
 * @module
 */
import type { MultiBar, SingleBar } from 'cli-progress';
import type { Config } from '../config';
import { type WorkUnit, shortLabel } from './grid';
import type { ShardSpec, StudyResult, UnitResult } from './results';

/** What a unit is, for display. */
export interface UnitRef {
  /** Stable unit identity, e.g. `power/nonparametric/c3-k4-even/negative`. */
  id: string;
  /** Stage of the unit. */
  kind: WorkUnit['kind'];
  /** e.g. "power nonparametric negative: case 3, k=4 even". */
  label: string;
}

/** Events of a study run. */
export type StudyEvent =
  | {
      /** Run started. */
      type: 'start';
      /** Units of the run (of this slice when sharded). */
      units: number;
      /** Units still to run. */
      toRun: number;
      /** Units already finished by a previous run (skipped). */
      resumed: number;
      /** Scenarios of the run. */
      scenarios: number;
      /** The slice run, or null for the whole grid. */
      shard: ShardSpec | null;
      /** Directory the results are written to. */
      outputDir: string;
    }
  | {
      /** A unit started. */
      type: 'unit-start';
      /** The unit. */
      unit: UnitRef;
      /** 0-based position of the unit among the units to run. */
      index: number;
      /** Units to run. */
      of: number;
    }
  | {
      /** Progress inside a running unit. */
      type: 'unit-progress';
      /** The unit. */
      unit: UnitRef;
      /** Fraction of the unit done, in [0, 1]. */
      fraction: number;
    }
  | {
      /** A unit finished (its result is saved). */
      type: 'unit-done';
      /** The unit. */
      unit: UnitRef;
      /** Its result. */
      result: UnitResult;
      /** 0-based count of units that finished before it in this run. */
      index: number;
      /** Units to run. */
      of: number;
      /** Estimated seconds left, or null before any estimate. */
      etaSeconds: number | null;
    }
  | {
      /** Run finished. */
      type: 'finish';
      /** The study result. */
      result: StudyResult;
    }
  | {
      /** Run stopped by an error or an abort. */
      type: 'stopped';
      /** Units finished and saved (including resumed ones). */
      finished: number;
      /** Units of the run. */
      of: number;
      /** What stopped it (for an abort, how to resume). */
      message: string;
    };

/** Display reference of a unit. */
export function unitRef(u: WorkUnit): UnitRef {
  const what = [u.kind, u.generator, u.direction].filter((s) => s !== undefined).join(' ');
  return { id: u.id, kind: u.kind, label: `${what}: case ${u.info.case}, ${shortLabel(u.info)}` };
}

/** Relative cost of a unit (work items of its kernels), for progress and ETA. */
export function unitWeight(u: Pick<WorkUnit, 'kind'>, config: Pick<Config, 'nSims' | 'nReps' | 'nBoot' | 'nCal'>): number {
  if (u.kind === 'power') return 12 * config.nSims + 50 * config.nCal;
  if (u.kind === 'ci') return config.nReps * config.nBoot + 50 * config.nCal;
  return 1;
}

/** ETA from the seconds per weight measured so far, per unit kind (unseen kinds: the overall rate). */
export class EtaEstimator {
  private readonly spent = new Map<string, { seconds: number; weight: number }>();
  private remaining = new Map<string, number>();

  constructor(pending: ReadonlyArray<{ kind: string; weight: number }>) {
    for (const p of pending) this.remaining.set(p.kind, (this.remaining.get(p.kind) ?? 0) + p.weight);
  }

  /** Records a finished unit. */
  done(kind: string, weight: number, seconds: number): void {
    const s = this.spent.get(kind) ?? { seconds: 0, weight: 0 };
    this.spent.set(kind, { seconds: s.seconds + seconds, weight: s.weight + weight });
    this.remaining.set(kind, Math.max(0, (this.remaining.get(kind) ?? 0) - weight));
  }

  /** Seconds left, or null before anything finished. */
  eta(): number | null {
    let seconds = 0;
    let weight = 0;
    for (const s of this.spent.values()) {
      seconds += s.seconds;
      weight += s.weight;
    }
    if (weight === 0) return null;
    let left = 0;
    for (const [kind, w] of this.remaining) {
      const s = this.spent.get(kind);
      left += w * (s && s.weight > 0 ? s.seconds / s.weight : seconds / weight);
    }
    return left;
  }
}

/** "1h02m", "3m05s", "12s". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

function unitValue(r: UnitResult): string {
  if (r.kind === 'power') return `min detectable rho ${r.minDetectableRho.toFixed(4)}${r.boundaryWarning ? ' (search boundary!)' : ''}`;
  if (r.kind === 'ci') return `CI [${r.ciLower.toFixed(4)}, ${r.ciUpper.toFixed(4)}] rho_in ${r.rhoIn.toFixed(4)}`;
  return r.power.map((p) => `${p.mode} ${p.minDetectableRho.toFixed(4)}`).join(', ');
}

/** Summary statistics of a finished run (verbosity 2). */
export function summaryStatistics(result: StudyResult): string {
  const t = result.timings;
  const lines = [
    `spearsim: ${t.unitsRun} units run, ${t.unitsResumed} resumed, ${result.scenarios.length} scenarios, ${t.totalSeconds.toFixed(1)} s wall` +
      ` (${Object.entries(t.stages).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')})`,
  ];
  const power = result.units.filter((u): u is Extract<UnitResult, { kind: 'power' }> => u.kind === 'power');
  const ci = result.units.filter((u): u is Extract<UnitResult, { kind: 'ci' }> => u.kind === 'ci');
  if (power.length > 0) {
    const v = power.map((u) => Math.abs(u.minDetectableRho));
    const warned = power.filter((u) => u.boundaryWarning).length;
    lines.push(`spearsim: |min detectable rho| ${Math.min(...v).toFixed(4)} .. ${Math.max(...v).toFixed(4)} over ${power.length} searches; ${warned} at the search boundary`);
  }
  if (ci.length > 0) {
    const width = ci.map((u) => u.ciUpper - u.ciLower);
    const dropped = ci.reduce((a, u) => a + u.dropped, 0);
    lines.push(`spearsim: bootstrap CI width ${Math.min(...width).toFixed(4)} .. ${Math.max(...width).toFixed(4)} over ${ci.length} CIs; ${dropped} degenerate resamples dropped`);
  }
  for (const w of result.warnings) lines.push(`spearsim: warning: ${w}`);
  return lines.join('\n');
}

/** The default reporter: renders events on `stream` by verbosity. */
export function createStudyReporter(verbose: number, stream: NodeJS.WriteStream = process.stderr): (event: StudyEvent) => void {
  if (verbose <= 0) return () => {};
  const tty = stream.isTTY === true && !process.env.CI;
  let bars: MultiBar | null = null;
  let overall: SingleBar | null = null;
  let current: SingleBar | null = null;
  let units = 0;
  let done = 0;
  let eta: number | null = null;
  let lastLine = 0;
  let unitStart = { wall: 0, cpu: process.cpuUsage() };
  const write = (line: string): void => {
    if (bars) bars.log(`${line}\n`);
    else stream.write(`${line}\n`);
  };
  return (event) => {
    switch (event.type) {
      case 'start':
        units = event.toRun;
        write(`spearsim: ${event.toRun} units over ${event.scenarios} scenarios${event.resumed > 0 ? ` (${event.resumed} resumed)` : ''}${event.shard ? `, shard ${event.shard.index}/${event.shard.count}` : ''} -> ${event.outputDir}`);
        if (tty && units > 0) {
          // loaded when a bar is first drawn, not with the package
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const { MultiBar: Bars } = require('cli-progress') as typeof import('cli-progress');
          bars = new Bars({ stream, hideCursor: true, clearOnComplete: true, fps: 8, barsize: 30 });
          overall = bars.create(units, 0, { name: 'study     ', done: 0, eta_text: '--' }, { format: '{name} [{bar}] {percentage}% | {done}/{total} units | ETA {eta_text}' });
          current = bars.create(1000, 0, { name: '', label: '' }, { format: '{name} [{bar}] {percentage}% | {label}' });
        }
        break;
      case 'unit-start':
        unitStart = { wall: performance.now(), cpu: process.cpuUsage() };
        current?.update(0, { name: event.unit.kind.padEnd(10), label: event.unit.label.slice(0, 70) });
        break;
      case 'unit-progress':
        current?.update(Math.round(event.fraction * 1000));
        overall?.update(done + event.fraction);
        break;
      case 'unit-done': {
        done = event.index + 1;
        eta = event.etaSeconds;
        overall?.update(done, { done, eta_text: formatDuration(eta) });
        const now = performance.now();
        if (verbose >= 3) {
          const cpu = process.cpuUsage(unitStart.cpu);
          const wall = (now - unitStart.wall) / 1000;
          const cpuPct = wall > 0 ? ((cpu.user + cpu.system) / 1e6 / wall) * 100 : 0;
          const rss = process.memoryUsage.rss() / 2 ** 20;
          write(`spearsim: [${done}/${event.of}] ${event.unit.label}: ${unitValue(event.result)} (${event.result.seconds.toFixed(2)} s) | ETA ${formatDuration(eta)} | RSS ${rss.toFixed(0)} MB | CPU ${cpuPct.toFixed(0)} %`);
        } else if (!tty && (now - lastLine > 5000 || done === event.of)) {
          lastLine = now;
          write(`spearsim: ${done}/${event.of} units (${((100 * done) / Math.max(1, event.of)).toFixed(0)} %), ETA ${formatDuration(eta)}`);
        }
        break;
      }
      case 'finish':
        bars?.stop();
        bars = null;
        if (verbose >= 2) write(summaryStatistics(event.result));
        break;
      case 'stopped':
        bars?.stop();
        bars = null;
        write(`spearsim: stopped after ${event.finished}/${event.of} units`);
        break;
    }
  };
}
