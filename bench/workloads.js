'use strict';
// The benchmark workloads. A *group* runs in its own child process (bench/worker.js); its
// variants are timed side by side, round-robin together with the reference loop (bench/ref.js),
// so ratios within a group share the machine's momentary load. Groups with `isolated: true` hold
// one variant, so the child's peak RSS belongs to that workload alone.
//
// A variant: { name, description, timing, threads, units, unit, params, setup(ctx) -> fn }.
//   units: Spearman values (or datasets, simulations...) computed per call, for per-unit costs.
//   fn: sync or async function doing one call; setup work is not timed.
// An API this build lacks throws unavailable(reason) from setup.
const path = require('node:path');
const { ROOT } = require('./common');
const { naiveBootstrapBatch } = require('./naive');

const W1 = { reps: 200, n: 73, counts: [19, 18, 18, 18], nBoot: 1000 };
const W1_UNITS = W1.reps * W1.nBoot;

class Unavailable extends Error {
  constructor(reason) {
    super(reason);
    this.unavailable = true;
  }
}
function unavailable(reason) {
  return new Unavailable(reason);
}

/** Everything a setup function needs: the built package, its internals, mode and threads. */
function makeContext({ mode, threads }) {
  const dist = (p) => require(path.join(ROOT, 'dist', p));
  const api = dist('index.js');
  return {
    api,
    internal: {
      engine: dist('internal/bootstrap-engine.js'),
      bootstrap: dist('bootstrap.js'),
      config: dist('config.js'),
      streams: dist('streams.js'),
    },
    mode,
    quick: mode === 'quick',
    threads,
  };
}

/** Near-even k-group counts summing to n. */
function evenCounts(n, k = 4) {
  return Array.from({ length: k }, (_, g) => Math.floor(n / k) + (g < n % k ? 1 : 0));
}

/** reps datasets of size n: x = shuffled tie template (counts), y = random permutation of 1..n. */
function tiedData(api, { reps, n, counts = evenCounts(n), seed = 7 }) {
  const template = counts.flatMap((c, g) => Array(c).fill(g + 1));
  const rng = new api.Rng(api.rootKey(seed));
  const x = new Float64Array(reps * n);
  const y = new Float64Array(reps * n);
  const xr = new Float64Array(n);
  const yr = new Float64Array(n);
  for (let r = 0; r < reps; r++) {
    xr.set(template);
    rng.shuffle(xr);
    for (let i = 0; i < n; i++) yr[i] = i + 1;
    rng.shuffle(yr);
    x.set(xr, r * n);
    y.set(yr, r * n);
  }
  return { x, y, n, reps };
}

function rowsOf(flat, n) {
  const rows = [];
  for (let at = 0; at < flat.length; at += n) rows.push(Array.from(flat.subarray(at, at + n)));
  return rows;
}

const KERNEL_TIMING =
  'kernel-only: internal runBootstrap(storedSource(Float64Array)) with config resolved and inputs built before timing; ' +
  'includes the input copy to the native job and the per-rep result arrays, excludes flattening/validation of number[][]';

/** A timed call of the internal batch bootstrap over pre-built Float64Array datasets. */
function kernelVariant(ctx, data, { nBoot, threads, options = {} }) {
  const { engine, bootstrap, config: cfg, streams } = ctx.internal;
  const config = cfg.resolveConfig({ verbose: 0, nBoot, threads, ...options });
  const source = bootstrap.storedSource(data.x, data.y, data.n);
  const spec = { nReps: data.reps, nBoot, alpha: 0.05, baseKey: streams.identityKey(1, { task: 'bench' }) };
  const fn = () => engine.runBootstrap(source, spec, config, {});
  fn.describe = async () => {
    const r = await fn();
    return { chunkResamples: r.chunkResamples, engine: r.engine };
  };
  return fn;
}

const KERNEL_CLOCK_TIMING =
  'the calls of the kernel-only variant, timed by the clock around the C++ kernel inside the native job (kernelMs): ' +
  'no input copy, no hand-off between JS and the job, no result arrays';

/** The same calls as `fn`, each timed by the native kernel's own clock. */
function onKernelClock(fn) {
  const timed = () => fn();
  timed.clock = 'kernel';
  timed.describe = fn.describe;
  return timed;
}

function w1Data(ctx, reps = W1.reps) {
  return tiedData(ctx.api, { reps, n: W1.n, counts: W1.counts });
}

/** Memoised builder, so that listing variants (names only) builds no data. */
function lazy(build) {
  let value;
  return () => (value === undefined ? (value = build()) : value);
}

