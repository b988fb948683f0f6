#!/usr/bin/env node
// Fuzzes the native addon's backstop validation directly (no TypeScript layer in front): every
// binding is called with valid arguments mutated one field at a time (wrong types, NaN/Infinity,
// huge and negative sizes, mismatched lengths, wrong typed-array kinds, missing fields), and async
// jobs are cancelled at random points. The addon must never crash: every call returns or throws a
// JS error (coded ones are counted separately). Plain Node, no test framework, so it also runs
// under ASan/UBSan (scripts/sanitize.sh) and valgrind (scripts/valgrind.sh).
//
//   node test/native-checks/fuzz-addon.js [--addon path/to/spearsim.node] [--iterations N] [--seed S]
//                                         [--handles]   also pass handles of the wrong kind (tokens
//                                                       as power sets and vice versa)
// Exit code 0 = no crash; prints a summary line as JSON.
'use strict';
const path = require('node:path');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const REPO = path.resolve(__dirname, '..', '..');
const addonPath = opt('addon', undefined);
const addon = addonPath ? require(path.resolve(addonPath)) : require('node-gyp-build')(REPO);
const ITERATIONS = Number(opt('iterations', 3000));
const HANDLES = args.includes('--handles');
// --no-huge: no size above 2^24 (for sanitizer runs, whose allocator cannot be limited by ulimit)
const NO_HUGE = args.includes('--no-huge');
const small = (v) => !NO_HUGE || typeof v !== 'number' || Math.abs(v) <= 2 ** 24 || !Number.isFinite(v);

