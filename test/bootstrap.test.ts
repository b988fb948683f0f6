import { describe, expect, it } from 'vitest';
import { bootstrapBatch, bootstrapCI, SpearsimError } from '../lib/index';
import { ResampleIndexStream, Rng, childKey, rootKey } from '../lib/rng';
import { PreparedPair, repResampleRhos, percentilePair, runBootstrap } from '../lib/internal/bootstrap-engine';
import { storedSource } from '../lib/bootstrap';
import { resolveConfig } from '../lib/config';
import { spearmanOf } from '../lib/ranks';
import { repStreamKey, STREAM_BOOT } from '../lib/streams';
import { runJob } from '../lib/internal/native';
import { hasNative, nativeAddon } from './helpers/native';
import { haveGxx, runNativeCheck } from './helpers/native-check';

/** n = 73, x with counts [19,18,18,18], y a random permutation of ranks (workload W1 shape). */
function w1Datasets(reps: number, seed = 7): { x: number[][]; y: number[][] } {
  const counts = [19, 18, 18, 18];
  const template = counts.flatMap((c, g) => Array<number>(c).fill(g + 1));
  const rng = new Rng(rootKey(seed));
  const x: number[][] = [];
  const y: number[][] = [];
  for (let r = 0; r < reps; r++) {
    const xr = template.slice();
    rng.shuffle(xr);
    const yr = Array.from({ length: template.length }, (_, i) => i + 1);
    rng.shuffle(yr);
    x.push(xr);
    y.push(yr);
  }
  return { x, y };
}