function threadList(ctx) {
  return Array.from({ length: ctx.threads }, (_, i) => ctx.threads - i);
}

// ------------------------------------------------------------------------------------------------

const groups = [];

groups.push({
  name: 'smoke',
  tags: ['smoke'],
  description: 'tiny native batch bootstrap (W1 shape, 20 reps x 100 resamples); the cheapest group, for tests',
  variants: (ctx) => [
    {
      name: 'smoke.native',
      description: 'W1 shape, 20 reps x 100 resamples, all threads',
      timing: KERNEL_TIMING,
      threads: ctx.threads,
      units: 2000,
      unit: 'spearman',
      params: { reps: 20, n: 73, nBoot: 100 },
      setup: () => kernelVariant(ctx, w1Data(ctx, 20), { nBoot: 100, threads: ctx.threads }),
    },
  ],
  check: false,
});

groups.push({
  name: 'W1',
  tags: ['W1', 'compare', 'threads'],
  description:
    'Workload W1: 200 datasets, n = 73, x counts [19,18,18,18], y a random permutation of ranks, 1000 resamples each ' +
    '(200 000 Spearman values): native at 1..all threads, the public API, the TypeScript fallback, a naive TS loop',
  variants: (ctx) => {
    const data = lazy(() => w1Data(ctx));
    const fallbackReps = ctx.quick ? 10 : 40;
    const naiveReps = ctx.quick ? 4 : 20;
    const out = threadList(ctx).map((t) => ({
      name: `W1.native.${t}t`,
      description: `native kernel, ${t} thread${t > 1 ? 's' : ''}`,
      timing: KERNEL_TIMING,
      threads: t,
      units: W1_UNITS,
      unit: 'spearman',
      params: W1,
      setup: () => kernelVariant(ctx, data(), { nBoot: W1.nBoot, threads: t }),
    }));
    for (const t of threadList(ctx)) {
      out.push({
        name: `W1.kernel.${t}t`,
        description: `native kernel, ${t} thread${t > 1 ? 's' : ''}, timed inside the job (the kernel alone)`,
        timing: KERNEL_CLOCK_TIMING,
        threads: t,
        units: W1_UNITS,
        unit: 'spearman',
        params: W1,
        setup: () => onKernelClock(kernelVariant(ctx, data(), { nBoot: W1.nBoot, threads: t })),
      });
    }
    // the same kernel with the vector level capped (SPEARSIM_SIMD is read when a job is queued)
    for (const [level, label] of [['avx2', 'AVX2'], ['0', 'scalar']]) {
      out.push({
        name: `W1.native.1t.${label.toLowerCase()}`,
        description: `native kernel, 1 thread, vector level capped at ${label} (SPEARSIM_SIMD=${level})`,
        timing: KERNEL_TIMING,
        threads: 1,
        units: W1_UNITS,
        unit: 'spearman',
        params: { ...W1, simd: level },
        setup: () => {
          const run = kernelVariant(ctx, data(), { nBoot: W1.nBoot, threads: 1 });
          const capped = async () => {
            process.env.SPEARSIM_SIMD = level;
            try {
              return await run();
            } finally {
              delete process.env.SPEARSIM_SIMD;
            }
          };
          capped.describe = run.describe;
          return capped;
        },
      });
    }
    out.push({
      name: 'W1.native.public',
      description: `public bootstrapBatch(number[][] x, number[][] y), ${ctx.threads} threads`,
      timing: 'public API: bootstrapBatch with plain number[][] inputs (includes config resolution, validation, flattening)',
      threads: ctx.threads,
      units: W1_UNITS,
      unit: 'spearman',
      params: W1,
      setup: () => {
        const xs = rowsOf(data().x, W1.n);
        const ys = rowsOf(data().y, W1.n);
        return () => ctx.api.bootstrapBatch(xs, ys, { nBoot: W1.nBoot, threads: ctx.threads, verbose: 0, seed: 1 });
      },
    });
    out.push({
      name: 'W1.ts-fallback',
      description: `TypeScript fallback (native: false), ${fallbackReps} of the 200 datasets; cost per Spearman value scaled to W1`,
      timing: 'internal runBootstrap with native: false, same inputs as the kernel timing (single-threaded)',
      threads: 1,
      units: fallbackReps * W1.nBoot,
      unit: 'spearman',
      scaleToUnits: W1_UNITS,
      params: { ...W1, reps: fallbackReps },
      setup: () => kernelVariant(ctx, w1Data(ctx, fallbackReps), { nBoot: W1.nBoot, threads: 1, options: { native: false } }),
    });
    out.push({
      name: 'W1.naive',
      description: `naive TS loop (bench/naive.js: gather, sort-based midranks, Pearson), ${naiveReps} of the 200 datasets; scaled to W1`,
      timing: 'naive loop over plain number[] datasets built before timing (single-threaded)',
      threads: 1,
      units: naiveReps * W1.nBoot,
      unit: 'spearman',
      scaleToUnits: W1_UNITS,
      params: { ...W1, reps: naiveReps },
      setup: () => {
        const d = w1Data(ctx, naiveReps);
        const xs = rowsOf(d.x, W1.n);
        const ys = rowsOf(d.y, W1.n);
        return () => naiveBootstrapBatch(xs, ys, W1.nBoot);
      },
    });
    return out;
  },
  comparisons: (ctx) => [
    ...threadList(ctx)
      .filter((t) => t > 1)
      .flatMap((t) => [
        // the issue's figure is the kernel's: timed by its own clock, in the same rounds as the calls
        {
          name: `W1 speedup ${t} threads vs 1, kernel clock`,
          fast: `W1.kernel.${t}t`,
          slow: 'W1.kernel.1t',
          target: t === ctx.threads && t === 2 ? { op: '>=', value: 1.9, source: 'W1 target' } : undefined,
        },
        { name: `W1 speedup ${t} threads vs 1`, fast: `W1.native.${t}t`, slow: 'W1.native.1t', cores: t },
      ]),
    { name: 'W1 widest SIMD vs AVX2 (1 thread)', fast: 'W1.native.1t', slow: 'W1.native.1t.avx2' },
    { name: 'W1 widest SIMD vs scalar (1 thread)', fast: 'W1.native.1t', slow: 'W1.native.1t.scalar' },
    { name: 'W1 native vs naive TS loop', fast: `W1.native.${ctx.threads}t`, slow: 'W1.naive', target: { op: '>=', value: 100, source: 'W1 target' } },
    { name: 'W1 native vs TS fallback', fast: `W1.native.${ctx.threads}t`, slow: 'W1.ts-fallback' },
    { name: 'W1 TS fallback vs naive TS loop', fast: 'W1.ts-fallback', slow: 'W1.naive' },
    { name: 'W1 kernel vs public API overhead', fast: `W1.native.${ctx.threads}t`, slow: 'W1.native.public' },
  ],
  targets: (ctx) => [
    { id: 'W1.native.2t<=14ms', description: 'W1 native, 2 threads, kernel only <= 14 ms', workload: 'W1.native.2t', metric: 'median_ms', op: '<=', value: 14, when: ctx.threads >= 2 },
  ],
});

