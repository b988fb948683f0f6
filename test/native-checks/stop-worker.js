// worker_threads body for stop-workers.js: loads the library on the chosen addon, starts one long
// call whose native job is `workerData.binding`, says when that binding has been entered and, in
// mode 'exit', calls process.exit() from inside the worker shortly after.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');

const { addonPath, libDir, binding, mode, progress, delayMs } = workerData;
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'node-gyp-build') return () => originalLoad.call(this, addonPath, parent, isMain);
  return originalLoad.call(this, request, parent, isMain);
};
// libDir is compiled JS (dist/, build-asan/dist/) or the TypeScript sources (lib/, through ts-node)
const ext = fs.existsSync(path.join(libDir, 'index.ts')) ? '.ts' : '.js';
if (ext === '.ts') {
  process.env.TS_NODE_PROJECT = path.join(libDir, '..', 'tsconfig.json');
  require(path.join(libDir, '..', 'node_modules', 'ts-node', 'register', 'transpile-only'));
}
const L = require(path.join(libDir, `index${ext}`));
const { loadAddon } = require(path.join(libDir, 'internal', `native${ext}`));

const N = { verbose: 0, threads: 2, native: 'require', ...(progress ? { onProgress: () => {} } : {}) };
const scenario = { case: 1, k: 4, shape: 'even' };
const reps = (count, n) => Array.from({ length: count }, (_, r) => Array.from({ length: n }, (_, i) => ((i * 7 + r) % 4) + ((i * 13 + r) % 11) / 100));
const big = { x: Array.from({ length: 200000 }, (_, i) => i % 7), y: Array.from({ length: 200000 }, (_, i) => (i * 7919) % 100003) };
// one long call per async binding: each runs for seconds on two threads (the jackknife may finish
// first: the stop then lands after the job, which must be fine too)
const RECIPES = {
  bootstrapStored: () => L.bootstrapBatch(reps(200, 200), reps(200, 200).map((y) => y.map((v, i) => v + (i % 17))), { ...N, nBoot: 20000 }),
  bootstrapGenerated: () => L.ciBootstrap(scenario, { ...N, nReps: 4000, nBoot: 4000, nCal: 100 }),
  calibrate: () => L.calibrate({ case: 2, k: 5, shape: 'even' }, 0.3, { ...N, nCal: 4e5 }),
  buildNull: () => L.nullDistribution({ n: 300, counts: [100, 100, 100], allDistinct: false }, { ...N, nPre: 5e6 }),
  powerEvaluate: () => L.estimatePower(scenario, { ...N, rho: 0.3, nSims: 2e6, nCal: 100, nPre: 5000 }),
  permutationTest: () => L.spearmanTest(big.x, big.y, { ...N, method: 'permutation', nPerm: 1e7 }),
  jackknife: () => L.bootstrapCI(big.x, big.y, { ...N, method: 'bca', nBoot: 200 }),
};

const addon = loadAddon().addon;
const recipe = RECIPES[binding];
if (!addon || !recipe) {
  parentPort.postMessage({ error: !addon ? `addon ${addonPath} did not load` : `no recipe for the async binding ${binding}` });
} else {
  const original = addon[binding];
  addon[binding] = function entered(...args) {
    const job = original.apply(this, args);
    parentPort.postMessage({ started: binding });
    if (mode === 'exit') setTimeout(() => process.exit(0), delayMs);
    return job;
  };
  recipe().then(
    () => parentPort.postMessage({ finished: binding }),
    (e) => parentPort.postMessage({ error: `${binding}: ${e.code} ${e.message}` }),
  );
}
