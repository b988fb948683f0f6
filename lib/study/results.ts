/**
 * What a study run produces: per-unit results (the API numbers, exactly as returned), the tables
 * built from them, and the results.json document holding everything with the run's provenance.
 * @module
 */
import type { CiResult } from '../ci';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Direction, TieMode } from '../asymptotic';
import type { Config, GeneratorName, OptionKey } from '../config';
import { SpearsimError } from '../errors';
import type { Provenance } from '../provenance';
import { type StreamIdentity, canonicalIdentity } from '../streams';
import { VERSION } from '../version';
import type { ScenarioInfo } from './grid';
import { publishOutputSet } from '../internal/output-set';
import type { ProfileReport } from './profile';
import { type TableData, toCsv } from './tables';
import { RESULTS_FILE, TABLE_FILES } from './file-names';

/** Seconds per phase as reported by an API (whatever keys it can measure). */
export type PhaseTimings = Partial<Record<string, number>>;

interface UnitBase {
  /** Unit identity (see WorkUnit.id). */
  id: string;
  /** Identity of the unit's scenario (see ScenarioInfo.id). */
  scenarioId: string;
  /** Wall time of the unit. */
  seconds: number;
  /** Phase split reported by the API, if any. */
  timings?: PhaseTimings;
}

/** Monte Carlo minimum detectable rho of one scenario, generator and direction. */
export interface PowerUnitResult extends UnitBase {
  /** Stage: Monte Carlo minimum-detectable-rho search. */
  kind: 'power';
  /** Data generator simulated. */
  generator: GeneratorName;
  /** Search direction. */
  direction: Direction;
  /** Signed. */
  minDetectableRho: number;
  /** Its Monte Carlo SE (delta method; null when the power curve's slope could not be estimated). */
  minDetectableRhoSe: number | null;
  /** Power at minDetectableRho on the search's sims. */
  power: number;
  /** Binomial SE of that power. */
  powerSe: number;
  /** Simulated datasets per power evaluation. */
  nSims: number;
  /** The bisection ended within 1e-4 of a search bound (widen the bounds). */
  boundaryWarning: boolean;
}

/** Expected bootstrap CI of one scenario and generator at the case's observed rho. */
export interface CiUnitResult
  extends UnitBase,
    Pick<CiResult, 'rho' | 'ciLower' | 'ciUpper' | 'ciLowerSd' | 'ciUpperSd' | 'meanRhoHat' | 'ciLowerSe' | 'ciUpperSe' | 'meanRhoHatSe' | 'nReps' | 'nBoot' | 'rhoIn' | 'dropped'> {
  /** Stage: expected bootstrap CI. */
  kind: 'ci';
  /** Data generator simulated. */
  generator: GeneratorName;
}

/** Closed-form results of one scenario, per tie mode. */
export interface AsymptoticUnitResult extends UnitBase {
  /** Stage: closed-form (asymptotic) results. */
  kind: 'asymptotic';
  /** Minimum detectable rho per direction and tie mode. */
  power: Array<{
    /** Search direction. */
    direction: Direction;
    /** Tie mode. */
    mode: TieMode;
    /** Signed minimum detectable rho. */
    minDetectableRho: number;
  }>;
  /** Fisher-z CI around the observed rho, per tie mode. */
  ci: Array<{
    /** Tie mode. */
    mode: TieMode;
    /** Lower CI endpoint. */
    ciLower: number;
    /** Upper CI endpoint. */
    ciUpper: number;
  }>;
}

/** Result of one unit of a study run, by `kind`. */
export type UnitResult = PowerUnitResult | CiUnitResult | AsymptoticUnitResult;

/** Wall time of a run. */
export interface StudyTimings {
  /** Start time (ISO 8601). */
  startedAt: string;
  /** End time (ISO 8601). */
  finishedAt: string;
  /** Wall-clock seconds of the run. */
  totalSeconds: number;
  /** Seconds per stage (power, asymptotic, ci, output) of the units run in this process. */
  stages: Record<string, number>;
  /** Units run in this process / taken from an earlier run (resume) . */
  unitsRun: number;
  /** Units taken from an earlier run (resume). */
  unitsResumed: number;
}

/** The three tables (docs/methods.md, "Outputs"). */
export interface StudyTables {
  /** min_detectable_rho.csv: minimum detectable rho per scenario and method. */
  minDetectableRho: TableData;
  /** confidence_intervals.csv: expected bootstrap and asymptotic CIs per scenario. */
  confidenceIntervals: TableData;
  /** all_distinct_summary.csv: the all-distinct baselines. */
  allDistinctSummary: TableData;
}

/** Shard of a run (1-based index). */
export interface ShardSpec {
  /** Slice number, 1 to count. */
  index: number;
  /** Number of slices. */
  count: number;
}

