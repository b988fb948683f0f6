// Runs the same bootstrap serially and from 4 worker_threads at once; prints both as JSON.
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');
const { bootstrapBatch } = require(path.resolve(__dirname, '..', '..', 'dist', 'index.js'));

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
  const r = await bootstrapBatch(x, y, { nBoot: 500, seed, threads: 1, verbose: 0 });
  return Array.from(r.reps.lo).concat(Array.from(r.reps.hi));
}

if (isMainThread) {
  (async () => {
    const serial = [];
    for (let w = 0; w < 4; w++) serial.push(await run(w));
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
    console.log(JSON.stringify({ serial, parallel }));
  })();
} else {
  run(workerData).then((v) => parentPort.postMessage(v));
}