groups.push({
  name: 'batch',
  tags: ['compare'],
  description: 'W1 with one native call for all reps (batchBootstrap: true) vs one native call per rep (false)',
  variants: (ctx) => {
    const data = lazy(() => w1Data(ctx));
    return [true, false].map((batch) => ({
      name: batch ? 'batch.W1.batch' : 'batch.W1.per-rep',
      description: batch ? 'one native call for the 200 reps' : 'one native call per rep (200 calls)',
      timing: KERNEL_TIMING,
      threads: ctx.threads,
      units: W1_UNITS,
      unit: 'spearman',
      params: { ...W1, batchBootstrap: batch },
      setup: () => kernelVariant(ctx, data(), { nBoot: W1.nBoot, threads: ctx.threads, options: { batchBootstrap: batch } }),
    }));
  },
  comparisons: () => [{ name: 'batch vs per-rep calls (W1)', fast: 'batch.W1.batch', slow: 'batch.W1.per-rep' }],
});

groups.push({
  name: 'memcap',
  tags: ['compare', 'memory'],
  description:
    'memory-limit settings: boot-index chunk of 256 / 16 / 1 resamples at W1, and memoryLimit default / 8MB / 5MB at n = 10 000 ' +
    '(the chunk the limit allows is reported); results are identical, only time changes',
  variants: (ctx) => {
    const data = lazy(() => w1Data(ctx));
    const bigN = 10000;
    const bigReps = ctx.quick ? 4 : 8;
    const bigBoot = ctx.quick ? 250 : 500;
    const big = lazy(() => tiedData(ctx.api, { reps: bigReps, n: bigN }));
    const out = [256, 16, 1].map((chunk) => ({
      name: `memcap.W1.chunk${chunk}`,
      description: `W1, chunkResamples ${chunk}`,
      timing: KERNEL_TIMING,
      threads: ctx.threads,
      units: W1_UNITS,
      unit: 'spearman',
      params: { ...W1, chunkResamples: chunk },
      setup: () => kernelVariant(ctx, data(), { nBoot: W1.nBoot, threads: ctx.threads, options: { chunkResamples: chunk } }),
    }));
    for (const limit of ['default', '8MB', '5MB']) {
      out.push({
        name: `memcap.n10k.${limit}`,
        description: `n = ${bigN}, ${bigReps} reps x ${bigBoot} resamples, memoryLimit ${limit}`,
        timing: KERNEL_TIMING,
        threads: ctx.threads,
        units: bigReps * bigBoot,
        unit: 'spearman',
        params: { n: bigN, reps: bigReps, nBoot: bigBoot, memoryLimit: limit },
        setup: () =>
          kernelVariant(ctx, big(), { nBoot: bigBoot, threads: ctx.threads, options: limit === 'default' ? {} : { memoryLimit: limit } }),
      });
    }
    return out;
  },
  comparisons: () => [
    { name: 'chunk 16 vs 256 (W1)', fast: 'memcap.W1.chunk256', slow: 'memcap.W1.chunk16', cost: true },
    { name: 'chunk 1 vs 256 (W1)', fast: 'memcap.W1.chunk256', slow: 'memcap.W1.chunk1', cost: true },
    { name: 'memoryLimit 8MB vs default (n=10k)', fast: 'memcap.n10k.default', slow: 'memcap.n10k.8MB', cost: true },
    { name: 'memoryLimit 5MB vs default (n=10k)', fast: 'memcap.n10k.default', slow: 'memcap.n10k.5MB', cost: true },
  ],
});

