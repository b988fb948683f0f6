/**
 * Atomic output files: write a temp file next to the target, then rename, so an interrupted run
 * never leaves a partial table, results file or resume record (departure 11's rule, for outputs).
 * @internal
 * @module
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpearsimError } from '../errors';

/** Writes `text` to `file` atomically (creating the directory); throws ERR_IO on failure. */
export function writeFileAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw new SpearsimError('ERR_IO', `cannot write ${file}: ${(e as Error).message}`, { option: 'outputDir', value: path.dirname(file), cause: e });
  }
}

/** Reads and parses a JSON file; throws ERR_IO naming the file when it is missing or not JSON. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpearsimError('ERR_IO', `cannot read ${file}: ${(e as Error).message}`, { value: file, cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SpearsimError('ERR_IO', `${file} is not valid JSON (${(e as Error).message})`, { value: file, cause: e });
  }
}
