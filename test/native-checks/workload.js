#!/usr/bin/env node
// A small workload through the whole library on a chosen addon build, for the sanitizer and
// valgrind runs (scripts/sanitize.sh, scripts/valgrind.sh). Every native kernel runs at least once
// to completion, once cancelled mid-job and once with an error path, and in worker_threads that are
// stopped mid-call (stop-workers.js); then (unless --quick) the native fuzz runs on the same addon.
//
//   node test/native-checks/workload.js --addon build-asan/Release/spearsim.node --lib build-asan/dist [--quick]
//
// --lib is a compiled copy of lib/ (tsc --outDir); the library's loader is pointed at --addon by
// intercepting require('node-gyp-build'). Prints one JSON summary line; exit code 0 = completed.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const REPO = path.resolve(__dirname, '..', '..');
const addonPath = path.resolve(opt('addon', path.join(REPO, 'build', 'Release', 'spearsim.node')));
const libDir = path.resolve(opt('lib', path.join(REPO, 'dist')));
const QUICK = args.includes('--quick');

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'node-gyp-build') return () => originalLoad.call(this, addonPath, parent, isMain);
  return originalLoad.call(this, request, parent, isMain);
};
const L = require(path.join(libDir, 'index.js'));

const log = (...a) => process.stderr.write(`workload: ${a.join(' ')}\n`);
const summary = { completed: [], aborted: [], errors: [] };
const N = { verbose: 0, threads: 2, native: 'require' };

async function step(name, fn) {
  const t0 = Date.now();
  await fn();
  summary.completed.push(name);
  log(`${name} ${Date.now() - t0} ms`);
}

/** Starts fn(signal) and aborts it shortly after; it must reject with ERR_ABORTED or finish. */
async function aborted(name, fn, afterMs = 30) {
  const c = new AbortController();
  const t = setTimeout(() => c.abort(), afterMs);
  try {
    await fn(c.signal);
    summary.aborted.push(`${name}: finished first`);
  } catch (e) {
    if (e.code !== 'ERR_ABORTED') throw e;
    summary.aborted.push(name);
  } finally {
    clearTimeout(t);
  }
}

async function expectError(name, fn) {
  try {
    await fn();
    throw new Error(`${name}: expected a coded error`);
  } catch (e) {
    if (!e.code || e.code === 'ERR_INTERNAL') throw e;
    summary.errors.push(`${name}: ${e.code}`);
  }
}