// Scaling study: one isolated group per cell (time and peak RSS of that cell alone).
const SCALING_N = [10, 80, 1000, 10000];
const SCALING_TOTALS = [1e3, 1e4, 1e5, 1e6];
const SCALING_NBOOT = 1000;
function scalingCells(mode) {
  const cells = [];
  for (const n of SCALING_N) {
    for (const total of SCALING_TOTALS) {
      if (mode === 'quick' && (total > 1e5 || n * total > 1e8)) continue;
      cells.push({ n, total, nBoot: Math.min(total, SCALING_NBOOT), reps: Math.max(1, total / SCALING_NBOOT) });
    }
  }
  return cells;
}
function expo(total) {
  return `1e${Math.round(Math.log10(total))}`;
}
const QUICK_CELLS = new Set(scalingCells('quick').map((c) => `${c.n}/${c.total}`));
for (const cell of scalingCells('full')) {
  const name = `scaling.n${cell.n}.x${expo(cell.total)}`;
  groups.push({
    name,
    tags: ['scaling'],
    modes: QUICK_CELLS.has(`${cell.n}/${cell.total}`) ? ['quick', 'full'] : ['full'],
    isolated: true,
    scaling: cell,
    description: `scaling study cell: n = ${cell.n}, ${cell.reps} reps x ${cell.nBoot} resamples = ${cell.total} Spearman values (stored datasets)`,
    variants: (ctx) => [
      {
        name,
        description: `n = ${cell.n}, reps x resamples = ${cell.reps} x ${cell.nBoot}`,
        timing: KERNEL_TIMING,
        threads: ctx.threads,
        units: cell.total,
        unit: 'spearman',
        params: cell,
        inputBytes: cell.reps * cell.n * 16,
        setup: () => kernelVariant(ctx, tiedData(ctx.api, { reps: cell.reps, n: cell.n }), { nBoot: cell.nBoot, threads: ctx.threads }),
      },
    ],
  });
}

// Many reps at n = 100 x 500 resamples: memory. Stored inputs (what the foundation API allows).
for (const [reps, modes] of [
  [4000, ['quick', 'full']],
  [40000, ['full']],
]) {
  groups.push({
    name: `bigreps.stored.${reps / 1000}k`,
    tags: ['memory', 'bigreps'],
    modes,
    isolated: true,
    description: `${reps} reps x 500 resamples at n = 100 through the stored-dataset API (all datasets materialised in JS and copied to the native job)`,
    variants: (ctx) => [
      {
        name: `bigreps.stored.${reps / 1000}k`,
        description: `${reps} stored datasets, n = 100, 500 resamples each`,
        timing: KERNEL_TIMING,
        threads: ctx.threads,
        units: reps * 500,
        unit: 'spearman',
        params: { reps, n: 100, nBoot: 500, counts: [25, 25, 25, 25] },
        inputBytes: reps * 100 * 16,
        setup: () => kernelVariant(ctx, tiedData(ctx.api, { reps, n: 100, counts: [25, 25, 25, 25] }), { nBoot: 500, threads: ctx.threads }),
      },
    ],
  });
}

