/**
 * The calibration curves of a process: in memory (one promise per key, so concurrent callers
 * share a build) and in `cacheDir` (atomic, validated files, rebuilt with a warning when corrupt
 * or foreign).
 * @module
 */
import type { CallControls, CalibrationMode, Config } from '../config';
import type { GeneratorSetup } from '../generators';
import { cacheFile, readJsonCache, writeJsonCacheAtomic } from '../internal/disk-cache';
import { warn } from '../internal/log';
import type { StreamIdentity } from '../streams';
import { calibrationCacheKey } from './keys';
import { type CalibrationCurve, SETTINGS, probesOf } from './settings';
import { type CalibrationConfig, solveProbes } from './solve';

const memoryCache = new Map<string, Promise<CalibrationCurve>>();

/** Forgets every calibration held in memory (tests, long-lived processes). */
export function clearCalibrationCache(): void {
  memoryCache.clear();
}

const CACHE_KIND = 'calibration';

function validatePayload(probes: readonly number[]) {
  return (payload: unknown): Pick<CalibrationCurve, 'rhoIn' | 'achieved'> | undefined => {
    if (payload === null || typeof payload !== 'object') return undefined;
    const { rhoIn, achieved } = payload as Record<string, unknown>;
    const entries = (v: unknown, lo: number, hi: number): v is Array<number | null> =>
      Array.isArray(v) &&
      v.length === probes.length &&
      v.every((e) => e === null || (typeof e === 'number' && Number.isFinite(e) && e >= lo && e <= hi));
    if (!entries(rhoIn, 0, SETTINGS.hiCap) || !entries(achieved, -1, 1)) return undefined;
    if (rhoIn.some((r, i) => (r === null) !== (achieved[i] === null))) return undefined;
    return { rhoIn, achieved };
  };
}

/** The options a calibration curve reads. */
export type CurveConfig = CalibrationConfig & Pick<Config, 'nCal' | 'cacheDir' | 'saveCache'>;

/**
 * The calibration curve of a generator on its tie structure: from memory, from `cacheDir`, or
 * computed (and then written to `cacheDir` when `saveCache` is on).
 */
export function calibrationCurve(
  setup: GeneratorSetup,
  mode: Exclude<CalibrationMode, 'off'>,
  config: CurveConfig,
  controls: CallControls = {},
): Promise<CalibrationCurve> {
  const key = calibrationCacheKey(setup, config.nCal, mode);
  const id = JSON.stringify(key);
  const cached = memoryCache.get(id);
  if (cached) return cached.then((curve) => ({ ...curve, source: 'memory' as const }));
  const pending = loadOrCompute(setup, mode, key, config, controls);
  memoryCache.set(id, pending);
  pending.catch(() => memoryCache.delete(id)); // a failed or aborted build is not cached
  return pending;
}

async function loadOrCompute(
  setup: GeneratorSetup,
  mode: Exclude<CalibrationMode, 'off'>,
  key: StreamIdentity,
  config: CurveConfig,
  controls: CallControls,
): Promise<CalibrationCurve> {
  const probes = [...probesOf(mode)];
  const onProblem = (reason: string): void => warn(config.verbose, `calibration cache: ${reason}`, 'SPEARSIM_CACHE');
  const file = config.cacheDir === undefined ? undefined : cacheFile(config.cacheDir, CACHE_KIND, key);
  if (file) {
    const hit = readJsonCache(file, CACHE_KIND, key, validatePayload(probes), onProblem);
    if (hit) return { mode, nCal: config.nCal, probes, ...hit, evaluations: 0, source: 'disk' };
  }
  const solved = await solveProbes(setup, config.nCal, probes, [], config, controls);
  const curve: CalibrationCurve = {
    mode,
    nCal: config.nCal,
    probes,
    rhoIn: solved.rhoIn,
    achieved: solved.achieved,
    evaluations: solved.evaluations,
    source: 'computed',
  };
  if (file && config.saveCache) writeJsonCacheAtomic(file, CACHE_KIND, key, { rhoIn: curve.rhoIn, achieved: curve.achieved }, onProblem);
  return curve;
}

