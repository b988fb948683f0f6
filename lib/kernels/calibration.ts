/**
 * TypeScript twin of native/calibration.hpp|cc: F(rho) = mean Spearman of one SignalSet of
 * calibration datasets at the generator input rho (memoised), and the bisection of a probe on
 * those common random numbers. docs/methods.md, "Calibration".
 * @module
 */
import type { GeneratorSpec } from './generators';
import { mixAt } from './generators';
import { SignalSet } from './signal-set';

/** Bisection settings (twin of native BisectionSettings). */
export interface BisectionSettings {
  readonly maxIter: number;
  readonly tolerance: number;
  readonly hiCap: number;
}

/** Calibration datasets of one generator and F(rho) over them (twin of native CalibrationSet). */
export class CalibrationSet {
  private readonly memo = new Map<number, number>();
  private evaluations = 0;

  private constructor(private readonly datasets: SignalSet) {}

  /** The calibration datasets 0 .. nCal - 1 of `key`, drawn with pauses for the event loop. */
  static async create(setup: GeneratorSpec, key: bigint, nCal: number, abortSignal?: AbortSignal): Promise<CalibrationSet> {
    return new CalibrationSet(await SignalSet.create(setup, key, nCal, abortSignal));
  }

  /** Evaluations of F computed (memo misses). */
  get evaluationCount(): number {
    return this.evaluations;
  }

  /** F(rho), memoised; yields to the event loop now and then so an abort can land. */
  async meanSpearman(rho: number): Promise<number> {
    const hit = this.memo.get(rho);
    if (hit !== undefined) return hit;
    const nCal = this.datasets.size;
    const rhos = new Float64Array(nCal);
    await this.datasets.datasetRhosYielding(mixAt(this.datasets.generator.kind, rho), rhos);
    let sum = 0;
    for (let i = 0; i < nCal; i++) sum += rhos[i]!;
    const f = sum / nCal;
    this.memo.set(rho, f);
    this.evaluations++;
    return f;
  }

  /** Bisection for probe p > 0 (twin of native solve); null = unreachable. */
  async solve(p: number, settings: BisectionSettings): Promise<{ rhoIn: number; achieved: number } | null> {
    let lo = 0;
    let hi = Math.min(2 * p, settings.hiCap);
    let fHi = await this.meanSpearman(hi);
    if (fHi < p) {
      hi = settings.hiCap;
      fHi = await this.meanSpearman(hi);
      if (fHi < p) return null;
    }
    for (let it = 0; it < settings.maxIter; it++) {
      const mid = (lo + hi) / 2;
      const f = await this.meanSpearman(mid);
      if (f < p) {
        lo = mid;
      } else {
        hi = mid;
        fHi = f;
      }
      if (hi - lo < settings.tolerance) break;
    }
    const fLo = await this.meanSpearman(lo);
    return Math.abs(fHi - p) <= Math.abs(fLo - p) ? { rhoIn: hi, achieved: fHi } : { rhoIn: lo, achieved: fLo };
  }
}

