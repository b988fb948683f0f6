#!/usr/bin/env node
'use strict';
// Performance regression check: `npm run bench:check -- [flags]` / `node bench/check.js [flags]`.
//
// Runs the benchmarks (or reads a results file), and compares each workload's ratio to the in-run
// reference loop (bench/ref.js) with the ratio stored in bench/baseline.json. Ratios cancel most
// of the machine's speed and momentary load; a workload whose ratio grew by more than the
// threshold (default 25%) is a regression and the check exits 1 with a table saying which.
// `--update-baseline` rewrites the baseline entries of the mode just run from this run.
const fs = require('node:fs');
const path = require('node:path');
const common = require('./common');
const run = require('./run');

const DEFAULT_THRESHOLD = 0.25;
const BASELINE = path.join(__dirname, 'baseline.json');
const USAGE = `usage: node bench/check.js [flags] [-- run flags]   (npm run bench:check -- [flags])
  --quick              check the quick workloads (what CI runs)
  --threshold X        regression threshold as a fraction (default: the baseline's, else ${DEFAULT_THRESHOLD} = 25%)
  --baseline FILE      baseline file (default bench/baseline.json)
  --results FILE       compare an existing results JSON instead of running the benchmarks
  --update-baseline    write this run's ratios into the baseline (for its mode) and exit 0
  --retries N          re-run the groups of regressed workloads up to N times and keep each workload's
                       best ratio, so one noisy moment does not fail the check (default 1)
  --runs N, --only LIST, --threads N, --no-build, --out FILE, --wait-quiet S   passed to the benchmark run
  --json               print the comparison as one JSON object on stdout
Threads default to the baseline's thread count, so machines with more cores compare like with like.`;

function parseArgs(argv) {
  const o = { threshold: null, baseline: BASELINE, results: null, update: false, json: false, retries: 1, runArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const flag = a.split('=')[0];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (flag) {
      case '--threshold': {
        const v = Number(value());
        if (!(v > 0 && v < 10)) throw new Error('--threshold must be a fraction such as 0.25');
        o.threshold = v;
        break;
      }
      case '--baseline': o.baseline = path.resolve(value()); break;
      case '--results': o.results = path.resolve(value()); break;
      case '--update-baseline': o.update = true; break;
      case '--retries': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 0) throw new Error('--retries must be an integer >= 0');
        o.retries = v;
        break;
      }
      case '--json': o.json = true; break;
      case '-h': case '--help': o.help = true; break;
      case '--quick': case '--full': case '--no-build': o.runArgs.push(a); break;
      case '--runs': case '--only': case '--threads': case '--out': case '--budget-ms': case '--wait-quiet': o.runArgs.push(flag, value()); break;
      case '--': break;
      default: throw new Error(`unknown flag ${a}\n${USAGE}`);
    }
  }
  return o;
}

