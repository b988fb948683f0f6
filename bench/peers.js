'use strict';
// Bench groups `peers` and `startup` (see bench/README.md).
//
// peers: the same real-data work through spearsim, R (coin::spearman_test, boot + boot.ci) and
// scipy (permutation_test, bootstrap), side by side in one child process. Each peer runs as one
// long-lived process (bench/peers/server.R, server.py) that answers one command per line, so its
// start-up and library loading are not timed; a call's time is the round trip of one command.
// A peer that is not installed makes its variants `unavailable` with a message; the group never
// fails for it.
//
// startup: the cold start of a fresh Node process: bare, require('spearsim'), `spearsim --help`,
// an ES module import, and a first statistic.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const { ROOT } = require('./common');

const PEER_N = [100, 1000];
const PERM_RESAMPLES = 1e5;
const BCA_RESAMPLES = 1e4;

class Unavailable extends Error {
  constructor(reason) {
    super(reason);
    this.unavailable = true;
  }
}

/** Tie-heavy data: x on 5 levels, y = round(0.3 x + 3 u) on 4-5 levels. */
function peerData(api, n) {
  const rng = new api.Rng(api.rootKey(11 + n));
  const x = Float64Array.from({ length: n }, () => rng.bounded(5));
  const y = Float64Array.from(x, (v) => Math.round(0.3 * v + 3 * rng.uniform()));
  return { x, y };
}

/**
 * A long-lived peer process speaking the line protocol of bench/peers/server.*. It ends when its
 * stdin closes, i.e. when the group's child process exits.
 */
class Peer {
  constructor(command, args) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.pending = [];
    this.buffer = '';
    this.stderr = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk) => {
      this.buffer += chunk;
      let at;
      while ((at = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, at).trim();
        this.buffer = this.buffer.slice(at + 1);
        const next = this.pending.shift();
        if (next) (line.startsWith('ok') ? next.resolve(line.slice(2).trim()) : next.reject(new Error(`${command}: ${line}`)));
      }
    });
    this.child.stderr.on('data', (chunk) => {
      this.stderr += chunk;
    });
    this.child.on('exit', () => {
      for (const p of this.pending.splice(0)) p.reject(new Error(`${command} exited: ${this.stderr.slice(-300)}`));
    });
  }
  ask(line) {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(`${line}\n`);
    });
  }
}

const peers = new Map();
/** The peer process of `kind` ('R' or 'scipy'), started once per group child; throws Unavailable if absent. */
function peer(kind) {
  if (peers.has(kind)) return peers.get(kind);
  let made;
  if (kind === 'R') {
    const probe = spawnSync('Rscript', ['-e', 'suppressMessages({library(boot); library(coin)})'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      made = new Unavailable('R with the boot and coin packages is not installed (Debian: apt-get install r-base-core r-cran-boot r-cran-coin)');
    } else {
      made = new Peer('Rscript', [path.join(__dirname, 'peers', 'server.R')]);
    }
  } else {
    const probe = spawnSync('python3', ['-c', 'import scipy.stats'], { encoding: 'utf8' });
    made = probe.error || probe.status !== 0 ? new Unavailable('python3 with scipy is not installed') : new Peer('python3', [path.join(__dirname, 'peers', 'server.py')]);
  }
  peers.set(kind, made);
  return made;
}

function csvOf(data) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-bench-peers-')), 'data.csv');
  const rows = Array.from(data.x, (v, i) => `${v},${data.y[i]}`);
  fs.writeFileSync(file, `x,y\n${rows.join('\n')}\n`);
  return file;
}

/** A variant whose call is one command to a peer (after loading its dataset, untimed). */
async function peerCall(kind, data, command) {
  const p = peer(kind);
  if (p instanceof Unavailable) throw p;
  const name = `n${data.x.length}`;
  await p.ask(`load ${name} ${csvOf(data)}`);
  let last = '';
  const fn = async () => {
    last = await p.ask(`${command} ${name}`);
    return last;
  };
  fn.describe = () => ({ answer: last });
  return fn;
}

const PEER_TIMING = 'one command to a long-lived R or python3 process (round trip through a pipe; the peer loads its libraries and the data before timing)';