// Many reps with datasets generated inside the native job (the expected CI of a scenario): memory should
// not grow with reps beyond the per-rep summaries.
const BIG_SCENARIO = { n: 100, counts: [25, 25, 25, 25], yMedian: 10, yIqr: 5, label: 'bench n=100' };
for (const [reps, label, modes] of [
  [4000, '4k', ['quick', 'full']],
  [40000, '40k', ['full']],
  [1000000, '1M', ['full']],
]) {
  const name = reps === 1e6 ? 'bigreps.1M' : `bigreps.generated.${label}`;
  groups.push({
    name,
    tags: ['memory', 'bigreps'],
    modes,
    isolated: true,
    runs: reps === 1e6 ? 1 : undefined,
    description: `${reps} reps x 500 resamples at n = 100 (counts [25,25,25,25]) with datasets generated inside the native job (ciBootstrap, calibration off)`,
    variants: (ctx) => [
      {
        name,
        description: `ciBootstrap(own study n=100, { rho: 0.3, nReps: ${reps}, nBoot: 500, calibrationMode: 'off' })`,
        timing: 'public ciBootstrap call; datasets generated natively per rep (memory O(threads x n) + per-rep summaries)',
        threads: ctx.threads,
        units: reps * 500,
        unit: 'spearman',
        params: { reps, n: 100, nBoot: 500, counts: BIG_SCENARIO.counts, generator: 'nonparametric', calibrationMode: 'off' },
        setup: () => {
          const ciBootstrap = apiFn(ctx, 'ciBootstrap', 'ci.js');
          const scenario = apiFn(ctx, 'makeScenario', 'scenario.js')(BIG_SCENARIO);
          const opts = { rho: 0.3, nReps: reps, nBoot: 500, calibrationMode: 'off', generator: 'nonparametric', threads: ctx.threads, verbose: 0 };
          return () => ciBootstrap(scenario, opts);
        },
      },
    ],
    targets: () =>
      reps === 1e6
        ? [{ id: 'bigreps.1M.rss<=256MB', description: '1M reps x 500 resamples at n = 100 completes with peak RSS <= 256 MB', workload: 'bigreps.1M', metric: 'peakRssMB', op: '<=', value: 256 }]
        : [],
  });
}

// ------------------------------------------------------------------------------------------------
// Scenario CI, calibration, p-value and power workloads. Their functions are
// looked up on the public API first, then on their module in dist/ (before the lead exports them).

/** An exported function of the package (index first, then dist/<file>), or unavailable. */
function apiFn(ctx, name, file) {
  if (typeof ctx.api[name] === 'function') return ctx.api[name];
  let mod;
  try {
    mod = require(path.join(ROOT, 'dist', file));
  } catch (e) {
    throw unavailable(`${name}: dist/${file} does not load yet (${String(e.message).split('\n')[0]})`);
  }
  if (typeof mod[name] !== 'function') throw unavailable(`${name} is not exported by dist/${file} yet`);
  return mod[name];
}

/** Case 3, k = 4, even: n = 73, the W1 tie structure. */
function case3(ctx) {
  return apiFn(ctx, 'makeScenario', 'scenario.js')({ case: 3, k: 4, shape: 'even' });
}

function clearCaches(ctx, which) {
  if (which.includes('calibration')) apiFn(ctx, 'clearCalibrationCache', 'calibration.js')();
  if (which.includes('null')) apiFn(ctx, 'clearNullCache', 'pvalues.js')();
  if (which.includes('power')) apiFn(ctx, 'clearPowerCache', 'power.js')();
  if (which.includes('design')) apiFn(ctx, 'clearDesignCaches', 'design/index.js')();
}

const ISSUE3_TIMING = 'public call with a resolved Scenario, in-memory caches as stated, no disk cache (SPEARSIM_CACHE_DIR unset)';