describe('batch bootstrap invariance', () => {
  const { x, y } = w1Datasets(12);
  const base = { nBoot: 600, seed: 11, verbose: 0 } as const;

  it('gives the same bits for 1, 2 and 4 threads', async () => {
    const results = await Promise.all([1, 2, 4].map((threads) => bootstrapBatch(x, y, { ...base, threads })));
    for (const r of results.slice(1)) {
      expect(Array.from(r.reps.lo)).toEqual(Array.from(results[0]!.reps.lo));
      expect(Array.from(r.reps.hi)).toEqual(Array.from(results[0]!.reps.hi));
      expect(r.ciLower).toBe(results[0]!.ciLower);
    }
  });

  it('gives the same bits for any chunk size and memory limit', async () => {
    const ref = await bootstrapBatch(x, y, { ...base, threads: 2 });
    for (const chunkResamples of [1, 7, 64, 256]) {
      const r = await bootstrapBatch(x, y, { ...base, threads: 2, chunkResamples });
      expect(r.chunkResamples).toBe(chunkResamples);
      expect(Array.from(r.reps.lo)).toEqual(Array.from(ref.reps.lo));
      expect(Array.from(r.reps.hi)).toEqual(Array.from(ref.reps.hi));
    }
    const small = await bootstrapBatch(x, y, { ...base, threads: 2, memoryLimit: 2 * 1024 * 1024 });
    expect(Array.from(small.reps.hi)).toEqual(Array.from(ref.reps.hi));
  });

  it.runIf(hasNative)('keeps the same resample values on any thread count (the last reps run block by block)', async () => {
    const flat = (rows: number[][]): Float64Array => Float64Array.from(rows.flat());
    const source = storedSource(flat(x), flat(y), 73);
    const spec = { nReps: 12, nBoot: 600, alpha: 0.05, baseKey: 9n, keepRhos: true };
    const runs = await Promise.all(
      [1, 2, 3].map((threads) => runBootstrap(source, spec, resolveConfig({ native: 'require', threads, verbose: 0 }), {})),
    );
    for (const run of runs.slice(1)) {
      expect(Array.from(run.reps.rhos!)).toEqual(Array.from(runs[0]!.reps.rhos!));
      expect(Array.from(run.reps.lo)).toEqual(Array.from(runs[0]!.reps.lo));
    }
  });

  it('batch and per-rep paths are bit-identical', async () => {
    const batch = await bootstrapBatch(x, y, { ...base, batchBootstrap: true });
    const perRep = await bootstrapBatch(x, y, { ...base, batchBootstrap: false });
    expect(Array.from(perRep.reps.lo)).toEqual(Array.from(batch.reps.lo));
    expect(Array.from(perRep.reps.hi)).toEqual(Array.from(batch.reps.hi));
    expect(perRep.ciUpperSd).toBe(batch.ciUpperSd);
  });

  it.runIf(hasNative)('native and TypeScript fallback agree bit for bit', async () => {
    const native = await bootstrapBatch(x, y, { ...base, native: 'require' });
    const fallback = await bootstrapBatch(x, y, { ...base, native: false });
    expect(native.provenance.engine).toBe('native');
    expect(fallback.provenance.engine).toBe('typescript');
    expect(Array.from(fallback.reps.lo)).toEqual(Array.from(native.reps.lo));
    expect(Array.from(fallback.reps.hi)).toEqual(Array.from(native.reps.hi));
    expect(Array.from(fallback.reps.rhoHat)).toEqual(Array.from(native.reps.rhoHat));
    expect(fallback.ciLower).toBe(native.ciLower);
  });

  it('each resample equals a naive gather-and-rank Spearman of the same indices', async () => {
    const xv = Float64Array.from(x[0]!);
    const yv = Float64Array.from(y[0]!);
    const d = new PreparedPair(xv, yv);
    const bootKey = repStreamKey(123n, 0, STREAM_BOOT);
    const rhos = await repResampleRhos(d, bootKey, 256, 5);
    // resample index u names the u-th item by ascending x, ties by ascending y
    const items = Array.from({ length: 73 }, (_, i) => i).sort((a, b) => xv[a]! - xv[b]! || yv[a]! - yv[b]!);
    // replay the indices of the first stream block
    const stream = new ResampleIndexStream(childKey(bootKey, 0), 73);
    for (let b = 0; b < 256; b++) {
      const xi = new Float64Array(73);
      const yi = new Float64Array(73);
      for (let t = 0; t < 73; t++) {
        const i = items[stream.next()]!;
        xi[t] = xv[i]!;
        yi[t] = yv[i]!;
      }
      const naive = spearmanOf(xi, yi);
      expect(Math.abs(rhos[b]! - naive), `resample ${b}`).toBeLessThan(1e-12);
    }
  });

  // The vector kernels (AVX-512, AVX2) serve tie-free y with at most 16 x groups and n <= 1024;
  // everything else takes the scalar kernel. All must give the bits of the TypeScript mirror.
  it.runIf(hasNative).each([
    ['W1 shape (4 groups)', 73, 4, false],
    ['9 groups (two AVX2 tables)', 80, 9, false],
    ['16 groups', 50, 16, false],
    ['17 groups (scalar kernel)', 60, 17, false],
    ['all distinct x', 40, 40, false],
    ['tied y (scalar kernel)', 73, 4, true],
    ['n = 3', 3, 2, false],
    ['n = 17 (one full vector and one lane)', 17, 3, false],
    ['n = 1024 (largest vector n)', 1024, 7, false],
    ['n = 1025 (scalar kernel)', 1025, 7, false],
  ])('native kernels at every SIMD level and the TypeScript mirror agree: %s', async (_name, n, groups, tiedY) => {
    const rng = new Rng(rootKey(n * 31 + groups));
    const xs: number[][] = [];
    const ys: number[][] = [];
    for (let r = 0; r < 3; r++) {
      const xr = Array.from({ length: n }, (_, i) => (i % groups) * 1.5 - 2);
      rng.shuffle(xr);
      const yr = Array.from({ length: n }, (_, i) => (tiedY ? Math.floor(i / 3) : i) + 0.25);
      rng.shuffle(yr);
      xs.push(xr);
      ys.push(yr);
    }
    const source = storedSource(Float64Array.from(xs.flat()), Float64Array.from(ys.flat()), n);
    const spec = { nReps: 3, nBoot: 300, alpha: 0.05, baseKey: 5n, keepRhos: true };
    const run = async (native: boolean | 'require') => {
      const { reps } = await runBootstrap(source, spec, resolveConfig({ native, verbose: 0 }), {});
      return Buffer.from(reps.rhos!.buffer).toString('base64');
    };
    const widest = await run('require');
    for (const level of ['avx2', '0']) {
      process.env.SPEARSIM_SIMD = level;
      try {
        expect(await run('require'), `SPEARSIM_SIMD=${level}`).toBe(widest);
      } finally {
        delete process.env.SPEARSIM_SIMD;
      }
    }
    const fallback = await run(false);
    expect(fallback).toBe(widest);
  });
});