function peersGroup() {
  return {
    name: 'peers',
    tags: ['peers', 'realdata'],
    modes: ['full'],
    onlyWhenNamed: true, // R boot's BCa at n = 1000 takes over a minute a call: not part of a default run
    description:
      `real-data work on tie-heavy data (x on 5 levels, y on 4-5) at n = ${PEER_N.join(' and ')}: the Monte Carlo permutation test ` +
      `(${PERM_RESAMPLES} resamples) and the BCa bootstrap interval (${BCA_RESAMPLES} resamples) through spearsim, R and scipy`,
    variants: (ctx) => {
      const out = [];
      for (const n of PEER_N) {
        let made;
        const data = () => (made ??= peerData(ctx.api, n)); // built at setup: listing the variants needs no data
        const base = { threads: ctx.threads, units: 1, params: { n, levelsX: 5 } };
        out.push(
          {
            ...base,
            name: `peers.perm.${n}.spearsim`,
            description: `spearmanTest(x, y, { nPerm: ${PERM_RESAMPLES}, reuseNull: false }) (native, Monte Carlo)`,
            timing: 'public call',
            unit: 'test',
            setup: () => {
              let last;
              const fn = async () => (last = await ctx.api.spearmanTest(data().x, data().y, { nPerm: PERM_RESAMPLES, reuseNull: false, threads: ctx.threads, native: 'require' }));
              fn.describe = () => ({ answer: `${last.pValue}` });
              return fn;
            },
          },
          { ...base, name: `peers.perm.${n}.coin`, description: `R coin::spearman_test, approximate(nresample = ${PERM_RESAMPLES})`, timing: PEER_TIMING, unit: 'test', threads: 1, setup: () => peerCall('R', data(), 'perm') },
          { ...base, name: `peers.perm.${n}.scipy`, description: `scipy.stats.permutation_test, pairings, ${PERM_RESAMPLES} resamples, vectorized (batches of 1e4)`, timing: PEER_TIMING, unit: 'test', threads: 1, setup: () => peerCall('scipy', data(), 'perm') },
          {
            ...base,
            name: `peers.bca.${n}.spearsim`,
            description: `bootstrapCI(x, y, { method: 'bca', nBoot: ${BCA_RESAMPLES} }) (native)`,
            timing: 'public call',
            unit: 'interval',
            setup: () => {
              let last;
              const fn = async () => (last = await ctx.api.bootstrapCI(data().x, data().y, { method: 'bca', nBoot: BCA_RESAMPLES, threads: ctx.threads, native: 'require' }));
              fn.describe = () => ({ answer: `${last.ciLower} ${last.ciUpper}` });
              return fn;
            },
          },
          { ...base, name: `peers.bca.${n}.boot`, description: `R boot::boot (R = ${BCA_RESAMPLES}) + boot.ci(type = "bca")`, timing: PEER_TIMING, unit: 'interval', threads: 1, setup: () => peerCall('R', data(), 'bca') },
          { ...base, name: `peers.bca.${n}.scipy`, description: `scipy.stats.bootstrap, paired, vectorized, BCa, ${BCA_RESAMPLES} resamples`, timing: PEER_TIMING, unit: 'interval', threads: 1, setup: () => peerCall('scipy', data(), 'bca') },
        );
      }
      return out;
    },
    comparisons: () =>
      PEER_N.flatMap((n) => [
        { name: `permutation n=${n}: spearsim vs coin`, fast: `peers.perm.${n}.spearsim`, slow: `peers.perm.${n}.coin`, target: { op: '>=', value: 4, source: 'issue: >= 4x faster than coin' } },
        { name: `permutation n=${n}: spearsim vs scipy`, fast: `peers.perm.${n}.spearsim`, slow: `peers.perm.${n}.scipy` },
        { name: `BCa n=${n}: spearsim vs scipy`, fast: `peers.bca.${n}.spearsim`, slow: `peers.bca.${n}.scipy`, target: { op: '>=', value: 20, source: 'issue: >= 20x faster than scipy' } },
        { name: `BCa n=${n}: spearsim vs R boot`, fast: `peers.bca.${n}.spearsim`, slow: `peers.bca.${n}.boot`, target: { op: '>=', value: 150, source: 'issue: >= 150x faster than R boot' } },
      ]),
  };
}

/** Wall milliseconds of one fresh `node args...` process. */
function nodeRun(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${String(r.stderr).slice(0, 300)}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function startupGroup() {
  const requireLine = `require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))})`;
  const call = (args) => () => nodeRun(args);
  // require('spearsim') minus bare Node, both timed in this call (reported on the `kernel` clock slot)
  const overBare = () => {
    const fn = () => ({ kernelMs: nodeRun(['-e', requireLine]) - nodeRun(['-e', '0']) });
    fn.clock = 'kernel';
    return fn;
  };
  const timing = 'wall time of a fresh node process (spawnSync), start to exit';
  return {
    name: 'startup',
    tags: ['startup'],
    description: 'cold start: a fresh Node process, bare, with require(spearsim), and spearsim --help',
    variants: (ctx) => [
      { name: 'startup.node', description: 'node -e 0 (bare Node)', timing, threads: 1, units: 1, unit: 'process', setup: () => call(['-e', '0']) },
      { name: 'startup.require', description: "node -e \"require('spearsim')\"", timing, threads: 1, units: 1, unit: 'process', setup: () => call(['-e', requireLine]) },
      {
        name: 'startup.require-over-node',
        description: "require('spearsim') minus bare Node, one of each per call",
        timing: 'difference of two fresh processes timed back to back in the call',
        threads: 1, units: 1, unit: 'process',
        setup: overBare,
      },
      { name: 'startup.help', description: 'spearsim --help', timing, threads: 1, units: 1, unit: 'process', setup: () => call([path.join(ROOT, 'bin', 'spearsim.js'), '--help']) },
      // an ES module import binds every export, so it loads the whole package (docs/ARCHITECTURE.md)
      {
        name: 'startup.import', description: "node --input-type=module -e \"import 'spearsim'\" (the ES module entry)", timing, threads: 1, units: 1, unit: 'process',
        setup: () => call(['--input-type=module', '-e', `import ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'index.mjs')).href)};`]),
      },
      // what lazy loading defers: the first statistic of a fresh process loads its modules (and the addon)
      {
        name: 'startup.first-test', description: "require('spearsim') and one spearmanTest (n = 20, t method)", timing, threads: 1, units: 1, unit: 'process',
        setup: () => call(['-e', `${requireLine}.spearmanTest(Array.from({length: 20}, (_, i) => i % 4), Array.from({length: 20}, (_, i) => i), {method: 't'})`]),
      },
    ],
    targets: () => [
      { id: 'startup.require-over-node', description: "require('spearsim') at most 30 ms above bare Node", workload: 'startup.require-over-node', metric: 'median_ms', op: '<=', value: 30 },
      { id: 'startup.help', description: 'spearsim --help under 100 ms', workload: 'startup.help', metric: 'median_ms', op: '<', value: 100 },
    ],
  };
}

module.exports = { peersGroup, startupGroup };