function readBaseline(file) {
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Workloads that can be compared: status ok, a ratio to the reference, and not excluded. */
function comparable(results) {
  const out = {};
  for (const [name, w] of Object.entries(results.workloads)) {
    if (w.status === 'ok' && Number.isFinite(w.refRatio) && w.group !== 'smoke') out[name] = w;
  }
  return out;
}

/** Rows of the comparison; status regressed / error / ok / improved / new / missing. */
function compareRuns(results, baseEntries, threshold) {
  const rows = [];
  const current = comparable(results);
  for (const [name, b] of Object.entries(baseEntries)) {
    const w = results.workloads[name];
    if (!w) {
      rows.push({ workload: name, baseline: b.refRatio, current: null, change: null, status: 'not run' });
      continue;
    }
    if (w.status !== 'ok') {
      rows.push({ workload: name, baseline: b.refRatio, current: null, change: null, status: w.status === 'unavailable' ? 'unavailable' : 'ERROR', note: w.error });
      continue;
    }
    const change = w.refRatio / b.refRatio - 1;
    const status = change > threshold ? 'REGRESSED' : change < -threshold ? 'improved' : 'ok';
    rows.push({ workload: name, baseline: b.refRatio, current: w.refRatio, change, status, baselineMs: b.median_ms, currentMs: w.median_ms });
  }
  for (const [name, w] of Object.entries(current)) {
    if (!baseEntries[name]) rows.push({ workload: name, baseline: null, current: w.refRatio, change: null, status: 'new', currentMs: w.median_ms });
  }
  return rows;
}

function formatRows(rows, threshold) {
  const pct = (x) => (x === null || x === undefined ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
  const r3 = (x) => (x === null || x === undefined ? '-' : x < 0.01 ? x.toExponential(2) : x.toFixed(3));
  return common.table(
    ['workload', 'baseline x ref', 'current x ref', 'change', 'baseline', 'current', 'status'],
    rows.map((r) => [r.workload, r3(r.baseline), r3(r.current), pct(r.change), common.fmtMs(r.baselineMs), common.fmtMs(r.currentMs), r.status]),
  ) + `\n(x ref = median over rounds of workload time / reference-loop time in the same child; threshold +${(threshold * 100).toFixed(0)}%)`;
}

function baselineEntries(results) {
  const entries = {};
  for (const [name, w] of Object.entries(comparable(results))) {
    entries[name] = { refRatio: common.round(w.refRatio, 6), median_ms: common.round(w.median_ms, 4), threads: w.threads, runs: w.runs };
  }
  return entries;
}

async function main(argv = process.argv.slice(2)) {
  let o;
  try {
    o = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`bench:check: ${e.message}\n`);
    return 2;
  }
  if (o.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const baseline = readBaseline(o.baseline);
  const threshold = o.threshold ?? (baseline && baseline.threshold) ?? DEFAULT_THRESHOLD;

  let results;
  let out = null;
  if (o.results) {
    results = JSON.parse(fs.readFileSync(o.results, 'utf8'));
  } else {
    let runOpts;
    try {
      runOpts = run.parseArgs(o.runArgs);
    } catch (e) {
      process.stderr.write(`bench:check: ${e.message}\n`);
      return 2;
    }
    const base = baseline && baseline.modes && baseline.modes[runOpts.mode];
    if (!runOpts.threads && base && base.threads) {
      const cores = common.machineInfo().cores;
      runOpts.threads = base.threads;
      if (cores < base.threads) process.stderr.write(`bench:check: WARNING this machine has ${cores} cores; the baseline used ${base.threads} threads\n`);
    }
    try {
      results = await run.runBench(runOpts);
    } catch (e) {
      process.stderr.write(`bench:check: ${e.message}\n`);
      return 2;
    }
    const stamp = results.startedAt.replace(/[:.]/g, '-');
    out = runOpts.out ? path.resolve(runOpts.out) : path.join(__dirname, 'results', `check-${stamp}-${results.mode}.json`);
    run.writeResults(results, out);
    process.stderr.write(`${run.summary(results)}\n\nbench:check: results written to ${path.relative(process.cwd(), out)}\n\n`);
  }

  const mode = results.mode;
  if (o.update) {
    const next = baseline || { schema: 'spearsim-bench-baseline/1', threshold, reference: results.reference.name, modes: {} };
    next.threshold = o.threshold ?? next.threshold ?? DEFAULT_THRESHOLD;
    next.reference = results.reference.name;
    next.modes = next.modes || {};
    next.modes[mode] = {
      createdAt: results.startedAt,
      version: results.package.version,
      threads: results.options.threads,
      runs: results.options.runs,
      machine: { cpuModel: results.machine.cpuModel, cores: results.machine.cores, cpuFeatures: results.machine.cpuFeatures.present, node: results.machine.node, loadAvgStart: results.machine.loadAvgStart },
      workloads: { ...(o.results || !results.options.only ? {} : (baseline && baseline.modes && baseline.modes[mode] && baseline.modes[mode].workloads) || {}), ...baselineEntries(results) },
    };
    fs.writeFileSync(o.baseline, `${JSON.stringify(next, null, 2)}\n`);
    process.stderr.write(`bench:check: baseline ${path.relative(process.cwd(), o.baseline)} updated for mode ${mode} (${Object.keys(next.modes[mode].workloads).length} workloads)\n`);
    return 0;
  }

  const base = baseline && baseline.modes && baseline.modes[mode];
  if (!base) {
    process.stderr.write(`bench:check: no ${mode} baseline in ${o.baseline}; create one with --update-baseline${mode === 'quick' ? ' --quick' : ''}\n`);
    return 2;
  }
  let entries = base.workloads;
  if (results.options && results.options.only) {
    entries = Object.fromEntries(Object.entries(entries).filter(([name]) => results.workloads[name]));
  }
  let rows = compareRuns(results, entries, threshold);
  // confirm regressions: re-run the groups concerned and keep each workload's best ratio
  for (let attempt = 1; attempt <= (o.results ? 0 : o.retries); attempt++) {
    const suspects = rows.filter((r) => r.status === 'REGRESSED' || r.status === 'ERROR').map((r) => r.workload);
    if (suspects.length === 0) break;
    const groups = [...new Set(suspects.map((name) => results.workloads[name] && results.workloads[name].group).filter(Boolean))];
    process.stderr.write(`bench:check: ${suspects.length} workload(s) over the threshold; re-running group(s) ${groups.join(', ')} (attempt ${attempt}/${o.retries})\n`);
    let again;
    try {
      again = await run.runBench({ ...run.parseArgs(o.runArgs), threads: results.options.threads, only: groups, build: false }, () => {});
    } catch (e) {
      process.stderr.write(`bench:check: re-run failed: ${e.message}\n`);
      break;
    }
    for (const name of suspects) {
      const before = results.workloads[name];
      const after = again.workloads[name];
      if (after && after.status === 'ok' && (!before || before.status !== 'ok' || after.refRatio < before.refRatio)) {
        results.workloads[name] = { ...after, rerun: attempt, firstRefRatio: before && before.refRatio };
      }
    }
    rows = compareRuns(results, entries, threshold);
  }
  const regressed = rows.filter((r) => r.status === 'REGRESSED' || r.status === 'ERROR');
  if (out) run.writeResults({ ...results, check: { baselineCreatedAt: base.createdAt, threshold, pass: regressed.length === 0, rows } }, out);
  const text = formatRows(rows, threshold);
  process.stderr.write(`bench:check: ${mode} run vs baseline of ${base.createdAt} (${base.machine.cpuModel}, ${base.threads} threads)\n${text}\n`);
  process.stderr.write(
    regressed.length
      ? `\nbench:check: FAIL — ${regressed.length} workload(s) regressed by more than ${(threshold * 100).toFixed(0)}% or failed: ${regressed.map((r) => r.workload).join(', ')}\n` +
          'If the slowdown is intended, run "npm run bench:check -- --quick --update-baseline" and commit bench/baseline.json.\n'
      : `\nbench:check: PASS — no workload regressed by more than ${(threshold * 100).toFixed(0)}%\n`,
  );
  if (o.json) process.stdout.write(`${JSON.stringify({ mode, threshold, pass: regressed.length === 0, rows })}\n`);
  return regressed.length ? 1 : 0;
}

module.exports = { main, compareRuns, DEFAULT_THRESHOLD };

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
