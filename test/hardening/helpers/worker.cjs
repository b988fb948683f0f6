// worker_threads body for the concurrency tests: loads lib/ through ts-node (transpile only), runs
// the calls it is given concurrently and posts their results. With workerData.waitForGo it first
// posts { ready: true } and waits for a 'go' message, so that all workers compute at the same time.
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const repo = path.resolve(__dirname, '..', '..', '..');
process.env.TS_NODE_PROJECT = path.join(repo, 'tsconfig.json');
require(path.join(repo, 'node_modules', 'ts-node', 'register', 'transpile-only'));
const { runCalls } = require('./calls.ts');

function run() {
  runCalls(workerData.calls).then(
    (results) => parentPort.postMessage({ results }),
    (error) => parentPort.postMessage({ error: String((error && error.stack) || error) }),
  );
}

if (workerData.waitForGo) {
  parentPort.once('message', run);
  parentPort.postMessage({ ready: true });
} else {
  run();
}
