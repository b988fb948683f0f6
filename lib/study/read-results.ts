/**
 * Reading a study's results.json back (`spearsim merge`, `spearsim plot forest`): bounded, checked
 * against its output set's manifest when it is a published set's file, its shape checked, and
 * every unit checked against the grid of the configuration it records (identity, fields, ranges).
 * A results file cannot be recomputed, so anything wrong is ERR_IO naming the file.
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Config, type OptionKey, OPTION_KEYS, resolveConfig } from '../config';
import { SpearsimError } from '../errors';
import { type Manifest, MANIFEST_FILE, SETS_DIR, sha256 } from '../internal/output-set';
import { readJsonFile, readTextFile, stripBom } from '../internal/read-bounded';
import { studyGrid, studyUnits } from './grid';
import { type StudyResult, checkStudyResult } from './results';
import { unitProblem } from './unit-check';

/** The configuration recorded in a results file (nulls were undefined). */
export function configOf(result: StudyResult): Config {
  const recorded = result.provenance.config;
  const given: Partial<Record<OptionKey, unknown>> = {};
  for (const key of OPTION_KEYS) if (recorded[key] !== null && recorded[key] !== undefined) given[key] = recorded[key];
  return resolveConfig(given, [], {});
}

/** Throws when `file` is a published set's file whose text no longer matches the set's manifest. */
function checkManifest(file: string, text: string, option: string): void {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return;
  }
  const manifestFile = path.join(path.dirname(real), MANIFEST_FILE);
  if (path.basename(path.dirname(path.dirname(real))) !== SETS_DIR || !fs.existsSync(manifestFile)) return;
  const manifest = readJsonFile(manifestFile, 'manifest') as Partial<Manifest> | null;
  const entry = Array.isArray(manifest?.files) ? manifest.files.find((f) => f?.name === path.basename(real)) : undefined;
  if (!entry || entry.sha256 !== sha256(text)) {
    throw new SpearsimError('ERR_IO', `${file} does not match the checksum in its output set's manifest (${manifestFile}): it was changed after the run`, { option, value: file });
  }
}

/** Reads and checks a results.json (see the module comment); `option` names the input in errors. */
export function readStudyResult(file: string, option: string): StudyResult {
  const text = readTextFile(file, 'results');
  checkManifest(file, text, option);
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripBom(text));
  } catch (e) {
    throw new SpearsimError('ERR_IO', `${file} is not valid JSON (${(e as Error).message})`, { option, value: file, cause: e });
  }
  const doc = checkStudyResult(parsed, file);
  const config = configOf(doc);
  const expected = new Map(studyUnits({ ...config, verbose: 0 }, studyGrid(config)).map((u) => [u.id, u]));
  doc.units.forEach((u: unknown, i) => {
    const id = u !== null && typeof u === 'object' ? (u as { id?: unknown }).id : undefined;
    const unit = typeof id === 'string' ? expected.get(id) : undefined;
    const problem =
      unit ? unitProblem(u, unit, config)
      : typeof id === 'string' ? `${JSON.stringify(id)} is not a unit of this run`
      : 'not a unit object with an id';
    if (problem) throw new SpearsimError('ERR_IO', `${file}: unit ${i + 1} is unusable (${problem})`, { option, value: file });
  });
  return doc;
}
