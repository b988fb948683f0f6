/**
 * Identities of calibration datasets and complete cache keys (docs/methods.md, "Calibration"): the
 * seed of the datasets depends on the tie structure, the generator and the parts of its process
 * that change F; a cache key adds the probes, the seed and the bisection settings.
 * @module
 */
import { createHash } from 'node:crypto';
import type { CalibrationMode } from '../config';
import type { GeneratorSetup } from '../generators';
import { usesNoisePermutation } from '../generators';
import type { StreamIdentity } from '../streams';
import { STUDY } from '../study/data';
import { CALIBRATION_ALGO, SETTINGS, probesOf } from './settings';

function poolDigest(setup: GeneratorSetup): string | null {
  const p = setup.pool;
  if (!p) return null;
  const text = JSON.stringify([Array.from(p.fixed), Array.from(p.fillSource), p.fillCount, p.logUniformCount, p.logLo, p.logSpan]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * Identity of the calibration datasets: the tie structure, the generator and the
 * parts of its process that change F (noise variant, pool), n_cal and the algorithm.
 * y scale parameters are excluded: F depends on ranks only.
 */
export function calibrationIdentity(setup: GeneratorSetup, nCal: number): StreamIdentity {
  const s = setup.structure;
  const identity: StreamIdentity = {
    task: 'calibration',
    n: s.n,
    counts: s.counts,
    allDistinct: s.allDistinct,
    generator: setup.kind,
    nCal,
    algo: CALIBRATION_ALGO,
  };
  if (usesNoisePermutation(setup.kind)) identity.rowMoments = setup.rowMoments;
  const pool = poolDigest(setup);
  if (pool !== null) identity.pool = pool;
  return identity;
}

/** Complete cache key: the dataset identity plus probes, seed and bisection settings. */
export function calibrationCacheKey(setup: GeneratorSetup, nCal: number, mode: Exclude<CalibrationMode, 'off'>): StreamIdentity {
  return {
    ...calibrationIdentity(setup, nCal),
    mode,
    probes: probesOf(mode),
    seed: STUDY.calibration.seed,
    maxIter: SETTINGS.maxIter,
    tolerance: SETTINGS.tolerance,
    hiCap: SETTINGS.hiCap,
  };
}

