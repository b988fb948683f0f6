/**
 * Resume state of a study run: one small JSON file per finished unit under
 * `<output>/.spearsim-state/`, written atomically as soon as the unit finishes, plus the run's
 * fingerprint. An interrupted run keeps every finished unit; `--resume` reloads them and runs the
 * rest. A fresh run (no --resume) starts from an empty state.
 * @module
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpearsimError } from '../errors';
import { readJsonFile, writeFileAtomic } from '../internal/files';
import type { UnitResult } from './results';

/** Directory of the resume state inside an output directory. */
export const STATE_DIR = '.spearsim-state';

/** The state of one output directory. */
export interface RunState {
  /** Units finished by earlier runs (empty unless resuming). */
  finished: Map<string, UnitResult>;
  /** Records a finished unit. */
  save(result: UnitResult): void;
}

function unitFile(dir: string, id: string): string {
  const readable = id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return path.join(dir, 'units', `${readable}-${createHash('sha256').update(id).digest('hex').slice(0, 12)}.json`);
}

/**
 * Opens the state of `outputDir` for a run with `fingerprint`. With `resume`, finished units of an
 * earlier run with the same fingerprint are loaded (a different fingerprint is an error naming the
 * mismatch); without it, any earlier state is discarded.
 */
export function openRunState(outputDir: string, fingerprint: string, resume: boolean): RunState {
  const dir = path.join(outputDir, STATE_DIR);
  const runFile = path.join(dir, 'run.json');
  const finished = new Map<string, UnitResult>();
  if (resume && fs.existsSync(runFile)) {
    const run = readJsonFile(runFile) as { fingerprint?: unknown };
    if (run.fingerprint !== fingerprint) {
      throw new SpearsimError(
        'ERR_UNSUPPORTED',
        `cannot resume in ${outputDir}: the earlier run used a different configuration, engine or version (fingerprint ${String(run.fingerprint)}, now ${fingerprint}); rerun without --resume or with the same options`,
        { option: 'resume', value: outputDir },
      );
    }
    const unitsDir = path.join(dir, 'units');
    for (const name of fs.existsSync(unitsDir) ? fs.readdirSync(unitsDir) : []) {
      if (!name.endsWith('.json')) continue; // temp files of an interrupted write
      const unit = readJsonFile(path.join(unitsDir, name)) as UnitResult;
      if (typeof unit?.id === 'string' && unitFile(dir, unit.id) === path.join(unitsDir, name)) finished.set(unit.id, unit);
    }
  } else {
    fs.rmSync(dir, { recursive: true, force: true });
    writeFileAtomic(runFile, `${JSON.stringify({ fingerprint })}\n`);
  }
  return {
    finished,
    save(result) {
      writeFileAtomic(unitFile(dir, result.id), JSON.stringify(result));
    },
  };
}
