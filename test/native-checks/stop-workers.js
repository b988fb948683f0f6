#!/usr/bin/env node
// Stops worker_threads in the middle of every asynchronous native call, in a loop: worker.terminate()
// from this thread, or process.exit() inside the worker, a few milliseconds after the binding was
// entered, with and without a progress callback. This process must survive every stop, each stop
// must end the worker promptly (the job is cancelled, not run to its end), and the process-wide
// thread budget must be whole again after each one. Afterwards a call in this thread still works.
//
//   node test/native-checks/stop-workers.js [--addon build/Release/spearsim.node] [--lib dist] [--rounds 1]
//
// or, in a process that already runs a workload (test/native-checks/workload.js):
// require('./stop-workers.js').stopWorkers({ addonPath, libDir, rounds }).
//
// The asynchronous bindings are read from native/binding/*.cc (every function that queues a
// JobWorker), so a new one without a recipe in stop-worker.js fails here. Prints one JSON line;
// exit code 0 = every stop passed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const REPO = path.resolve(__dirname, '..', '..');

/** Names of the bindings that return a promise (their C++ function queues a JobWorker). */
function asyncBindings() {
  const dir = path.join(REPO, 'native', 'binding');
  const names = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cc'))) {
    const src = fs.readFileSync(path.join(dir, file), 'utf8');
    const bodies = src.split(/\n(?=Napi::Value \w+\(const Napi::CallbackInfo& info\) \{)/);
    for (const body of bodies) {
      const fn = /^Napi::Value (\w+)\(const Napi::CallbackInfo& info\)/.exec(body)?.[1];
      if (!fn || !/JobWorker<\w+>::Start/.test(body)) continue;
      const exported = new RegExp(`exports\\.Set\\("(\\w+)",\\s*Napi::Function::New\\(env,\\s*(?:Guarded<)?${fn}\\b`).exec(src);
      if (!exported) throw new Error(`${file}: ${fn} queues a job but is not exported under a name found here`);
      names.push(exported[1]);
    }
  }
  return names.sort();
}

function stopOnce({ addonPath, libDir }, binding, mode, progress, delayMs) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'stop-worker.js'), { workerData: { addonPath, libDir, binding, mode, progress, delayMs } });
    let stoppedAt = 0;
    let outcome = 'stopped';
    worker.on('message', (m) => {
      if (m.error) reject(new Error(m.error));
      else if (m.finished) outcome = 'finished first';
      else if (m.started) {
        stoppedAt = Date.now() + (mode === 'exit' ? delayMs : 0);
        if (mode === 'terminate') setTimeout(() => worker.terminate(), delayMs);
      }
    });
    worker.on('error', reject);
    worker.on('exit', () => {
      if (!stoppedAt) return reject(new Error(`${binding}: the worker ended before the binding was entered`));
      resolve({ outcome, ms: Math.max(0, Date.now() - stoppedAt - (mode === 'terminate' ? delayMs : 0)) });
    });
  });
}

/**
 * Runs the stops; resolves to a summary, rejects on the first failure. maxStopMs: the slowest stop
 * allowed (a cancelled job stops within one chunk of work; sanitizers make chunks slower).
 */
async function stopWorkers({ addonPath, libDir, rounds = 1, maxStopMs = 5000, log = () => {} }) {
  const addon = require(addonPath); // the same shared library the workers load: one thread budget
  const bindings = asyncBindings();
  const summary = { ok: true, bindings, stops: 0, finishedFirst: 0, slowestStopMs: 0, budgetAfter: null };
  let index = 0;
  for (let round = 0; round < rounds; round++) {
    for (const [b, binding] of bindings.entries()) {
      for (const [m, mode] of ['terminate', 'exit'].entries()) {
        const progress = (round + b + m) % 2 === 0; // every pairing over two rounds
        const delayMs = (index * 7) % 41; // 0..40 ms after entry: before, during and after thread start-up
        index++;
        const r = await stopOnce({ addonPath, libDir }, binding, mode, progress, delayMs);
        const budget = addon.threadBudget();
        if (budget.inUse !== 0) throw new Error(`${binding} ${mode}: ${budget.inUse} kernel threads still held after the worker ended`);
        if (r.ms > maxStopMs) throw new Error(`${binding} ${mode}: the worker took ${r.ms} ms to stop`);
        summary.stops++;
        if (r.outcome === 'finished first') summary.finishedFirst++;
        summary.slowestStopMs = Math.max(summary.slowestStopMs, r.ms);
        log(`${binding} ${mode}${progress ? ' +progress' : ''} after ${delayMs} ms: ${r.outcome}, ended in ${r.ms} ms`);
      }
    }
  }
  // this process and its job machinery still work
  const token = addon.createCancelToken();
  const sorted = await addon.buildNull({ counts: new Uint32Array([10, 10, 10]), yCounts: new Uint32Array(0), keepSign: false, nPre: 2000, nullKey: 1n, threads: 2 }, token, null);
  if (!(sorted instanceof Float64Array) || sorted.length !== 2000) throw new Error('a call after the stops gave no result');
  summary.budgetAfter = addon.threadBudget();
  return summary;
}

module.exports = { stopWorkers, asyncBindings };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  stopWorkers({
    addonPath: path.resolve(opt('addon', path.join(REPO, 'build', 'Release', 'spearsim.node'))),
    libDir: path.resolve(opt('lib', path.join(REPO, 'dist'))),
    rounds: Number(opt('rounds', '1')),
    maxStopMs: Number(opt('max-stop-ms', '5000')),
    log: (line) => process.stderr.write(`stop-workers: ${line}\n`),
  }).then(
    (summary) => process.stdout.write(`${JSON.stringify(summary)}\n`),
    (e) => {
      process.stderr.write(`stop-workers: FAILED: ${e.stack || e}\n`);
      process.exit(1);
    },
  );
}
