/**
 * Identity-keyed random streams (docs/methods.md, "Departures from the reference"): a stream's key is derived from the base seed and
 * the identity of what it feeds (task, n, counts, generator, direction, ...), never from its
 * position in a run. Filtered, sharded or reordered runs therefore reproduce the full run's
 * numbers for every scenario.
 * @module
 */
import { childKey, rootKey } from './rng';

export { STREAM_BOOT, STREAM_DATA } from './kernels/constants';

/** Identity of a stream family: plain JSON values. */
export type StreamIdentity = Record<string, string | number | boolean | null | readonly number[]>;

/** Canonical JSON (sorted keys) of an identity. */
export function canonicalIdentity(identity: StreamIdentity): string {
  const keys = Object.keys(identity).sort();
  return JSON.stringify(keys.map((k) => [k, identity[k]]));
}

/** 64-bit label hashed from an identity (first 8 bytes of SHA-256 of its canonical JSON). */
export function identityLabel(identity: StreamIdentity): bigint {
  // node:crypto loads on the first key, not with the package
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(canonicalIdentity(identity)).digest().readBigUInt64LE(0);
}

/** Key of the stream family `identity` under base seed `seed`. */
export function identityKey(seed: number | bigint, identity: StreamIdentity): bigint {
  return childKey(rootKey(seed), identityLabel(identity));
}

/** Key of stream `purpose` of rep `rep` under `baseKey` (= native repStreamKey). */
export function repStreamKey(baseKey: bigint, rep: number, purpose: bigint): bigint {
  return childKey(childKey(baseKey, BigInt(rep)), purpose);
}
