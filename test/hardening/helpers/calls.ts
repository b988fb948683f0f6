// The calls the concurrency tests run serially, concurrently and from worker_threads. Each returns
// the bits that must not depend on how it was scheduled.
import { bootstrapBatch, bootstrapCI, calibrate, ciBootstrap, estimatePower, nullDistribution } from '../../../lib/index';

export type CallName = 'batch' | 'ci' | 'scenarioCi' | 'power' | 'null' | 'calibrate';

export interface CallSpec {
  name: CallName;
  seed: number;
  threads: number;
}

function data(seed: number, reps: number, n = 73): { x: number[][]; y: number[][] } {
  const x: number[][] = [];
  const y: number[][] = [];
  for (let r = 0; r < reps; r++) {
    x.push(Array.from({ length: n }, (_, i) => (i * 7 + r + seed) % 4));
    y.push(Array.from({ length: n }, (_, i) => ((i * 13 + r * 3 + seed) % n) + 0.5 * (i % 3)));
  }
  return { x, y };
}

const scenario = { case: 1, k: 4, shape: 'even' } as const;

/** One call; the numbers it returns must be bit-identical however it is scheduled. */
export async function runCall(spec: CallSpec): Promise<number[]> {
  const base = { seed: spec.seed, threads: spec.threads, verbose: 0 };
  switch (spec.name) {
    case 'batch': {
      const { x, y } = data(spec.seed, 40);
      const r = await bootstrapBatch(x, y, { ...base, nBoot: 1500 });
      return [...r.reps.lo, ...r.reps.hi, ...r.reps.rhoHat];
    }
    case 'ci': {
      const { x, y } = data(spec.seed, 1, 500);
      const r = await bootstrapCI(x[0]!, y[0]!, { ...base, nBoot: 20000 });
      return [r.rho, r.ciLower, r.ciUpper, r.dropped];
    }
    case 'scenarioCi': {
      const r = await ciBootstrap(scenario, { ...base, nReps: 200, nBoot: 300, nCal: 100 });
      return [r.ciLower, r.ciUpper, r.ciLowerSd, r.ciUpperSd, r.meanRhoHat, r.rhoIn];
    }
    case 'power': {
      const r = await estimatePower(scenario, { ...base, rho: 0.3, nSims: 4000, nCal: 100, nPre: 5000 });
      return [r.power, r.rhoIn, r.realisedMeanRho];
    }
    case 'null': {
      const r = await nullDistribution({ n: 60 + spec.seed, counts: [20, 20, 20 + spec.seed], allDistinct: false }, { ...base, nPre: 20000 });
      return Array.from(r.sortedAbs.subarray(0, 50));
    }
    case 'calibrate': {
      const r = await calibrate(scenario, 0.2 + spec.seed / 100, { ...base, nCal: 2000 });
      return [r.rhoIn];
    }
  }
}

/** Runs calls concurrently (all started at once). */
export async function runCalls(specs: CallSpec[]): Promise<number[][]> {
  return Promise.all(specs.map(runCall));
}