for (const nCal of [300, 20000]) {
  groups.push({
    name: `calibration.${nCal}`,
    tags: ['calibration'],
    modes: nCal === 300 ? ['quick', 'full'] : ['full'],
    description: `multipoint calibration of one tie structure (case 3, k = 4, even, nonparametric) at nCal = ${nCal}, cold (cache cleared per call)`,
    variants: (ctx) => [
      {
        name: `calibration.${nCal}`,
        description: `calibrate(case 3 k=4 even, -0.13, { nCal: ${nCal}, calibrationMode: 'multipoint' }), calibration cache cleared before each call`,
        timing: ISSUE3_TIMING,
        threads: ctx.threads,
        units: nCal,
        unit: 'calibration dataset',
        params: { nCal, calibrationMode: 'multipoint', generator: 'nonparametric', scenario: 'case 3, k=4, even' },
        setup: () => {
          const calibrate = apiFn(ctx, 'calibrate', 'calibration.js');
          const scenario = case3(ctx);
          const opts = { nCal, calibrationMode: 'multipoint', generator: 'nonparametric', threads: ctx.threads, verbose: 0 };
          return async () => {
            clearCaches(ctx, ['calibration']);
            return calibrate(scenario, -0.13, opts);
          };
        },
      },
    ],
    targets: (ctx) => [
      {
        id: `calibration.${nCal}`,
        description: `multipoint calibration of one tie structure at n_cal ${nCal} <= ${nCal === 300 ? '20 ms' : '1 s'}`,
        workload: `calibration.${nCal}`,
        metric: 'median_ms',
        op: '<=',
        value: nCal === 300 ? 20 : 1000,
        when: ctx.threads >= 2,
      },
    ],
  });
}

groups.push({
  name: 'null.50000',
  tags: ['null', 'pvalues'],
  description: 'a 50 000-permutation null of one tie structure (case 3, k = 4, even), cold (null cache cleared per call)',
  variants: (ctx) => [
    {
      name: 'null.50000',
      description: 'nullDistribution(case 3 k=4 even, { nPre: 50000 }), null cache cleared before each call',
      timing: ISSUE3_TIMING,
      threads: ctx.threads,
      units: 50000,
      unit: 'permutation',
      params: { nPre: 50000, scenario: 'case 3, k=4, even' },
      setup: () => {
        const nullDistribution = apiFn(ctx, 'nullDistribution', 'pvalues.js');
        const scenario = case3(ctx);
        return async () => {
          clearCaches(ctx, ['null']);
          return nullDistribution(scenario, { nPre: 50000, threads: ctx.threads, verbose: 0 });
        };
      },
    },
  ],
  targets: () => [{ id: 'null.50000', description: 'a 50 000-permutation null <= 15 ms', workload: 'null.50000', metric: 'median_ms', op: '<=', value: 15 }],
});

groups.push({
  name: 'ci.scenario',
  tags: ['ci'],
  description: 'whole-scenario expected CI: case 3, k = 4, even, rho -0.13, 200 reps x 1000 resamples, nonparametric, warm calibration',
  variants: (ctx) => [
    {
      name: 'ci.scenario',
      description: 'ciBootstrap(case 3 k=4 even, { rho: -0.13, nReps: 200, nBoot: 1000 }), calibration cached (warm)',
      timing: ISSUE3_TIMING,
      threads: ctx.threads,
      units: 200 * 1000,
      unit: 'spearman',
      params: { nReps: 200, nBoot: 1000, rho: -0.13, generator: 'nonparametric', calibration: 'warm' },
      setup: async () => {
        const ciBootstrap = apiFn(ctx, 'ciBootstrap', 'ci.js');
        const scenario = case3(ctx);
        const opts = { rho: -0.13, nReps: 200, nBoot: 1000, generator: 'nonparametric', threads: ctx.threads, verbose: 0 };
        const fn = () => ciBootstrap(scenario, opts);
        await fn(); // warm the calibration
        return fn;
      },
    },
  ],
  targets: () => [{ id: 'ci.scenario', description: 'whole scenario CI (case 3 k=4 even, 200x1000, warm calibration) <= 16 ms', workload: 'ci.scenario', metric: 'median_ms', op: '<=', value: 16 }],
});

groups.push({
  name: 'ci.grid88',
  tags: ['ci', 'grid'],
  description: 'expected CI for all 88 study scenarios incl. calibration (caches cleared per call); full: 200 x 1000, quick: 20 x 100',
  variants: (ctx) => {
    const nReps = ctx.quick ? 20 : 200;
    const nBoot = ctx.quick ? 100 : 1000;
    return [
      {
        name: 'ci.grid88',
        description: `ciBootstrap for each of the 88 scenarios at its observed rho, ${nReps} x ${nBoot}, calibration included`,
        timing: ISSUE3_TIMING,
        threads: ctx.threads,
        units: 88 * nReps * nBoot,
        unit: 'spearman',
        params: { scenarios: 88, nReps, nBoot, generator: 'nonparametric', calibration: 'cold' },
        setup: () => {
          const ciBootstrap = apiFn(ctx, 'ciBootstrap', 'ci.js');
          const scenarios = apiFn(ctx, 'studyScenarios', 'scenario.js')();
          const opts = { nReps, nBoot, generator: 'nonparametric', threads: ctx.threads, verbose: 0 };
          return async () => {
            clearCaches(ctx, ['calibration']);
            const out = [];
            for (const s of scenarios) out.push(await ciBootstrap(s, opts));
            return out;
          };
        },
      },
    ];
  },
  targets: () => [{ id: 'ci.grid88', description: 'CI for all 88 scenarios 200x1000 incl. calibration <= 3 s', workload: 'ci.grid88', metric: 'median_ms', op: '<=', value: 3000, fullOnly: true }],
});

