// worker_threads body for test/hardening/concurrency.test.ts: loads lib/ through ts-node (transpile
// only), runs the calls it is given and posts their results (typed arrays as plain arrays).
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const repo = path.resolve(__dirname, '..', '..', '..');
process.env.TS_NODE_PROJECT = path.join(repo, 'tsconfig.json');
require(path.join(repo, 'node_modules', 'ts-node', 'register', 'transpile-only'));
const { runCalls } = require('./calls.ts');

runCalls(workerData.calls).then(
  (results) => parentPort.postMessage({ results }),
  (error) => parentPort.postMessage({ error: String((error && error.stack) || error) }),
);