describe('native percentiles (bucket selection of order statistics)', () => {
  it('equal a sort-based type-7 quantile on adversarial inputs', { timeout: 120_000 }, (ctx) => {
    if (!haveGxx) {
      ctx.skip('g++ not found on PATH: cannot compile test/native-src/percentile_pair.cc');
      return;
    }
    const out = runNativeCheck('percentile_pair.cc', ['bootstrap.cc', 'index_stream.cc', 'simd.cc']);
    expect(out.trim()).toMatch(/^ok \d+$/);
  });
});

describe('per-thread kernel buffers', () => {
  it('start on a cache line and share no line with another allocation (no false sharing between threads)', (ctx) => {
    if (!haveGxx) {
      ctx.skip('g++ not found on PATH: cannot compile test/native-src/line_vector.cc');
      return;
    }
    expect(runNativeCheck('line_vector.cc').trim()).toMatch(/^ok \d+$/);
  });
});

describe('degenerate resamples', () => {
  it('are dropped and counted, never counted as 0', async () => {
    // n = 3 with two tied x: many resamples have constant x
    const r = await bootstrapCI([1, 1, 2], [1, 2, 3], { nBoot: 2000, seed: 1, verbose: 0 });
    expect(r.dropped).toBeGreaterThan(200);
    expect(r.dropped).toBeLessThan(2000);
    expect(Number.isFinite(r.ciLower)).toBe(true);
    const { dropped } = percentilePair(Float64Array.from([NaN, 0.5, NaN, 0.1]), 0.025, 0.975);
    expect(dropped).toBe(2);
  });
});

describe('bad input', () => {
  const cases: Array<[string, () => Promise<unknown>, string]> = [
    ['NaN', () => bootstrapCI([1, 2, NaN], [1, 2, 3]), 'ERR_NAN_INPUT'],
    ['unequal lengths', () => bootstrapCI([1, 2, 3], [1, 2]), 'ERR_LENGTH_MISMATCH'],
    ['n < 3', () => bootstrapCI([1, 2], [1, 2]), 'ERR_OUT_OF_RANGE'],
    ['nBoot < 1', () => bootstrapCI([1, 2, 3], [3, 1, 2], { nBoot: 0 }), 'ERR_OUT_OF_RANGE'],
    ['alpha outside (0,1)', () => bootstrapCI([1, 2, 3], [3, 1, 2], { alpha: 1 }), 'ERR_OUT_OF_RANGE'],
    ['non-integer', () => bootstrapCI([1, 2, 3], [3, 1, 2], { nBoot: 10.5 }), 'ERR_OUT_OF_RANGE'],
    ['absurd threads', () => bootstrapCI([1, 2, 3], [3, 1, 2], { threads: 1e6 }), 'ERR_OUT_OF_RANGE'],
    ['constant x', () => bootstrapCI([1, 1, 1], [3, 1, 2]), 'ERR_OUT_OF_RANGE'],
    ['not an array', () => bootstrapCI('abc' as unknown as number[], [1, 2, 3]), 'ERR_INVALID_TYPE'],
    ['unknown option', () => bootstrapCI([1, 2, 3], [3, 1, 2], { nboot: 5 } as never), 'ERR_UNKNOWN_OPTION'],
    ['memory limit too small', () => bootstrapCI([1, 2, 3], [3, 1, 2], { memoryLimit: 1024 * 1024, threads: 64, nBoot: 1e6 }), 'ERR_MEMORY_LIMIT'],
  ];
  for (const [name, call, code] of cases) {
    it(`${name} -> ${code}`, async () => {
      const err = await call().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(SpearsimError);
      expect((err as SpearsimError).code).toBe(code);
    });
  }
  it('names option, value and range', async () => {
    const err = (await bootstrapCI([1, 2, 3], [3, 1, 2], { nBoot: 0 }).catch((e: unknown) => e)) as SpearsimError;
    expect(err.message).toMatch(/nBoot must be an integer in \[1, 100000000\]; received 0/);
    expect(err.option).toBe('nBoot');
  });
});