// xorshift32: deterministic and dependency-free
let state = Number(opt('seed', 12345)) >>> 0 || 1;
function rand() {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

const JUNK_ALL = [
  undefined, null, true, false, 0, -0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 64, -(2 ** 63), 1e308,
  '', 'abc', '12', {}, [], [1, 2], () => 1, Symbol('junk'), 0n, -1n, 2n ** 64n, 2n ** 63n, 12345678901234567890n,
  new Float64Array(0), new Float64Array([NaN, 1, 2]), new Float32Array(4), new Uint32Array(3), new Int32Array([-1, 5]), new Uint8Array(8),
  new BigUint64Array(2), new DataView(new ArrayBuffer(8)), new ArrayBuffer(16), Object.create(null),
];
const JUNK = JUNK_ALL.filter(small);

function f64(n, fn) {
  return Float64Array.from({ length: n }, (_, i) => fn(i));
}

function generatorSpec(n, kind = int(0, 3)) {
  const xTemplate = f64(n, (i) => Math.floor((i * 4) / n));
  const g = { kind, xTemplate, rowMoments: rand() < 0.5, mu: 1, sigma: 0.5 };
  if (kind === 3) g.pool = { fixed: f64(2, (i) => i + 1), fillSource: f64(5, (i) => i * 2 + 1), fillCount: n - 4, logUniformCount: 2, logLo: 0, logSpan: 1 };
  return g;
}

/** A valid argument object per binding (small sizes). */
const TEMPLATES = {
  rngSample: () => ({ key: BigInt(int(0, 1e6)), kind: pick(['u64', 'uniform', 'uniformOpen', 'normal', 'bounded', 'shuffle']), count: int(0, 50), range: int(1, 100) }),
  childKey: () => ({ key: 5n, label: BigInt(int(0, 100)) }),
  midranks: () => ({ values: f64(int(0, 30), () => int(0, 4)) }),
  spearman: () => {
    const n = int(2, 30);
    return { x: f64(n, () => int(0, 3)), y: f64(n, () => rand()) };
  },
  bootstrapStored: () => {
    const n = int(3, 25);
    const reps = int(1, 4);
    return {
      x: f64(n * reps, () => int(0, 3)), y: f64(n * reps, () => rand()), n, nReps: reps, nBoot: int(1, 300), alpha: 0.05, baseKey: 7n,
      repOffset: int(0, 5), firstBlock: int(0, 3), endpointSe: rand() < 0.5, chunkResamples: int(1, 256), threads: int(1, 3), keepRhos: rand() < 0.3,
    };
  },
  generateDatasets: () => ({ generator: generatorSpec(int(4, 30)), mixA: rand(), mixB: rand(), values: true, baseKey: 3n, repOffset: 0, count: int(1, 4) }),
  calibrate: () => ({
    generator: generatorSpec(int(4, 30), int(0, 2)), calKey: 9n, nCal: int(10, 60), probes: f64(int(0, 3), () => 0.1 + rand() * 0.8), rhos: f64(int(0, 3), () => rand() * 2 - 1),
    maxIter: int(1, 30), tolerance: 1e-4, hiCap: 0.99, memoryLimit: 2 ** 28, threads: int(1, 2),
  }),
  bootstrapGenerated: () => ({
    generator: generatorSpec(int(4, 30)), mixA: rand(), mixB: rand(), values: true, nReps: int(1, 5), nBoot: int(1, 200), alpha: 0.1, baseKey: 11n, repOffset: 0, firstBlock: int(0, 2),
    chunkResamples: int(1, 256), threads: int(1, 2),
  }),
  buildNull: () => ({ counts: Uint32Array.from({ length: int(2, 5) }, () => int(1, 10)), yCounts: new Uint32Array(0), keepSign: Math.random() < 0.5, nPre: int(1, 3000), nullKey: 13n, threads: int(1, 2) }),
  createPowerSet: () => {
    const counts = [int(2, 8), int(2, 8), int(2, 8)];
    const n = counts[0] + counts[1] + counts[2];
    const method = int(0, 2);
    return {
      generator: { kind: int(0, 2), xTemplate: f64(n, (i) => (i < counts[0] ? 0 : i < counts[0] + counts[1] ? 1 : 2)), rowMoments: false, mu: 0, sigma: 1 },
      counts: Uint32Array.from(counts), powerKey: 17n, nSims: int(1, 200), values: rand() < 0.5, method, alpha: 0.05,
      sortedNull: Float64Array.from({ length: 100 }, (_, i) => i / 100), nPerm: method === 1 ? int(1, 50) : 0, tCrit: 2.0, keepSets: rand() < 0.5,
      threads: int(1, 2), memoryLimit: 2 ** 28, fixedBytes: 0,
    };
  },
  powerRequest: () => ({ mixA: rand(), mixB: rand(), keepPerSim: rand() < 0.5 }),
};

/** A copy of `o` with one field (possibly nested one level) replaced, deleted or resized. */
function mutate(o) {
  const out = { ...o };
  const keys = Object.keys(out);
  if (keys.length === 0 || rand() < 0.05) return pick(JUNK);
  const k = pick(keys);
  const r = rand();
  if (r < 0.15) delete out[k];
  else if (r < 0.3 && out[k] && typeof out[k] === 'object' && !ArrayBuffer.isView(out[k])) out[k] = mutate(out[k]);
  else if (r < 0.45 && ArrayBuffer.isView(out[k]) && !(out[k] instanceof DataView)) {
    // resize or refill a typed array
    const T = out[k].constructor;
    out[k] = rand() < 0.5 ? new T(int(0, 3)) : T.from({ length: out[k].length + int(1, 5) }, () => (T === BigUint64Array ? 1n : pick([0, 1, -1, NaN, 1e300, 2 ** 32])));
  } else if (r < 0.6 && typeof out[k] === 'number') out[k] = pick([0, -1, 1.5, NaN, Infinity, 2 ** 31, 2 ** 32, 2 ** 40, 2 ** 53, 1e308, -(2 ** 53)].filter(small));
  else out[k] = pick(JUNK);
  return out;
}

const stats = { calls: 0, returned: 0, coded: 0, uncoded: 0, cancelled: 0, uncodedSamples: {} };

function record(e) {
  if (e && typeof e.code === 'string' && e.code.startsWith('ERR_')) stats.coded++;
  else {
    stats.uncoded++;
    const key = `${e && e.name}: ${String(e && e.message).slice(0, 80)}`;
    stats.uncodedSamples[key] = (stats.uncodedSamples[key] || 0) + 1;
  }
}

async function call(fn) {
  stats.calls++;
  if (TRACE) fs.writeSync(2, `  call ${fn.toString().slice(0, 120).replace(/\s+/g, ' ')}\n`);
  try {
    const r = fn();
    if (r && typeof r.then === 'function') await r;
    stats.returned++;
  } catch (e) {
    record(e);
  }
}

// A job still running after DEADLINE_MS is cancelled (valid arguments may ask for hours of work);
// it must then settle within STOP_MS, else the fuzz fails: that is a hang.
const DEADLINE_MS = 2000;
const STOP_MS = 5000;
stats.deadlineCancels = 0;

/** Starts an async job, cancelling it at a random point (now, after a tick, or at the deadline). */
async function asyncJob(start) {
  const token = addon.createCancelToken();
  const when = rand();
  const progress = rand() < 0.3 ? () => {} : rand() < 0.5 ? null : pick(JUNK);
  let deadline;
  let hang;
  await call(() => {
    const p = start(token, progress);
    if (when < 0.2) addon.cancel(token);
    else if (when < 0.4) setImmediate(() => addon.cancel(token));
    if (when < 0.4) stats.cancelled++;
    if (!p || typeof p.then !== 'function') return p;
    deadline = setTimeout(() => {
      stats.deadlineCancels++;
      addon.cancel(token);
      hang = setTimeout(() => {
        process.stderr.write(`fuzz-addon: HANG: a job did not stop within ${STOP_MS} ms of its cancellation\n`);
        process.exit(3);
      }, STOP_MS);
    }, DEADLINE_MS);
    return p;
  });
  clearTimeout(deadline);
  clearTimeout(hang);
}

const TRACE = args.includes('--trace');
const fs = require('node:fs');
function describe(v) {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : ArrayBuffer.isView(x) ? `${x.constructor.name}(${x.length})` : typeof x === 'symbol' || typeof x === 'function' ? String(x) : x));
}