/** Format tag of results.json. */
export const RESULTS_FORMAT = 'spearsim-study/1';

/** results.json: everything a run produced, with its provenance. */
export interface StudyResult {
  /** Format tag, `spearsim-study/1`. */
  format: typeof RESULTS_FORMAT;
  /** Hash of everything that shapes the numbers (merge and resume refuse a mismatch). */
  fingerprint: string;
  /** This run's slice, or null for a whole run (or a merge). */
  shard: ShardSpec | null;
  /** Seed, configuration, version and engine behind the results. */
  provenance: Provenance;
  /** The grid of the whole run (all shards), in grid order. */
  scenarios: ScenarioInfo[];
  /** Results of this run's units, in canonical order. */
  units: UnitResult[];
  /** The three tables, as written to CSV. */
  tables: StudyTables;
  /** Wall time of the run. */
  timings: StudyTimings;
  /** Time per phase (with --profile). */
  profile: ProfileReport | null;
  /** Warnings of the run (e.g. a minimum detectable rho at a search boundary). */
  warnings: string[];
  /** Files written (absolute paths). */
  files: string[];
}

/**
 * Checks that a parsed results.json is a study result: format, and every part a merge or a plot
 * reads (units are checked one by one against the run's grid by the merge).
 */
export function checkStudyResult(value: unknown, file: string): StudyResult {
  const v = value as Partial<StudyResult> | null;
  const object = (o: unknown): o is Record<string, unknown> => o !== null && typeof o === 'object' && !Array.isArray(o);
  const t = v?.timings as Record<string, unknown> | undefined;
  const shapeOk =
    object(v) && v.format === RESULTS_FORMAT && Array.isArray(v.units) && Array.isArray(v.scenarios) && typeof v.fingerprint === 'string' &&
    object(v.provenance) && object(v.provenance.config) && object(t) && typeof t.startedAt === 'string' && typeof t.finishedAt === 'string' &&
    Number.isFinite(t.totalSeconds) && object(t.stages) && Object.values(t.stages).every(Number.isFinite) &&
    Number.isInteger(t.unitsRun) && Number.isInteger(t.unitsResumed) && Array.isArray(v.warnings) && v.warnings.every((w) => typeof w === 'string') &&
    (v.shard === null || (object(v.shard) && Number.isInteger(v.shard.index) && Number.isInteger(v.shard.count)));
  if (!shapeOk) {
    throw new SpearsimError('ERR_IO', `${file} is not a spearsim study results file (format ${RESULTS_FORMAT}, with provenance, timings and warnings)`, { value: file });
  }
  return v as StudyResult;
}

/** Options that shape the numbers of a study run (threads, memory, output paths and verbosity do not). */
export const RESULT_KEYS = [
  'seed', 'alpha', 'targetPower', 'nSims', 'nReps', 'nBoot', 'nCal', 'nPre', 'nPerm', 'calibrationMode', 'usePermutationPvalue',
  'pvalueMcOnCacheMiss', 'empiricalUsePrecomputedNull', 'tieCorrection', 'fisherVariance', 'directionMode', 'generators', 'cases', 'kValues', 'shapes',
  'customCounts', 'baselines', 'stages', 'vectorize',
] as const satisfies readonly OptionKey[];

/** Layout of a unit result; bumped when units gain fields, so resume and merge never mix layouts. */
const UNIT_LAYOUT = 2;

/** Fingerprint of a run: the result-shaping options, the engine, the package version and the unit layout. */
export function studyFingerprint(config: Config, engineName: Provenance['engine']): string {
  const shaping: StreamIdentity = { engine: engineName, version: VERSION, unitLayout: UNIT_LAYOUT };
  for (const key of RESULT_KEYS) shaping[key] = JSON.stringify(config[key]);
  return createHash('sha256').update(canonicalIdentity(shaping)).digest('hex').slice(0, 32);
}

/**
 * Publishes the three CSV tables and results.json in `dir` as one output set (see
 * lib/internal/output-set.ts) with a manifest naming the run; returns the paths.
 */
export function writeStudyOutputs(dir: string, result: Omit<StudyResult, 'files'>): string[] {
  const names = [...(Object.keys(TABLE_FILES) as Array<keyof StudyTables>).map((key) => TABLE_FILES[key]), RESULTS_FILE];
  const files = names.map((name) => path.resolve(dir, name));
  const texts = (Object.keys(TABLE_FILES) as Array<keyof StudyTables>).map((key) => toCsv(result.tables[key]));
  texts.push(`${JSON.stringify({ ...result, files }, null, 1)}\n`);
  const run = { seed: result.provenance.seed, fingerprint: result.fingerprint, version: result.provenance.version, engine: result.provenance.engine, shard: result.shard };
  return publishOutputSet(dir, names.map((name, i) => ({ name, text: texts[i]! })), run);
}