groups.push({
  name: 'power.10000',
  tags: ['power'],
  description:
    'one power estimate: case 3, k = 4, even, rho -0.13 (the observed), 10 000 simulations, warm (calibration and null cached); ' +
    'fresh simulations per call (power-set cache cleared), and with the simulated draws kept from the previous call',
  variants: (ctx) =>
    [
      ['power.10000', 'calibration and null cached; power-set cache cleared before each call (fresh sims)', true],
      ['power.10000.reuse', 'calibration, null and the simulated draws (power sets) cached from the previous call', false],
    ].map(([name, what, clear]) => ({
      name,
      description: `estimatePower(case 3 k=4 even, { rho: -0.13, nSims: 10000 }): ${what}`,
      timing: ISSUE3_TIMING,
      threads: ctx.threads,
      units: 10000,
      unit: 'simulated dataset',
      params: { nSims: 10000, rho: -0.13, generator: 'nonparametric', caches: clear ? 'calibration+null' : 'calibration+null+power sets' },
      setup: async () => {
        const estimatePower = apiFn(ctx, 'estimatePower', 'power.js');
        const scenario = case3(ctx);
        const opts = { rho: -0.13, nSims: 10000, generator: 'nonparametric', threads: ctx.threads, verbose: 0 };
        const fn = async () => {
          if (clear) clearCaches(ctx, ['power']);
          return estimatePower(scenario, opts);
        };
        await fn(); // warm calibration and null
        return fn;
      },
    })),
  comparisons: () => [{ name: 'power: fresh sims vs reused sims', fast: 'power.10000.reuse', slow: 'power.10000' }],
  targets: () => [
    { id: 'power.10000', description: 'one power estimate, 10 000 sims, warm: calibration + null cached, fresh sims <= 8 ms', workload: 'power.10000', metric: 'median_ms', op: '<=', value: 8 },
    { id: 'power.10000.reuse', description: 'same, warm incl. the kept sims of the previous call <= 8 ms (lenient reading)', workload: 'power.10000.reuse', metric: 'median_ms', op: '<=', value: 8 },
  ],
});

groups.push({
  name: 'mdr.grid88',
  tags: ['power', 'grid'],
  description: 'minimum detectable rho for all 88 scenarios incl. calibration and nulls (caches cleared per call); full: 500 sims, quick: 100 sims',
  variants: (ctx) => {
    const nSims = ctx.quick ? 100 : 500;
    return [
      {
        name: 'mdr.grid88',
        description: `minDetectableRho for each of the 88 scenarios, nSims ${nSims}, calibration and nulls built in the call`,
        timing: ISSUE3_TIMING,
        threads: ctx.threads,
        units: 88,
        unit: 'scenario',
        params: { scenarios: 88, nSims, generator: 'nonparametric', caches: 'cold' },
        setup: () => {
          const minDetectableRho = apiFn(ctx, 'minDetectableRho', 'power.js');
          const scenarios = apiFn(ctx, 'studyScenarios', 'scenario.js')();
          const opts = { nSims, generator: 'nonparametric', threads: ctx.threads, verbose: 0 };
          return async () => {
            clearCaches(ctx, ['calibration', 'null', 'power']);
            const out = [];
            for (const s of scenarios) out.push(await minDetectableRho(s, opts));
            return out;
          };
        },
      },
    ];
  },
  targets: () => [{ id: 'mdr.grid88', description: 'min detectable rho, all 88 scenarios, 500 sims incl. calibration and nulls <= 1.5 s', workload: 'mdr.grid88', metric: 'median_ms', op: '<=', value: 1500, fullOnly: true }],
});

const DESIGN_X = [0.4, 0.3, 0.2, 0.1];