async function main() {
  const sets = [];
  for (let i = 0; i < ITERATIONS; i++) {
    if (TRACE) fs.writeSync(2, `#${i}\n`);
    const which = pick(['rngSample', 'childKey', 'midranks', 'spearman', 'bootstrapStored', 'generateDatasets', 'calibrate', 'bootstrapGenerated', 'buildNull', 'power', 'power', 'misc']);
    const valid = rand() < 0.25;
    const arg = (name) => {
      const a = valid ? TEMPLATES[name]() : mutate(TEMPLATES[name]());
      if (TRACE) fs.writeSync(2, `  ${name} ${describe(a)}\n`);
      return a;
    };
    switch (which) {
      case 'rngSample':
      case 'childKey':
      case 'midranks':
      case 'spearman':
      case 'generateDatasets':
        await call(() => addon[which](arg(which)));
        break;
      case 'bootstrapStored':
      case 'calibrate':
      case 'bootstrapGenerated':
      case 'buildNull':
        await asyncJob((token, cb) => addon[which](arg(which), token, cb));
        break;
      case 'power': {
        if (sets.length === 0 || rand() < 0.3) {
          await call(() => {
            const s = addon.createPowerSet(arg('createPowerSet'));
            if (s !== undefined) sets.push(s);
          });
        }
        if (sets.length === 0) break;
        const set = pick(sets);
        const r = rand();
        if (r < 0.4) await asyncJob((token, cb) => addon.powerEvaluate(set, arg('powerRequest'), token, cb));
        else if (r < 0.7) await call(() => addon.powerEvaluateSync(set, arg('powerRequest')));
        else if (r < 0.85) {
          // release while an evaluation may still be running, and release twice
          let p = Promise.resolve();
          try {
            const token = addon.createCancelToken();
            const stop = setTimeout(() => addon.cancel(token), DEADLINE_MS);
            p = addon.powerEvaluate(set, TEMPLATES.powerRequest(), token, null).catch(record).finally(() => clearTimeout(stop));
          } catch (e) {
            record(e); // already released
          }
          await call(() => addon.releasePowerSet(set));
          await p;
          await call(() => addon.releasePowerSet(set));
        } else await call(() => addon.powerEvaluateSync(pick(JUNK), TEMPLATES.powerRequest()));
        if (sets.length > 8) sets.splice(0, 4);
        break;
      }
      default: {
        // junk everywhere: no arguments, junk tokens and callbacks, cancel of non-tokens
        const name = pick(['rngSample', 'midranks', 'bootstrapStored', 'buildNull', 'calibrate', 'bootstrapGenerated', 'createPowerSet', 'powerEvaluate', 'cancel', 'releasePowerSet', 'setThreadBudget', 'threadBudget', 'resetThreadPeak']);
        await call(() => addon[name](pick(JUNK), pick(JUNK), pick(JUNK)));
        await call(() => addon[name]());
        if (HANDLES && sets.length > 0) {
          // handles of the wrong kind: a power set as a cancel token and a token as a power set
          const token = addon.createCancelToken();
          await call(() => addon.buildNull(TEMPLATES.buildNull(), pick(sets), null));
          await call(() => addon.cancel(pick(sets)));
          await call(() => addon.powerEvaluateSync(token, TEMPLATES.powerRequest()));
          await call(() => addon.releasePowerSet(token));
        }
      }
    }
  }
  for (const s of sets) await call(() => addon.releasePowerSet(s));
  addon.setThreadBudget(0); // a junk limit that happened to be valid ends with the run
  if (global.gc) global.gc();
  process.stdout.write(`${JSON.stringify({ ok: true, iterations: ITERATIONS, ...stats })}\n`);
}

/** Resolves when the fuzz is done (workload.js awaits it when it runs this file in-process). */
exports.done = main().catch((e) => {
  process.stderr.write(`fuzz-addon: unexpected failure outside a call: ${(e && e.stack) || e}\n`);
  process.exit(1);
});
