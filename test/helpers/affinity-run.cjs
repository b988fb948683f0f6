// Runs a bootstrap on 2 and 1 threads, then prints each thread's name and allowed CPUs, the
// process's allowed CPUs, the native thread budget and the results (for test/concurrency pinning).
const fs = require('node:fs');
const path = require('node:path');
const dist = path.resolve(__dirname, '..', '..', 'dist');
const { bootstrapBatch } = require(path.join(dist, 'index.js'));
const { loadAddon } = require(path.join(dist, 'internal', 'native.js'));

const field = (status, name) => status.match(new RegExp(`${name}:\\s*(.*)`))[1].trim();

(async () => {
  const x = [];
  const y = [];
  for (let r = 0; r < 50; r++) {
    x.push(Array.from({ length: 40 }, (_, i) => i % 5));
    y.push(Array.from({ length: 40 }, (_, i) => ((i * 13 + r) % 41) + 0.25 * (i % 2)));
  }
  const results = [];
  for (const threads of [2, 1]) {
    const r = await bootstrapBatch(x, y, { nBoot: 2000, threads, seed: 3, verbose: 0 });
    results.push(Array.from(r.reps.lo).concat(Array.from(r.reps.hi)));
  }
  const threads = fs.readdirSync('/proc/self/task').map((task) => {
    const status = fs.readFileSync(`/proc/self/task/${task}/status`, 'utf8');
    return { name: field(status, 'Name'), cpus: field(status, 'Cpus_allowed_list') };
  });
  const processCpus = field(fs.readFileSync('/proc/self/status', 'utf8'), 'Cpus_allowed_list');
  console.log(JSON.stringify({ results, threads, processCpus, budget: loadAddon().addon.threadBudget() }));
})();