async function main() {
  if (!L.nativeStatus().available) throw new Error(`addon ${addonPath} did not load`);
  const scenario = L.makeScenario({ case: 1, k: 4, shape: 'even' });
  const x = Array.from({ length: 40 }, (_, i) => i % 4);
  const y = Array.from({ length: 40 }, (_, i) => (i * 17) % 41);
  const xs = Array.from({ length: 6 }, (_, r) => x.map((v, i) => (v + r + i) % 5));
  const ys = Array.from({ length: 6 }, (_, r) => y.map((v) => (v * (r + 3)) % 43));

  await step('bootstrapBatch', () => L.bootstrapBatch(xs, ys, { ...N, nBoot: 300 }));
  await step('bootstrapBatch per-rep', () => L.bootstrapBatch(xs, ys, { ...N, nBoot: 300, batchBootstrap: false }));
  await step('bootstrapBatch chunk 1, 1 MiB', () => L.bootstrapBatch(xs, ys, { ...N, nBoot: 300, chunkResamples: 1, memoryLimit: 2 ** 20 }));
  await step('bootstrapCI', () => L.bootstrapCI(x, y, { ...N, nBoot: 500 }));
  if (L.BOOTSTRAP_OPTION_KEYS && typeof L.spearmanTest === 'function') {
    await step('spearmanTest permutation', () => L.spearmanTest(x, y, { ...N, nPerm: 500 }));
    await step('spearmanTest null', () => L.spearmanTest(x, y.map((v, i) => v + i / 100), { ...N, nPre: 2000, nPerm: 0 }));
  }
  await step('calibrate', () => L.calibrate(scenario, 0.3, { ...N, nCal: 60 }));
  await step('expectedSpearman', () => L.expectedSpearman(scenario, [0.1, 0.5, -0.4], { ...N, nCal: 40 }));
  await step('nullDistribution', () => L.nullDistribution(scenario, { ...N, nPre: 5000 }));
  await step('ciBootstrap', () => L.ciBootstrap(scenario, { ...N, nReps: 8, nBoot: 100, nCal: 40 }));
  for (const generator of ['nonparametric', 'copula', 'linear']) {
    await step(`estimatePower ${generator}`, () => L.estimatePower(scenario, { ...N, generator, rho: 0.3, nSims: 200, nCal: 40, nPre: 2000 }));
  }
  await step('estimatePower t approximation', () => L.estimatePower(scenario, { ...N, rho: -0.3, nSims: 200, nCal: 40, usePermutationPvalue: false }));
  await step('estimatePower monte carlo', () => L.estimatePower(scenario, { ...N, rho: 0.3, nSims: 50, nCal: 40, nPerm: 50, pvalueMcOnCacheMiss: true, nPre: 3000 }));
  await step('minDetectableRho', () => L.minDetectableRho(scenario, { ...N, nSims: 200, nCal: 40, nPre: 2000 }));
  await step('powerCurve', () => L.powerCurve(scenario, [0.1, 0.3], { ...N, nSims: 100, nCal: 40, nPre: 2000 }));
  if (typeof L.clearPowerCache === 'function') L.clearPowerCache();

  await aborted('bootstrapBatch', (signal) => L.bootstrapBatch(xs, ys, { ...N, nBoot: 2e6, signal }));
  await aborted('calibrate', (signal) => L.calibrate(L.makeScenario({ case: 2, k: 5, shape: 'even' }), 0.3, { ...N, nCal: 2e5, signal }));
  await aborted('nullDistribution', (signal) => L.nullDistribution(L.makeScenario({ case: 3, k: 6, shape: 'even' }), { ...N, nPre: 2e7, signal }));
  await aborted('ciBootstrap', (signal) => L.ciBootstrap(scenario, { ...N, nReps: 1e5, nBoot: 500, nCal: 40, signal }));
  await aborted('minDetectableRho', (signal) => L.minDetectableRho(L.makeScenario({ case: 4, k: 7, shape: 'even' }), { ...N, nSims: 1e5, nCal: 40, usePermutationPvalue: false, signal }));

  await expectError('bootstrapCI NaN', () => L.bootstrapCI([1, NaN, 3], [1, 2, 3], N));
  await expectError('bootstrapBatch memoryLimit', () => L.bootstrapBatch(xs, ys, { ...N, nBoot: 1e8, memoryLimit: 2 ** 20 }));
  await expectError('counts', () => L.nullDistribution({ n: 10, counts: [5, 4], allDistinct: false }, N));
  await expectError('calibrate empirical without pool', () => L.calibrate(scenario, 0.3, { ...N, generator: 'empirical' }));

  // worker_threads stopped in the middle of every asynchronous binding (terminate and process.exit).
  // Not under memcheck (--no-worker-stops): the promise of a job whose realm stopped is never
  // settled, and N-API has no way to free a deferred without settling it, so Node's 8-byte handle
  // of each one shows as a definite leak that no code of the addon can avoid.
  if (!args.includes('--no-worker-stops')) {
    const stops = await require('./stop-workers.js').stopWorkers({ addonPath, libDir, rounds: 1, maxStopMs: 60000, log });
    summary.completed.push(`${stops.stops} workers stopped mid-call`);
  }
  if (!QUICK) {
    // the native fuzz on the same addon (no huge sizes: the sanitizer's allocator is the limit there)
    process.argv = [process.argv[0], 'fuzz-addon', '--addon', addonPath, '--iterations', opt('fuzz', '1500'), '--no-huge'];
    await require('./fuzz-addon.js').done;
  }
  // drop every native object the library still holds and let the GC run their finalizers, so
  // that leak checkers see only memory that is really lost
  if (typeof L.clearPowerCache === 'function') L.clearPowerCache();
  if (typeof L.clearNullCache === 'function') L.clearNullCache();
  if (typeof L.clearCalibrationCache === 'function') L.clearCalibrationCache();
  // (several rounds, with timers: a finalizer runs from a task V8 posts after the collection, and
  // under valgrind those tasks come late)
  for (let i = 0; i < 8 && global.gc; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 20));
  }
  // prove which binary ran: the addon file must be mapped into this process
  let mapped = 'unknown (no /proc)';
  try {
    mapped = require('node:fs').readFileSync('/proc/self/maps', 'utf8').includes(addonPath) ? addonPath : 'NOT MAPPED';
  } catch {
    // not Linux
  }
  if (mapped === 'NOT MAPPED') throw new Error(`the library did not load ${addonPath}`);
  process.stdout.write(`${JSON.stringify({ ok: true, addon: mapped, ...summary })}\n`);
}

// Jobs cancelled by the fuzz may settle after the sweep above (valgrind runs everything slowly);
// their handles become garbage then, and Node frees an external's bookkeeping only when the GC
// collects it. So collect again each time the event loop runs dry, a few times, before exiting.
let exitSweeps = 0;
process.on('beforeExit', () => {
  if (!global.gc || exitSweeps++ >= 4) return;
  global.gc();
  setTimeout(() => {}, 20); // one more turn of the loop, for the finalizers
});

main().catch((e) => {
  process.stderr.write(`workload: FAILED: ${(e && e.stack) || e}\n`);
  process.exit(1);
});
