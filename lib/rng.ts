/**
 * Random streams, bit-identical to native/rng.hpp.
 *
 * Keys of the seed tree are 64-bit integers (BigInt here: derivation is rare). The generator is
 * xoshiro256** held as eight 32-bit halves, so drawing needs no BigInt arithmetic.
 * @module
 */
import { rangeError, typeError } from './errors';
import { ndtri } from './mathfn';

const MASK64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;
const ROOT_TAG = 0x5350454152534d31n; // "SPEARSM1"
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_53 = 2 ** -53;

/** A seed, label or key as a BigInt in [0, 2^64), or a coded error naming `option`. */
function checkU64(option: string, value: unknown): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw rangeError(option, value, 'an integer in [0, 2^53) or a BigInt in [0, 2^64)');
    return BigInt(value);
  }
  if (typeof value !== 'bigint') throw typeError(option, value, 'an integer or a BigInt in [0, 2^64)');
  if (value < 0n || value > MASK64) throw rangeError(option, value, 'a BigInt in [0, 2^64)');
  return value;
}

/** SplitMix64 finaliser (a bijection on 64-bit integers). */
export function mix64(value: bigint): bigint {
  let z = value & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** Key of child `label` of `key` in the seed tree. */
export function childKey(key: bigint, label: bigint | number): bigint {
  return mix64(checkU64('key', key) ^ mix64(checkU64('label', label) + GOLDEN));
}

/** Key of the root of the seed tree for a user seed (a non-negative integer below 2^64). */
export function rootKey(seed: bigint | number): bigint {
  return childKey(ROOT_TAG, checkU64('seed', seed));
}

/** High 32 bits of the exact 64-bit product of two unsigned 32-bit integers. */
function productHigh32(x: number, range: number): number {
  const partLow = (x & 0xffff) * range;
  const partHigh = (x >>> 16) * range;
  return Math.floor((partHigh + Math.floor(partLow / 65536)) / 65536);
}

/** xoshiro256** generator seeded from a seed-tree key via SplitMix64. */
export class Rng {
  // state words s0..s3 as (high, low) unsigned 32-bit halves
  private s0h = 0; private s0l = 0; private s1h = 0; private s1l = 0;
  private s2h = 0; private s2l = 0; private s3h = 0; private s3l = 0;
  private spare = 0;
  private hasSpare = false;
  // high/low halves of the last 64-bit output
  private outHigh = 0;
  private outLow = 0;

  constructor(key: bigint) {
    let z = checkU64('key', key);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      z = (z + GOLDEN) & MASK64;
      const w = mix64(z);
      words.push(Number(w >> 32n), Number(w & 0xffffffffn));
    }
    if (words.reduce((acc, w) => acc | w, 0) === 0) {
      words[0] = Number(GOLDEN >> 32n);
      words[1] = Number(GOLDEN & 0xffffffffn);
    }
    [this.s0h, this.s0l, this.s1h, this.s1l, this.s2h, this.s2l, this.s3h, this.s3l] = words as [
      number, number, number, number, number, number, number, number,
    ];
  }

  /** Advances the state; the output is left in outHigh/outLow. */
  private step(): void {
    // result = rotl(s1 * 5, 7) * 9
    let lo = this.s1l * 5;
    let hi = (Math.imul(this.s1h, 5) + Math.floor(lo / TWO_POW_32)) >>> 0;
    lo >>>= 0;
    const rh = ((hi << 7) | (lo >>> 25)) >>> 0;
    const rl = ((lo << 7) | (hi >>> 25)) >>> 0;
    lo = rl * 9;
    hi = (Math.imul(rh, 9) + Math.floor(lo / TWO_POW_32)) >>> 0;
    this.outHigh = hi;
    this.outLow = lo >>> 0;

    const th = ((this.s1h << 17) | (this.s1l >>> 15)) >>> 0;
    const tl = (this.s1l << 17) >>> 0;
    this.s2h = (this.s2h ^ this.s0h) >>> 0; this.s2l = (this.s2l ^ this.s0l) >>> 0;
    this.s3h = (this.s3h ^ this.s1h) >>> 0; this.s3l = (this.s3l ^ this.s1l) >>> 0;
    this.s1h = (this.s1h ^ this.s2h) >>> 0; this.s1l = (this.s1l ^ this.s2l) >>> 0;
    this.s0h = (this.s0h ^ this.s3h) >>> 0; this.s0l = (this.s0l ^ this.s3l) >>> 0;
    this.s2h = (this.s2h ^ th) >>> 0; this.s2l = (this.s2l ^ tl) >>> 0;
    // s3 = rotl(s3, 45) = rotl(swap halves, 13)
    const h = this.s3h;
    const l = this.s3l;
    this.s3h = ((l << 13) | (h >>> 19)) >>> 0;
    this.s3l = ((h << 13) | (l >>> 19)) >>> 0;
  }

  /**
   * A generator in a given xoshiro256** state (four 64-bit words), bypassing the seeding; for
   * checking the generator against the reference algorithm's published outputs.
   */
  static fromState(words: readonly [bigint, bigint, bigint, bigint]): Rng {
    const rng = new Rng(0n);
    const halves = words.flatMap((w) => [Number((w >> 32n) & 0xffffffffn), Number(w & 0xffffffffn)]);
    [rng.s0h, rng.s0l, rng.s1h, rng.s1l, rng.s2h, rng.s2l, rng.s3h, rng.s3l] = halves as [
      number, number, number, number, number, number, number, number,
    ];
    return rng;
  }

  /** Next 64-bit output as a BigInt (test vectors and diagnostics only). */
  next64(): bigint {
    this.step();
    return (BigInt(this.outHigh) << 32n) | BigInt(this.outLow);
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    this.step();
    return (this.outHigh * 2097152 + (this.outLow >>> 11)) * TWO_POW_MINUS_53;
  }

  /** Uniform double in (0, 1). */
  uniformOpen(): number {
    this.step();
    return (this.outHigh * 2097152 + (this.outLow >>> 11) + 0.5) * TWO_POW_MINUS_53;
  }

  /** 32-bit word: the high half of a fresh 64-bit output first, then its low half. */
  next32(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    this.step();
    this.spare = this.outLow;
    this.hasSpare = true;
    return this.outHigh;
  }

  /** Advances one step and writes the 64-bit output's low, then high, 32-bit word to out[at], out[at + 1]. */
  nextWords(out: Uint32Array, at: number): void {
    this.step();
    out[at] = this.outLow;
    out[at + 1] = this.outHigh;
  }

  /**
   * Unbiased integer in [0, range) (Lemire's multiply-and-reject). Hot path, not validated:
   * `range` must be an integer in [1, 2^32).
   */
  bounded(range: number): number {
    let x = this.next32();
    let low = Math.imul(x, range) >>> 0;
    if (low < range) {
      const threshold = (TWO_POW_32 - range) % range;
      while (low < threshold) {
        x = this.next32();
        low = Math.imul(x, range) >>> 0;
      }
    }
    return productHigh32(x, range);
  }

  /** Fisher-Yates shuffle of the first `n` elements of `a` in place (0 <= n <= a.length < 2^32). */
  shuffle(a: { [index: number]: number; length: number }, n: number = a.length): void {
    if (!Number.isInteger(n) || n < 0 || n > a.length || n >= TWO_POW_32) throw rangeError('n', n, `an integer in [0, ${a.length}]`);
    for (let i = n; i > 1; i--) {
      const j = this.bounded(i);
      const tmp = a[i - 1]!;
      a[i - 1] = a[j]!;
      a[j] = tmp;
    }
  }

  /** Standard normal by inversion of one open uniform. */
  normal(): number {
    return ndtri(this.uniformOpen());
  }
}

