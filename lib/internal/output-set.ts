/**
 * Output sets: the files of one run (the three tables and results.json) are published together,
 * so a reader never sees one run's table beside another run's results.json, whatever kills the
 * writer or fails (ENOSPC, EFBIG) in between.
 *
 * Layout in an output directory:
 *   .spearsim-output/<set>/           the files of one run and its manifest.json
 *   .spearsim-output/current          symlink to the published set
 *   <name>                            symlink to .spearsim-output/current/<name>
 * A set is written in `<set>.<pid>.staging`, renamed into place, and published by replacing the
 * `current` symlink with rename(2): one atomic step for the whole set. The per-name symlinks point
 * through `current`, so they never need to change once made. Leftovers of a killed writer (staging
 * directories, temp files, unpublished sets) are removed by the next publisher; those of a writer
 * that is still running are left alone. Where symlinks cannot be made, each name is replaced by a
 * copy of its file in turn (results.json last): the set directory and its manifest are still whole,
 * but the four names then change one by one.
 * @internal
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpearsimError } from '../errors';
import { alive, checkReplaceable, listNames, makeDirectory, ownerOf, removeStaleTemps, tempFileName } from './files';

/** Directory holding the sets inside an output directory. */
export const SETS_DIR = '.spearsim-output';
/** Name of the symlink to the published set. */
export const CURRENT = 'current';
/** Name of the manifest inside a set. */
export const MANIFEST_FILE = 'manifest.json';
/** Format tag of a manifest. */
export const MANIFEST_FORMAT = 'spearsim-output/1';

/** One file of a set. */
export interface OutputFile {
  /** File name (no directory part). */
  name: string;
  /** Contents. */
  text: string;
}

/** A set's manifest: what run made it, and a checksum of every file. */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** Identifies the run: seed, configuration fingerprint, version, engine (whatever the caller gives). */
  run: Record<string, unknown>;
  /** ISO 8601 time of publication. */
  createdAt: string;
  files: Array<{ name: string; bytes: number; sha256: string }>;
}

/** SHA-256 (hex) of a file's contents, as the manifest records it. */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

function ioError(dir: string, action: string, e: unknown): SpearsimError {
  return new SpearsimError('ERR_IO', `cannot ${action} in ${dir}: ${(e as Error).message}`, { option: 'outputDir', value: dir, cause: e });
}

/** The set `current` points to, if any. */
function currentSet(sets: string): string | undefined {
  try {
    return fs.readlinkSync(path.join(sets, CURRENT));
  } catch {
    return undefined;
  }
}

/**
 * Removes what killed writers left next to the outputs and among the sets (temp files, staging
 * directories, sets never published) when their process is gone; with `ownToo`, also this
 * process's own unpublished sets. Never touches the published set.
 */
export function removeLeftovers(dir: string, ownToo = false, keep?: string): void {
  removeStaleTemps(dir);
  const sets = path.join(dir, SETS_DIR);
  const published = currentSet(sets) ?? keep;
  for (const name of listNames(sets)) {
    const pid = ownerOf(name);
    if (name === published || name === CURRENT || pid === undefined) continue;
    if (!alive(pid) || (ownToo && pid === process.pid)) fs.rmSync(path.join(sets, name), { recursive: true, force: true });
  }
}



function writeDurably(file: string, text: string): void {
  const fd = fs.openSync(file, 'wx');
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes `link` a symlink to `target` (atomically replacing a file or symlink there), unless it already is. */
function pointAt(link: string, target: string): void {
  try {
    if (fs.readlinkSync(link) === target) return;
  } catch {
    // missing or not a symlink: replaced below
  }
  checkReplaceable(link);
  const temp = tempFileName(link);
  fs.symlinkSync(target, temp);
  try {
    fs.renameSync(temp, link);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** errno codes of a file system or platform that cannot create symlinks. */
const SYMLINKS_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Replaces `target` by a copy of `source` (temp file + rename). */
function copyInPlace(source: string, target: string): void {
  checkReplaceable(target);
  const temp = tempFileName(target);
  try {
    fs.copyFileSync(source, temp);
    fs.renameSync(temp, target);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Publishes `files` as one set in `dir` with a manifest naming `run`; returns the absolute paths
 * of the published names (`<dir>/<name>`). Throws ERR_IO, leaving the previous set published,
 * when anything fails before the final swap.
 */
export function publishOutputSet(dir: string, files: readonly OutputFile[], run: Record<string, unknown>): string[] {
  const sets = path.join(dir, SETS_DIR);
  try {
    makeDirectory(sets);
  } catch (e) {
    throw ioError(dir, 'create the output directory', e);
  }
  removeLeftovers(dir);
  const id = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}-${process.pid}`;
  const staging = path.join(sets, `${id}.${process.pid}.staging`);
  try {
    fs.mkdirSync(staging);
    for (const f of files) writeDurably(path.join(staging, f.name), f.text);
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      run,
      createdAt: new Date().toISOString(),
      files: files.map((f) => ({ name: f.name, bytes: Buffer.byteLength(f.text), sha256: sha256(f.text) })),
    };
    writeDurably(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
    fs.renameSync(staging, path.join(sets, id));
    try {
      // names first (through `current`, which still shows the previous set), then the one-step swap
      for (const f of files) pointAt(path.join(dir, f.name), path.join(SETS_DIR, CURRENT, f.name));
      pointAt(path.join(sets, CURRENT), id);
    } catch (e) {
      if (!SYMLINKS_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
      // no symlinks here (Windows without developer mode, some network file systems): each name
      // is replaced by a copy on its own, results.json last; the set and its manifest stay intact
      for (const f of files) copyInPlace(path.join(sets, id, f.name), path.join(dir, f.name));
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    removeLeftovers(dir, true);
    throw ioError(dir, 'publish the outputs', e);
  }
  removeLeftovers(dir, true, id);
  return files.map((f) => path.resolve(dir, f.name));
}
