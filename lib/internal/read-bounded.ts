/**
 * The one way the package reads a file. A path must name a regular file (a symlink is followed,
 * but what it leads to must be a regular file too): a FIFO, a device such as /dev/zero, a socket
 * or a directory is refused before a byte is read. The file is opened with O_NONBLOCK and checked
 * with fstat on the open descriptor, so a FIFO can neither block open() nor be swapped in after the
 * check. Every kind of file has a size limit, enforced on what is actually read (a file that grows
 * while it is read, or a /proc file reporting size 0, stops at the limit). Failures are ERR_IO
 * naming the path and, for size, the limit.
 * @internal
 * @module
 */
import * as fs from 'node:fs';
import { addAbortSignal } from 'node:stream';
import { SpearsimError, abortError, throwIfAborted } from '../errors';

const MiB = 1024 * 1024;

/** Size limits (bytes) per kind of file the package reads. */
export const READ_LIMITS = Object.freeze({
  /** A JSON configuration file (--config). */
  config: 1 * MiB,
  /** The fingerprint record of a run's resume state. */
  runRecord: 64 * 1024,
  /** One saved unit of a run's resume state. */
  unit: 1 * MiB,
  /** The manifest of a published output set. */
  manifest: 1 * MiB,
  /** results.json of a run, a shard or a merge. */
  results: 64 * MiB,
  /** A disk-cache entry whose caller gives no tighter bound. */
  cache: 64 * MiB,
  /** A CSV dataset (streamed, never held whole; the row limit usually stops it first). */
  csv: 1024 * MiB,
});

/** Kinds of file, by their limit. */
export type ReadKind = keyof typeof READ_LIMITS;

const DESCRIPTION: Readonly<Record<ReadKind, string>> = {
  config: 'configuration file',
  runRecord: 'resume record',
  unit: 'saved unit',
  manifest: 'output manifest',
  results: 'results file',
  cache: 'cache entry',
  csv: 'CSV file',
};

/** Bytes read per call. */
const CHUNK = 64 * 1024;

/** The errno code behind an ERR_IO of this module (e.g. 'ENOENT'), if any. */
export function errnoOf(error: unknown): string | undefined {
  return ((error as { cause?: NodeJS.ErrnoException } | undefined)?.cause as NodeJS.ErrnoException | undefined)?.code;
}

function kindOfNode(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function ioError(file: string, kind: ReadKind, message: string, cause?: unknown): SpearsimError {
  return new SpearsimError('ERR_IO', message, { value: file, expected: `a regular file of at most ${READ_LIMITS[kind]} bytes`, cause });
}

function overLimit(file: string, kind: ReadKind, limit: number, size: number | undefined): SpearsimError {
  return ioError(file, kind, `${file} is ${size === undefined ? 'larger than' : `${size} bytes, over`} the ${limit}-byte limit for a ${DESCRIPTION[kind]}`);
}

/** Checks an open descriptor: a regular file within `limit`. Closes it and throws otherwise. */
function checkDescriptor(fd: number, file: string, kind: ReadKind, limit: number, close: () => void): void {
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } catch (e) {
    close();
    throw ioError(file, kind, `cannot read ${file}: ${(e as Error).message}`, e);
  }
  if (!stat.isFile()) {
    close();
    const hint = kind === 'csv' && !stat.isDirectory() ? ' (to read a pipe, give - and redirect it to standard input)' : '';
    throw ioError(file, kind, `${file} is ${kindOfNode(stat)}; spearsim reads a ${DESCRIPTION[kind]} only from a regular file${hint}`);
  }
  if (stat.size > limit) {
    close();
    throw overLimit(file, kind, limit, stat.size);
  }
}

/** Opens `file` without blocking and checks it is a regular file within the limit of `kind`. */
function openChecked(file: string, kind: ReadKind, limit: number): number {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw ioError(file, kind, `cannot read ${file}: ${(e as Error).message}`, e);
  }
  checkDescriptor(fd, file, kind, limit, () => fs.closeSync(fd));
  return fd;
}

/**
 * Reads a whole (small) file of `kind` as UTF-8 text, bounded by its limit or by `maxBytes` when
 * that is tighter. Throws ERR_IO (the errno code, e.g. ENOENT, is the cause's `code`).
 */
export function readTextFile(file: string, kind: ReadKind, maxBytes = Infinity): string {
  const limit = Math.min(READ_LIMITS[kind], maxBytes);
  const fd = openChecked(file, kind, limit);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK);
      let got: number;
      try {
        got = fs.readSync(fd, buffer, 0, CHUNK, null);
      } catch (e) {
        throw ioError(file, kind, `cannot read ${file}: ${(e as Error).message}`, e);
      }
      if (got === 0) break;
      total += got;
      if (total > limit) throw overLimit(file, kind, limit, undefined);
      chunks.push(buffer.subarray(0, got));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Drops a UTF-8 byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads and parses a JSON file of `kind` (bounded); ERR_IO naming the file when it is missing, too big or not JSON. */
export function readJsonFile(file: string, kind: ReadKind): unknown {
  const text = readTextFile(file, kind);
  try {
    return JSON.parse(stripBom(text));
  } catch (e) {
    throw ioError(file, kind, `${file} is not valid JSON (${(e as Error).message})`, e);
  }
}

/** The chunks of a readable stream; an abort ends the iteration with ERR_ABORTED. */
async function* iterate(stream: NodeJS.ReadableStream, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  } catch (e) {
    if (signal?.aborted) throw abortError(signal);
    throw new SpearsimError('ERR_IO', `cannot read stdin: ${(e as Error).message}`, { value: 'stdin', cause: e });
  }
  throwIfAborted(signal);
}

/**
 * Streams a file of `kind` (or standard input for `-`) in chunks of at most 64 KiB, stopping at
 * the kind's limit. Checks `signal` between chunks. Standard input may be a pipe or a terminal:
 * the user named it explicitly.
 */
export async function* readChunks(file: string, kind: ReadKind, signal?: AbortSignal): AsyncGenerator<Buffer> {
  throwIfAborted(signal);
  const limit = READ_LIMITS[kind];
  if (file === '-') {
    let total = 0;
    // an abort destroys the stream, so a reader waiting on a silent pipe wakes up
    const stdin = signal ? addAbortSignal(signal, process.stdin) : process.stdin;
    for await (const chunk of iterate(stdin, signal)) {
      total += chunk.length;
      if (total > limit) throw overLimit('stdin', kind, limit, undefined);
      yield chunk;
    }
    return;
  }
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw ioError(file, kind, `cannot read ${file}: ${(e as Error).message}`, e);
  }
  try {
    checkDescriptor(handle.fd, file, kind, limit, () => {});
    let total = 0;
    for (;;) {
      throwIfAborted(signal);
      const buffer = Buffer.allocUnsafe(CHUNK);
      let got: number;
      try {
        ({ bytesRead: got } = await handle.read(buffer, 0, CHUNK, null));
      } catch (e) {
        throw ioError(file, kind, `cannot read ${file}: ${(e as Error).message}`, e);
      }
      if (got === 0) return;
      total += got;
      if (total > limit) throw overLimit(file, kind, limit, undefined);
      yield buffer.subarray(0, got);
    }
  } finally {
    await handle.close();
  }
}
