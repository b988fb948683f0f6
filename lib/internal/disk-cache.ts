/**
 * Disk caches (docs/reproducibility.md, "Caches"): one JSON envelope per file holding the cache kind, the complete
 * key, a format version and a SHA-256 checksum of the payload. Writes are atomic (temp file +
 * rename). A missing file is a silent miss; a truncated, corrupt, foreign or stale file is a
 * warning and a miss (the caller rebuilds); an unwritable directory is a warning (the run goes on
 * in memory). Never a crash, never a wrong answer.
 * @internal
 * @module
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { canonicalIdentity, type StreamIdentity } from '../streams';
import { VERSION } from '../version';
import { removeStaleTemps, writeFileAtomic } from './files';
import { errnoOf, readTextFile } from './read-bounded';

/** Bumped whenever the envelope layout changes. */
export const CACHE_FORMAT = 1;

interface Envelope {
  format: number;
  kind: string;
  key: string;
  writtenBy: string;
  checksum: string;
  payload: unknown;
}

function checksum(payload: unknown): string {
  return createHash('sha256').update(JSON.stringify(payload)).digest('hex');
}

/** File name of a cache entry: kind + a hash of its complete key. */
export function cacheFile(dir: string, kind: string, key: StreamIdentity): string {
  const digest = createHash('sha256').update(canonicalIdentity(key)).digest('hex').slice(0, 24);
  return path.join(dir, `${kind}-${digest}.json`);
}

/**
 * Reads an entry. Returns undefined on a miss; `onProblem` receives a reason when a file existed
 * but could not be used (also when it is not a regular file, e.g. a FIFO, or exceeds `maxBytes`).
 * `validate` returns the typed payload or undefined if it is malformed.
 */
export function readJsonCache<T>(
  file: string,
  kind: string,
  key: StreamIdentity,
  validate: (payload: unknown) => T | undefined,
  onProblem: (reason: string) => void,
  maxBytes?: number,
): T | undefined {
  let text: string;
  try {
    text = readTextFile(file, 'cache', maxBytes);
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') onProblem(`cache file ${file} is unusable (${(e as Error).message}); rebuilding`);
    return undefined;
  }
  let envelope: Envelope;
  try {
    envelope = JSON.parse(text) as Envelope;
  } catch {
    onProblem(`cache file ${file} is corrupt (not valid JSON, possibly truncated); rebuilding`);
    return undefined;
  }
  const problem =
    envelope === null || typeof envelope !== 'object' ? 'not a cache envelope'
    : envelope.format !== CACHE_FORMAT ? `format ${String(envelope.format)} is not ${CACHE_FORMAT}`
    : envelope.kind !== kind ? `it holds a ${String(envelope.kind)} cache, not ${kind}`
    : envelope.key !== canonicalIdentity(key) ? 'its key does not match (foreign or stale entry)'
    : envelope.checksum !== checksum(envelope.payload) ? 'its checksum does not match (corrupt)'
    : undefined;
  if (problem) {
    onProblem(`cache file ${file} rejected: ${problem}; rebuilding`);
    return undefined;
  }
  const value = validate(envelope.payload);
  if (value === undefined) onProblem(`cache file ${file} rejected: malformed payload; rebuilding`);
  return value;
}

/** Writes an entry atomically; returns false (after `onProblem`) if it could not be written. */
export function writeJsonCacheAtomic(
  file: string,
  kind: string,
  key: StreamIdentity,
  payload: unknown,
  onProblem: (reason: string) => void,
): boolean {
  const envelope: Envelope = { format: CACHE_FORMAT, kind, key: canonicalIdentity(key), writtenBy: `spearsim ${VERSION}`, checksum: checksum(payload), payload };
  try {
    removeStaleTemps(path.dirname(file)); // temp files of writers killed mid-write
    writeFileAtomic(file, JSON.stringify(envelope));
    return true;
  } catch (e) {
    onProblem(`could not write cache file ${file} (${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}); continuing in memory`);
    return false;
  }
}

/** Largest cache file holding `count` doubles (base64) and an envelope: the read limit of such an entry. */
export function float64EntryBytes(count: number): number {
  return Math.ceil((count * 8) / 3) * 4 + 64 * 1024;
}

/** Base64 of a Float64Array's bytes (compact, exact). */
export function encodeFloat64(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** Inverse of {@link encodeFloat64}; undefined if the text is not a whole number of doubles. */
export function decodeFloat64(text: unknown): Float64Array | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0) return undefined;
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
