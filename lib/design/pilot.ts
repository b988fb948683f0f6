/**
 * Pilot data of a design: one numeric column of a CSV/TSV file, read as `spearsim analyze` reads
 * its input (header row, delimiter detected, missing cells skipped). Files are read bounded, and
 * only regular files.
 * @module
 */
import { type Delimiter, numericColumn, parseCsv } from '../csv';
import { SpearsimError } from '../errors';
import { readTextFile } from '../internal/read-bounded';

/** Largest pilot file read (bytes). */
export const MAX_PILOT_BYTES = 64 * 1024 * 1024;
/** A pilot column needs at least this many usable (non-missing) rows. */
export const MIN_PILOT_ROWS = 3;

/** A pilot column: its usable values and where they came from. */
export interface PilotColumn {
  /** The usable (non-missing) values in file order. */
  values: number[];
  /** "file:column" for descriptions. */
  source: string;
  /** Lines skipped for a missing value. */
  skippedLines: number[];
}

function readBounded(file: string, option: string): string {
  try {
    return readTextFile(file, 'csv', MAX_PILOT_BYTES);
  } catch (e) {
    if (!(e instanceof SpearsimError)) throw e;
    throw new SpearsimError(e.code, `pilot file: ${e.message}`, { option, value: file, expected: `a regular CSV/TSV file of at most ${MAX_PILOT_BYTES} bytes`, cause: e });
  }
}

/** Checks a pilot column: at least 3 usable values and 2 distinct ones. */
export function checkPilotValues(option: string, values: readonly number[], source: string): void {
  if (values.length < MIN_PILOT_ROWS) {
    throw new SpearsimError('ERR_OUT_OF_RANGE', `pilot column ${source} has ${values.length} usable rows; at least ${MIN_PILOT_ROWS} are needed`, {
      option,
      value: values.length,
      expected: `at least ${MIN_PILOT_ROWS} non-missing numeric rows`,
    });
  }
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new SpearsimError('ERR_INVALID_TYPE', `pilot column ${source} must hold finite numbers`, { option, expected: 'finite numbers' });
  }
  const distinct = new Set(values).size;
  if (distinct < 2) {
    throw new SpearsimError('ERR_OUT_OF_RANGE', `pilot column ${source} has ${distinct} distinct value; Spearman needs at least 2`, {
      option,
      value: distinct,
      expected: 'at least 2 distinct values',
    });
  }
}

/** Reads column `column` of `file` (option names the flag in errors, e.g. "--x-from"). */
export function readPilotColumn(file: string, column: string, option: string, delimiter?: Delimiter): PilotColumn {
  const text = readBounded(file, option);
  const table = parseCsv(text, { delimiter, source: file });
  const got = numericColumn(table, column, option === '--y-from' ? '--y' : '--x', file);
  const source = `${file}:${got.name}`;
  checkPilotValues(option, got.values, source);
  return { values: got.values, source, skippedLines: got.skippedLines };
}
