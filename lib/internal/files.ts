/**
 * Atomic files: write a temp file next to the target, then rename, so an interrupted run never
 * leaves a partial table, results file, resume record or cache entry (docs/methods.md, "Departures from the reference").
 * @internal
 * @module
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpearsimError } from '../errors';

/**
 * `mkdir -p` that always terminates. Node's fs.mkdirSync(dir, { recursive: true }) spins forever
 * (synchronously, 100 % CPU) on Linux when a parent exists but cannot hold children, e.g. any path
 * under /proc or /sys: mkdir answers ENOENT, the parent EEXIST, and it retries (nodejs/node
 * behaviour, also seen with dangling symlinks in other runtimes). Here every directory is created
 * once, top down, and the first real error is thrown.
 */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (stat) {
      if (!stat.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break; // the root itself is missing: mkdir below reports it
    current = parent;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      // a concurrent writer may have created it; anything else (ENOENT under /proc, EACCES...) is final
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(d).isDirectory()) continue;
      throw e;
    }
  }
}

/** Name of a temp file next to `file`: `<file>.<pid>.<12 hex>.tmp` (the pid tells a stale one). */
export function tempFileName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/** Whether process `pid` is alive (a leftover of a live process is not a leftover). */
export function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a leftover's name (`<...>.<pid>.staging`, `<...>.<pid>.<hex>.tmp`, an output set `<...>-<pid>`), if any. */
export function ownerOf(name: string): number | undefined {
  const m = /\.(\d+)\.staging$/.exec(name) ?? /\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name) ?? /-(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The names in `dir`, or none when it cannot be listed. */
export function listNames(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Removes the temp files (`*.<pid>.<hex>.tmp`) and staging directories in `dir` whose process is gone. */
export function removeStaleTemps(dir: string): void {
  for (const name of listNames(dir)) {
    if (!name.endsWith('.tmp') && !name.endsWith('.staging')) continue;
    const pid = ownerOf(name);
    if (pid !== undefined && !alive(pid)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Refuses to replace anything but a regular file or a symlink: a rename would otherwise put a
 * regular file in place of a device, FIFO or socket (run as root, `--output /dev/null` replaced
 * the device).
 */
export function checkReplaceable(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return; // missing (or unreachable: the write reports it)
  }
  if (!stat.isFile() && !stat.isSymbolicLink()) {
    throw Object.assign(new Error(`${stat.isDirectory() ? 'a directory' : 'a special file (device, FIFO or socket)'} is in the way; spearsim replaces only regular files`), { code: 'EEXIST' });
  }
}

/** Removes a temp file if it is there; a path that cannot hold it (a parent is a file) has nothing to remove. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // ENOTDIR and the like: the write failed before the file existed; the caller reports that failure
  }
}

/** Writes `text` to `file` atomically (creating the directory); throws ERR_IO on failure. */
export function writeFileAtomic(file: string, text: string): void {
  const temp = tempFileName(file);
  try {
    checkReplaceable(file);
    makeDirectory(path.dirname(file));
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (e) {
    removeQuietly(temp);
    throw new SpearsimError('ERR_IO', `cannot write ${file}: ${(e as Error).message}`, { option: 'outputDir', value: path.dirname(file), cause: e });
  }
}

/** Creates `dir` (and its parents) for output; ERR_IO naming `option` when it cannot be a directory. */
export function ensureOutputDirectory(dir: string, option = 'outputDir'): void {
  try {
    makeDirectory(dir);
  } catch (e) {
    throw new SpearsimError('ERR_IO', `${option} ${dir} cannot be used as a directory: ${(e as Error).message}`, { option, value: dir, cause: e });
  }
}
