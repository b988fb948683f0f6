/**
 * Resume state of a study run: one small JSON file per finished unit under
 * `<output>/.spearsim-state/units/`, written atomically as soon as the unit finishes, plus the
 * run's record (`run.json`: fingerprint, and whether the run completed). Each unit file is an
 * envelope holding the run's fingerprint and a SHA-256 checksum of the unit, so a unit can be
 * trusted on its own even when run.json is lost.
 *
 * Finished work is never deleted silently: a run without `resume` over the saved units of an
 * interrupted run refuses (naming --resume and --fresh); `fresh` discards them with a warning.
 * With `resume`, every unit file is validated (size, JSON, envelope, fingerprint, checksum, then
 * identity, fields and ranges); a bad one is recomputed with a warning naming the file.
 * @module
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config';
import { SpearsimError, rangeError } from '../errors';
import { removeStaleTemps, writeFileAtomic } from '../internal/files';
import { errnoOf, readJsonFile } from '../internal/read-bounded';
import type { WorkUnit } from './grid';
import type { UnitResult } from './results';
import { unitProblem } from './unit-check';

/** Directory of the resume state inside an output directory. */
export const STATE_DIR = '.spearsim-state';

/** Format tag of a saved unit's envelope. */
export const UNIT_FORMAT = 'spearsim-unit/1';

/** The state of one output directory. */
export interface RunState {
  /** Valid units finished by earlier runs (empty unless resuming). */
  finished: Map<string, UnitResult>;
  /** Records a finished unit. */
  save(result: UnitResult): void;
  /** Marks the run complete (its outputs are published): a later run may start over without --fresh. */
  complete(): void;
}

/** Where a run's state lives and what it must match. */
export interface RunStateOptions {
  outputDir: string;
  /** Fingerprint of this run (see studyFingerprint). */
  fingerprint: string;
  /** The units of this run: a saved unit must be one of them. */
  units: readonly WorkUnit[];
  config: Pick<Config, 'resume' | 'fresh' | 'tieCorrection'>;
  /** Receives one message per problem found (bad unit file, lost run record, discarded units). */
  onWarning: (message: string) => void;
}

interface RunRecord {
  fingerprint?: unknown;
  complete?: unknown;
}

function unitFile(dir: string, id: string): string {
  const readable = id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return path.join(dir, 'units', `${readable}-${createHash('sha256').update(id).digest('hex').slice(0, 12)}.json`);
}

function unitChecksum(unit: unknown): string {
  return createHash('sha256').update(JSON.stringify(unit)).digest('hex');
}

function ioError(dir: string, e: unknown): SpearsimError {
  return new SpearsimError('ERR_IO', `cannot use the resume state in ${dir}: ${(e as Error).message}`, { option: 'outputDir', value: dir, cause: e });
}

/** Unit files (by name) in the state directory; temp files of interrupted writes are not units. */
function savedUnitNames(unitsDir: string): string[] {
  try {
    return fs.readdirSync(unitsDir).filter((name) => name.endsWith('.json'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw ioError(unitsDir, e);
  }
}

function readRunRecord(runFile: string, onWarning: (message: string) => void): RunRecord | undefined {
  try {
    const record = readJsonFile(runFile, 'runRecord') as RunRecord | null;
    if (record !== null && typeof record === 'object' && typeof record.fingerprint === 'string') return record;
    onWarning(`${runFile} is not a resume record; each saved unit is checked against this run's fingerprint instead`);
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') onWarning(`${(e as Error).message}; each saved unit is checked against this run's fingerprint instead`);
  }
  return undefined;
}

/** Reads one unit file; the unit, or the reason it cannot be used. */
function readUnit(file: string, expected: WorkUnit | undefined, options: RunStateOptions): UnitResult | string {
  let envelope: { format?: unknown; fingerprint?: unknown; checksum?: unknown; unit?: unknown };
  try {
    envelope = readJsonFile(file, 'unit') as typeof envelope;
  } catch (e) {
    return (e as Error).message;
  }
  if (envelope === null || typeof envelope !== 'object' || envelope.format !== UNIT_FORMAT) return `not a saved unit (format ${UNIT_FORMAT})`;
  if (envelope.fingerprint !== options.fingerprint) return 'it was saved by a run with other options, engine or version';
  if (envelope.checksum !== unitChecksum(envelope.unit)) return 'its checksum does not match (edited or corrupt)';
  if (!expected) return 'it is not a unit of this run';
  return unitProblem(envelope.unit, expected, options.config) ?? (envelope.unit as UnitResult);
}

/**
 * Opens the state of `outputDir` for a run. With `resume`, valid saved units are loaded (a run
 * record with a different fingerprint is an error naming the mismatch). Without it, an interrupted
 * run's saved units make the call fail unless `fresh` is set.
 */
export function openRunState(options: RunStateOptions): RunState {
  const { outputDir, fingerprint, config, onWarning } = options;
  if (config.resume && config.fresh) throw rangeError('fresh', true, 'false when resume is set (--resume continues the saved units, --fresh discards them)');
  const dir = path.join(outputDir, STATE_DIR);
  const runFile = path.join(dir, 'run.json');
  const unitsDir = path.join(dir, 'units');
  const finished = new Map<string, UnitResult>();
  removeStaleTemps(unitsDir);
  const saved = savedUnitNames(unitsDir);
  const record = saved.length > 0 || config.resume ? readRunRecord(runFile, onWarning) : undefined;
  if (config.resume) {
    if (record && record.fingerprint !== fingerprint) {
      throw new SpearsimError(
        'ERR_UNSUPPORTED',
        `cannot resume in ${outputDir}: the earlier run used a different configuration, engine or version (fingerprint ${String(record.fingerprint)}, now ${fingerprint}); rerun with the same options, or with --fresh to discard its ${saved.length} saved units`,
        { option: 'resume', value: outputDir },
      );
    }
    const byFile = new Map(options.units.map((u) => [path.basename(unitFile(dir, u.id)), u]));
    for (const name of saved) {
      const file = path.join(unitsDir, name);
      const unit = readUnit(file, byFile.get(name), options);
      if (typeof unit !== 'string') {
        finished.set(unit.id, unit);
        continue;
      }
      // kept aside, not deleted: it may be another run's work (a lost run.json), or evidence
      try {
        fs.renameSync(file, `${file}.rejected`);
        onWarning(`saved unit ${file} cannot be used (${unit}); it is recomputed (the file is kept as ${name}.rejected)`);
      } catch (e) {
        throw ioError(dir, e);
      }
    }
  } else if (saved.length > 0 && record?.complete !== true) {
    if (!config.fresh) {
      throw new SpearsimError(
        'ERR_UNSUPPORTED',
        `${outputDir} holds ${saved.length} units saved by an interrupted run: rerun with --resume to continue it, or with --fresh to discard them (or choose another --output-dir)`,
        { option: 'resume', value: outputDir },
      );
    }
    onWarning(`--fresh: discarding ${saved.length} units an interrupted run saved in ${dir}`);
  }
  try {
    if (!config.resume) fs.rmSync(dir, { recursive: true, force: true });
  } catch (e) {
    throw ioError(dir, e);
  }
  if (!config.resume || !record || record.complete === true) writeFileAtomic(runFile, `${JSON.stringify({ fingerprint })}\n`);
  return {
    finished,
    save(result) {
      writeFileAtomic(unitFile(dir, result.id), JSON.stringify({ format: UNIT_FORMAT, fingerprint, checksum: unitChecksum(result), unit: result }));
    },
    complete() {
      writeFileAtomic(runFile, `${JSON.stringify({ fingerprint, complete: true })}\n`);
    },
  };
}