const INDEX_LANES = 8;

/**
 * The stream of resample indices, uniform integers in [0, range); bit-identical to
 * native/index_stream.hpp, whose layout lets the draw vectorise. Lane l of the stream with key K
 * is the generator of childKey(K, l); each step takes one 64-bit output from lanes 0..7 in turn,
 * low 32-bit word first. A word w gives the index floor(w * range / 2^32), except that it is
 * skipped when (w * range) mod 2^32 < 2^32 mod range (Lemire's rejection: exactly uniform).
 */
export class ResampleIndexStream {
  private readonly lanes: Rng[];
  private readonly range: number;
  private readonly threshold: number;
  private readonly words = new Uint32Array(2 * INDEX_LANES);
  private nextWord = 2 * INDEX_LANES;

  /** `range` must be an integer in [1, 2^32). */
  constructor(key: bigint, range: number) {
    if (!Number.isInteger(range) || range < 1 || range >= TWO_POW_32) throw rangeError('range', range, 'an integer in [1, 2^32)');
    this.lanes = Array.from({ length: INDEX_LANES }, (_, lane) => new Rng(childKey(key, lane)));
    this.range = range;
    this.threshold = (TWO_POW_32 - range) % range;
  }

  /** The next index. */
  next(): number {
    for (;;) {
      if (this.nextWord === this.words.length) {
        for (let lane = 0; lane < INDEX_LANES; lane++) this.lanes[lane]!.nextWords(this.words, 2 * lane);
        this.nextWord = 0;
      }
      const word = this.words[this.nextWord++]!;
      if (Math.imul(word, this.range) >>> 0 >= this.threshold) return productHigh32(word, this.range);
    }
  }
}
