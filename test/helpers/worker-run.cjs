// Runs the same bootstrap serially and from 4 worker_threads at once (each asking for 2 kernel
// threads); prints both as JSON, with the process-wide thread budget seen during the parallel part.
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');
const dist = path.resolve(__dirname, '..', '..', 'dist');
const { bootstrapBatch } = require(path.join(dist, 'index.js'));
const { loadAddon } = require(path.join(dist, 'internal', 'native.js'));

function datasets(seed) {
  const x = [];
  const y = [];
  for (let r = 0; r < 20; r++) {
    x.push(Array.from({ length: 40 }, (_, i) => (i * 7 + r + seed) % 5));
    y.push(Array.from({ length: 40 }, (_, i) => ((i * 13 + r * 3 + seed) % 41) + 0.5 * (i % 3)));
  }
  return { x, y };
}

async function run(seed) {
  const { x, y } = datasets(seed);
  const r = await bootstrapBatch(x, y, { nBoot: 4000, seed, threads: 2, verbose: 0 });
  return Array.from(r.reps.lo).concat(Array.from(r.reps.hi));
}

if (isMainThread) {
  (async () => {
    const serial = [];
    for (let w = 0; w < 4; w++) serial.push(await run(w));
    const { addon } = loadAddon();
    if (addon) addon.resetThreadPeak();
    const parallel = await Promise.all(
      [0, 1, 2, 3].map(
        (w) =>
          new Promise((resolve, reject) => {
            const worker = new Worker(__filename, { workerData: w });
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    const budget = addon ? addon.threadBudget() : null;
    console.log(JSON.stringify({ serial, parallel, budget }));
  })();
} else {
  run(workerData).then((v) => parentPort.postMessage(v));
}