groups.push({
  name: 'design.n',
  tags: ['design'],
  description: 'sample size of your own study: --solve n for a 4-level x (proportions 0.4, 0.3, 0.2, 0.1) at rho 0.3, 10 000 sims per evaluation, cold',
  variants: (ctx) => [
    {
      name: 'design.n',
      description: 'designSampleSize(makeDesign({ x: { proportions: [0.4, 0.3, 0.2, 0.1] } }), { rho: 0.3, nSims: 10000 }), every cache cleared before each call (calibration, nulls, power sets)',
      timing: ISSUE3_TIMING,
      threads: ctx.threads,
      units: 1,
      unit: 'search',
      params: { rho: 0.3, nSims: 10000, targetPower: 0.8, x: DESIGN_X, y: 'continuous', caches: 'cold' },
      setup: () => {
        const makeDesign = apiFn(ctx, 'makeDesign', 'design/index.js');
        const designSampleSize = apiFn(ctx, 'designSampleSize', 'design/index.js');
        const design = makeDesign({ x: { proportions: DESIGN_X } });
        return async () => {
          clearCaches(ctx, ['calibration', 'null', 'power', 'design']);
          return designSampleSize(design, { rho: 0.3, nSims: 10000, threads: ctx.threads, verbose: 0 });
        };
      },
    },
  ],
  targets: () => [{ id: 'design.n', description: '--solve n, 4-level x, rho 0.3, 10 000 sims per evaluation, cold calibration included <= 1.5 s', workload: 'design.n', metric: 'median_ms', op: '<=', value: 1500 }],
});

groups.push({
  name: 'design.power',
  tags: ['design'],
  description: 'one power evaluation of your own study at n = 200 (4-level x, rho 0.3, 10 000 sims): warm (the repeated question) and cold',
  variants: (ctx) => {
    const variant = (cold) => ({
      name: cold ? 'design.power.cold' : 'design.power',
      description: `designPower(makeDesign({ x: { proportions: [0.4, 0.3, 0.2, 0.1] }, n: 200 }), { rho: 0.3 }), ${cold ? 'every cache cleared before each call' : 'caches warm (nulls, kept sims, calibrated input)'}`,
      timing: ISSUE3_TIMING,
      threads: ctx.threads,
      units: 10000,
      unit: 'simulation',
      params: { n: 200, rho: 0.3, nSims: 10000, x: DESIGN_X, caches: cold ? 'cold' : 'warm' },
      setup: async () => {
        const makeDesign = apiFn(ctx, 'makeDesign', 'design/index.js');
        const designPower = apiFn(ctx, 'designPower', 'design/index.js');
        const design = makeDesign({ x: { proportions: DESIGN_X }, n: 200 });
        const fn = async () => {
          if (cold) clearCaches(ctx, ['calibration', 'null', 'power', 'design']);
          return designPower(design, { rho: 0.3, threads: ctx.threads, verbose: 0 });
        };
        await fn();
        return fn;
      },
    });
    return [variant(false), variant(true)];
  },
  comparisons: () => [{ name: 'design power cold vs warm (n = 200)', fast: 'design.power', slow: 'design.power.cold', cost: true }],
  targets: () => [{ id: 'design.power', description: 'one design power evaluation at n = 200, 10 000 sims <= 20 ms', workload: 'design.power', metric: 'median_ms', op: '<=', value: 20 }],
});

groups.push({
  name: 'study',
  tags: ['study'],
  modes: ['full'],
  description:
    'the main job: runStudy() with embedded defaults (what `npx spearsim run` does: 3 generators x 88 power searches at ' +
    '10 000 sims, asymptotics, 2 x 88 expected CIs at 200 x 1000), tables written to a temporary directory; caches cleared per call',
  variants: (ctx) => [
    {
      name: 'study.default',
      description: 'runStudy({ outputDir: <temp>, verbose: 0 }), cold in-memory caches',
      timing: 'public runStudy call, in process (CPU time covers every kernel thread), output files included',
      threads: ctx.threads,
      units: 1,
      unit: 'study',
      params: { preset: 'standard (embedded defaults)', generators: 'nonparametric, copula, linear' },
      setup: () => {
        const runStudy = apiFn(ctx, 'runStudy', 'study.js');
        const outputDir = require('node:fs').mkdtempSync(path.join(require('node:os').tmpdir(), 'spearsim-bench-study-'));
        return async () => {
          clearCaches(ctx, ['calibration', 'null', 'power']);
          return runStudy({ outputDir, verbose: 0 });
        };
      },
    },
  ],
  targets: () => [{ id: 'study.default', description: 'the default study run (npx spearsim run) <= 15 s', workload: 'study.default', metric: 'median_ms', op: '<=', value: 15000, fullOnly: true }],
});

const { peersGroup, startupGroup } = require('./peers');
const { jobsizeGroup } = require('./jobsize');

groups.push(peersGroup(), startupGroup(), jobsizeGroup());

module.exports = { groups, makeContext, Unavailable, unavailable, tiedData, evenCounts, rowsOf, W1, W1_UNITS, KERNEL_TIMING, kernelVariant, scalingCells };