describe('cancellation and progress', () => {
  it('reports progress and stops within 100 ms of abort', async () => {
    const { x, y } = w1Datasets(400);
    const controller = new AbortController();
    const seen: number[] = [];
    const started = Date.now();
    const promise = bootstrapBatch(x, y, {
      nBoot: 20000, threads: 2, verbose: 0, signal: controller.signal,
      onProgress: (done) => seen.push(done),
    });
    setTimeout(() => controller.abort(), 150);
    const err = (await promise.catch((e: unknown) => e)) as SpearsimError;
    const stoppedAfter = Date.now() - started - 150;
    expect(err.code).toBe('ERR_ABORTED');
    expect(stoppedAfter).toBeLessThan(100);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('stops within 100 ms of abort without a progress callback too (the job that reports nothing)', async () => {
    const { x, y } = w1Datasets(400);
    const controller = new AbortController();
    const started = Date.now();
    const promise = bootstrapBatch(x, y, { nBoot: 20000, threads: 2, verbose: 0, signal: controller.signal });
    setTimeout(() => controller.abort(), 150);
    const err = (await promise.catch((e: unknown) => e)) as SpearsimError;
    expect(err.code).toBe('ERR_ABORTED');
    expect(Date.now() - started - 150).toBeLessThan(100);
  });

  it.runIf(hasNative)('a progress callback changes no result, and its last report is the total', async () => {
    const { x, y } = w1Datasets(40);
    const options = { nBoot: 2000, threads: 2, seed: 3, verbose: 0, native: 'require' } as const;
    const reports: Array<[number, number]> = [];
    const reported = await bootstrapBatch(x, y, { ...options, onProgress: (done, total) => reports.push([done, total]) });
    const silent = await bootstrapBatch(x, y, options);
    expect(reports.at(-1)).toEqual([40 * 2000, 40 * 2000]);
    expect(Array.from(reported.reps.lo)).toEqual(Array.from(silent.reps.lo));
    expect(Array.from(reported.reps.hi)).toEqual(Array.from(silent.reps.hi));
  });
});

describe.skipIf(!hasNative)('kernel timing', () => {
  it('the native run reports the kernel\'s own milliseconds, kept out of the per-rep results', async () => {
    const { x, y } = w1Datasets(8);
    const flat = (rows: number[][]): Float64Array => Float64Array.from(rows.flat());
    const source = storedSource(flat(x), flat(y), 73);
    const spec = { nReps: 8, nBoot: 300, alpha: 0.05, baseKey: 5n };
    for (const batchBootstrap of [true, false]) {
      const run = await runBootstrap(source, spec, resolveConfig({ native: 'require', batchBootstrap, verbose: 0 }), {});
      expect(run.kernelMs).toBeGreaterThan(0);
      expect(Object.keys(run.reps).sort()).toEqual(['dropped', 'hi', 'lo', 'rhoHat']);
    }
    const fallback = await runBootstrap(source, spec, resolveConfig({ native: false, verbose: 0 }), {});
    expect(fallback.kernelMs).toBeUndefined();
    const result = await bootstrapBatch(x, y, { nBoot: 300, native: 'require', verbose: 0 });
    expect('kernelMs' in result.reps).toBe(false);
  });
});

it('spearmanOf matches a textbook computation', () => {
  expect(spearmanOf([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 14);
});

describe.skipIf(!hasNative)('native layer validates too (backstop behind the TypeScript checks)', () => {
  const addon = nativeAddon!;
  const good = {
    x: Float64Array.from([1, 2, 3, 4]), y: Float64Array.from([4, 3, 1, 2]), n: 4, nReps: 1, nBoot: 10, alpha: 0.05,
    baseKey: 1n, repOffset: 0, chunkResamples: 4, threads: 1,
  };
  const codeOf = async (o: object): Promise<string> =>
    (addon.bootstrapStored as (o: object, t: null, p: null) => Promise<unknown>)(o, null, null).then(
      () => 'ok',
      (e: { code: string }) => e.code,
    );
  const syncCodeOf = (fn: () => unknown): string => {
    try {
      fn();
      return 'ok';
    } catch (e) {
      return (e as { code: string }).code;
    }
  };
  it('rejects bad fields with coded errors instead of crashing', async () => {
    expect(await codeOf(good)).toBe('ok');
    expect(syncCodeOf(() => addon.bootstrapStored({ ...good, x: [1, 2, 3, 4] as unknown as Float64Array }, null, null))).toBe('ERR_INVALID_TYPE');
    expect(syncCodeOf(() => addon.bootstrapStored({ ...good, n: 2 }, null, null))).toBe('ERR_OUT_OF_RANGE');
    expect(syncCodeOf(() => addon.bootstrapStored({ ...good, nReps: 2 }, null, null))).toBe('ERR_LENGTH_MISMATCH');
    expect(syncCodeOf(() => addon.bootstrapStored({ ...good, alpha: 1.5 }, null, null))).toBe('ERR_OUT_OF_RANGE');
    expect(syncCodeOf(() => addon.bootstrapStored({ ...good, nBoot: 0.5 }, null, null))).toBe('ERR_OUT_OF_RANGE');
    expect(syncCodeOf(() => addon.bootstrapStored({ ...good, baseKey: 5 as unknown as bigint }, null, null))).toBe('ERR_INVALID_TYPE');
    expect(syncCodeOf(() => addon.bootstrapStored({ ...good, threads: 0 }, null, null))).toBe('ERR_OUT_OF_RANGE');
    expect(syncCodeOf(() => addon.bootstrapStored(undefined as unknown as typeof good, null, null))).toBe('ERR_INVALID_TYPE');
    expect(await codeOf({ ...good, x: Float64Array.from([1, 2, NaN, 4]) })).toBe('ERR_OUT_OF_RANGE');
    // a bad value in the last dataset, which runs block by block on several threads
    const reps = 6;
    const lastBad = Float64Array.from({ length: 4 * reps }, (_, i) => (i === 4 * reps - 1 ? Infinity : (i % 4) + 1));
    const wide = { ...good, x: lastBad, y: Float64Array.from({ length: 4 * reps }, (_, i) => 4 - (i % 4)), nReps: reps, nBoot: 600 };
    expect(await codeOf({ ...wide, threads: 2 })).toBe('ERR_OUT_OF_RANGE');
    expect(syncCodeOf(() => addon.spearman({ x: Float64Array.from([1, 2]), y: Float64Array.from([1]) }))).toBe('ERR_LENGTH_MISMATCH');
  });

  it('native errors carry the caller\'s stack', async () => {
    const err = (await runJob(addon, 1, {}, (token) =>
      addon.bootstrapStored({ ...good, x: Float64Array.from([1, 2, NaN, 4]) }, token, null),
    ).catch((e: unknown) => e)) as SpearsimError;
    expect(err).toBeInstanceOf(SpearsimError);
    expect(err.code).toBe('ERR_OUT_OF_RANGE');
    expect(err.stack).toContain('bootstrap.test.ts');
  });
});

it('a throwing progress callback rejects with the caller\'s error on both engines', async () => {
  const { x, y } = w1Datasets(50);
  for (const native of [true, false]) {
    const boom = new Error('callback failed');
    const err = await bootstrapBatch(x, y, { nBoot: 2000, native, verbose: 0, onProgress: () => { throw boom; } }).catch((e: unknown) => e);
    expect(err).toBe(boom);
  }
});
