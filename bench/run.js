#!/usr/bin/env node
'use strict';
// spearsim benchmarks: `npm run bench` / `node bench/run.js [flags]`. See bench/README.md.
//
// Each group of workloads runs in its own child process (bench/worker.js) so peak RSS figures do
// not inherit each other's peaks; within a group, workloads are timed round-robin with the
// reference loop, and ratios are medians of per-round ratios. Results: bench/results/<time>.json
// (or --out), a summary on stderr, and with --json exactly one JSON object on stdout.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const common = require('./common');
const { ROOT, median, round, table, fmtMs, logLogSlope } = common;

const SCHEMA = 'spearsim-bench/1';
const USAGE = `usage: node bench/run.js [flags]      (npm run bench -- [flags])
  --quick            small sizes (CI; < 60 s)
  --only LIST        comma-separated group names, workload names, tags or prefixes
                     (e.g. W1,scaling,memcap.W1.chunk1); see --list
  --runs N           timed rounds per group (default 5; the median is reported)
  --threads N        the "all threads" count (default: available cores)
  --out FILE         write the JSON there (default bench/results/<timestamp>.json)
  --json             print exactly one JSON object on stdout (summary still on stderr)
  --no-build         do not rebuild dist/ when it is older than lib/
  --budget-ms MS     time budget per group before rounds are cut (default 30000; quick 4000)
  --wait-quiet S     before each group wait up to S seconds for the machine to be quiet
                     (other processes using < 25% of the CPUs); default 0 = do not wait
  --list             list the groups and exit
  --quiet            no summary on stderr
  -h, --help         this help`;

function parseArgs(argv) {
  const o = { mode: 'full', only: null, runs: 5, threads: null, out: null, json: false, build: true, budgetMs: null, list: false, quiet: false, minRuns: 3, waitQuiet: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = (v, name, min) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}; received ${v}`);
      return n;
    };
    const flag = a.split('=')[0];
    switch (flag) {
      case '--quick': o.mode = 'quick'; break;
      case '--full': o.mode = 'full'; break;
      case '--only': o.only = value().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--runs': o.runs = int(value(), '--runs', 1); break;
      case '--threads': o.threads = int(value(), '--threads', 1); break;
      case '--out': o.out = value(); break;
      case '--json': o.json = true; break;
      case '--no-build': o.build = false; break;
      case '--budget-ms': o.budgetMs = int(value(), '--budget-ms', 1); break;
      case '--list': o.list = true; break;
      case '--wait-quiet': o.waitQuiet = int(value(), '--wait-quiet', 0); break;
      case '--quiet': o.quiet = true; break;
      case '-h': case '--help': o.help = true; break;
      default: throw new Error(`unknown flag ${a}\n${USAGE}`);
    }
  }
  o.minRuns = Math.min(o.minRuns, o.runs);
  return o;
}

/** Groups of the mode selected by --only (matching group name, workload name, tag, or prefix). */
function selectGroups(allGroups, mode, only, ctxLike) {
  const inMode = allGroups.filter((g) => (g.modes || ['quick', 'full']).includes(mode));
  if (!only) return inMode.filter((g) => !(g.tags || []).includes('smoke') && !g.onlyWhenNamed);
  const names = (g) => [g.name, ...(g.tags || []), ...safeVariantNames(g, ctxLike)];
  const picked = inMode.filter((g) => only.some((sel) => names(g).some((n) => n === sel || n.startsWith(`${sel}.`))));
  const unknown = only.filter((sel) => !inMode.some((g) => names(g).some((n) => n === sel || n.startsWith(`${sel}.`))));
  return { picked, unknown };
}

function safeVariantNames(g, ctxLike) {
  // variant names depend only on mode and threads; build a stub context without loading data
  try {
    return g.variants({ ...ctxLike, stub: true }).map((v) => v.name);
  } catch {
    return [];
  }
}

/** Child environment: quiet, and no disk caches (cold / warm states are set by the workloads). */
function benchEnv() {
  const env = { ...process.env, SPEARSIM_VERBOSE: '0' };
  delete env.SPEARSIM_CACHE_DIR;
  return env;
}

function runWorker(payload, log) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', path.join(__dirname, 'worker.js'), JSON.stringify(payload)], {
      cwd: ROOT,
      env: benchEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t0 = Date.now();
    child.on('close', (code, signal) => {
      const wallMs = Date.now() - t0;
      if (code === 0) {
        try {
          resolve({ ok: true, wallMs, result: JSON.parse(stdout.trim().split('\n').pop()) });
          return;
        } catch (e) {
          stderr += `\n(bad worker output: ${e.message})`;
        }
      }
      log(`bench: group ${payload.group} failed (exit ${code}${signal ? `, ${signal}` : ''})`);
      resolve({ ok: false, wallMs, error: `exit ${code}${signal ? ` (${signal})` : ''}: ${stderr.trim().split('\n').slice(-6).join('\n')}` });
    });
  });
}

function compare(op, a, b) {
  return op === '<=' ? a <= b : op === '>=' ? a >= b : op === '<' ? a < b : a > b;
}

/** Per-unit ratio slow / fast, from medians and from paired rounds. */
function comparison(spec, slow, fast) {
  const perUnit = (e, ms) => ms / e.units;
  const ratio = perUnit(slow, slow.median_ms) / perUnit(fast, fast.median_ms);
  const pairs = Math.min(slow.samples_ms.length, fast.samples_ms.length);
  const paired = [];
  for (let i = 0; i < pairs; i++) {
    paired.push(perUnit(slow, slow.samples_ms[slow.samples_ms.length - pairs + i]) / perUnit(fast, fast.samples_ms[fast.samples_ms.length - pairs + i]));
  }
  return { ratioOfMedians: ratio, pairedMedian: paired.length ? median(paired) : null };
}

/**
 * The scaling study: time and memory growth over n and reps x resamples, with departures. Growth is
 * computed on wall time and on process CPU time per call: CPU time is the work done and is far
 * less sensitive to other processes than wall time on a shared machine. A departure is growth
 * faster than linear in CPU time (more work per Spearman value); superlinear wall time with linear
 * CPU time is listed as a note (contention or lost parallelism, see cpu/wall).
 */
function scalingAnalysis(workloads, groupsById) {
  const cells = [];
  for (const [name, w] of Object.entries(workloads)) {
    const g = groupsById[w.group];
    if (!g || !g.scaling || w.status !== 'ok') continue;
    const { n, total, reps, nBoot } = g.scaling;
    cells.push({
      workload: name,
      n,
      total,
      reps,
      nBoot,
      median_ms: round(w.median_ms, 4),
      cpu_ms: round(w.medianCpu_ms, 4),
      cpuPerWall: round(w.medianCpu_ms / w.median_ms, 2),
      nsPerValue: round((w.median_ms * 1e6) / total, 2),
      nsPerValuePerN: round((w.median_ms * 1e6) / total / n, 4),
      cpuNsPerValuePerN: round((w.medianCpu_ms * 1e6) / total / n, 4),
      peakRssMB: round(w.peakRssMB, 1),
      excessRssMB: round(w.peakRssMB - w.rssLoadedMB, 1),
      inputMB: round((reps * n * 16) / 2 ** 20, 2),
    });
  }
  const byN = {};
  const byTotal = {};
  for (const c of cells) {
    (byN[c.n] = byN[c.n] || []).push(c);
    (byTotal[c.total] = byTotal[c.total] || []).push(c);
  }
  const departures = [];
  const notes = [];
  const slopeOf = (a, b, key, metric) => Math.log(b[metric] / a[metric]) / Math.log(b[key] / a[key]);
  const growth = (list, key, label, fixedLabel) => {
    list.sort((a, b) => a[key] - b[key]);
    const steps = [];
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1];
      const b = list[i];
      const wall = slopeOf(a, b, key, 'median_ms');
      const cpu = slopeOf(a, b, key, 'cpu_ms');
      const where = `${fixedLabel}, ${label} ${a[key]} -> ${b[key]}`;
      steps.push({ from: a[key], to: b[key], timeSlope: round(wall, 3), cpuSlope: round(cpu, 3) });
      if (cpu > 1.15) {
        departures.push({
          where,
          timeSlope: round(wall, 3),
          cpuSlope: round(cpu, 3),
          expected: '<= 1 (linear, or less while fixed costs are amortised)',
          note: `superlinear work: CPU ns per value per n grows from ${a.cpuNsPerValuePerN} to ${b.cpuNsPerValuePerN} (larger working set per thread?)`,
        });
      } else if (wall > 1.15) {
        notes.push(`${where}: wall slope ${round(wall, 3)} but CPU slope ${round(cpu, 3)} — wall-only: contention or lost parallelism (cpu/wall ${a.cpuPerWall} -> ${b.cpuPerWall})`);
      } else if (wall < 0.8) {
        notes.push(`${where}: slope ${round(wall, 3)} (sublinear: fixed per-call / per-resample costs dominate at ${fmtMs(a.median_ms)})`);
      }
    }
    const fit = (metric) => (list.length >= 2 ? round(logLogSlope(list.map((c) => c[key]), list.map((c) => c[metric])), 3) : null);
    return { fitSlope: fit('median_ms'), cpuFitSlope: fit('cpu_ms'), steps };
  };
  const timeVsTotal = {};
  for (const [n, list] of Object.entries(byN)) timeVsTotal[`n=${n}`] = growth(list, 'total', 'reps x resamples', `n=${n}`);
  const timeVsN = {};
  for (const [t, list] of Object.entries(byTotal)) timeVsN[`total=${t}`] = growth(list, 'n', 'n', `reps x resamples=${t}`);
  // memory: excess RSS over the loaded package should follow the stored inputs (3 copies) + buffers
  for (const c of cells) {
    const expectedMB = 3 * c.inputMB + 16;
    if (c.excessRssMB > 2 * expectedMB && c.excessRssMB > 24) {
      departures.push({ where: `memory n=${c.n}, total=${c.total}`, excessRssMB: c.excessRssMB, expectedMB: round(expectedMB, 1), note: 'memory above 2x (3 x stored inputs + 16 MB)' });
    }
  }
  cells.sort((a, b) => a.n - b.n || a.total - b.total);
  return {
    note:
      'slope = d log(time) / d log(size) between neighbouring cells (1 = linear), on wall time and on process CPU time. ' +
      'nBoot = min(total, 1000), reps = total / nBoot. Expected: time = a + b * n per Spearman value and linear in reps x resamples, ' +
      'so slopes <= 1 (below 1 while fixed costs amortise: notes). Departures: CPU slope > 1.15 (superlinear work), or excess RSS ' +
      '(peak minus the loaded package) above 2 x (3 x stored inputs + 16 MB). Wall-only superlinear steps are notes (contention).',
    cells,
    timeVsRepsTimesResamples: timeVsTotal,
    timeVsN,
    departures,
    notes,
  };
}

async function runBench(opts, log = (m) => process.stderr.write(`${m}\n`)) {
  const buildNote = common.ensureBuilt({ build: opts.build, log });
  const { groups } = require('./workloads');
  const cores = common.machineInfo().cores;
  const threads = opts.threads || cores;
  const mode = opts.mode;
  const budgetMs = opts.budgetMs || (mode === 'quick' ? 4000 : 30000);
  const minSampleMs = mode === 'quick' ? 10 : 20;
  const ctxLike = { mode, quick: mode === 'quick', threads };
  let selected;
  if (opts.only) {
    const { picked, unknown } = selectGroups(groups, mode, opts.only, ctxLike);
    if (unknown.length) throw new Error(`--only: nothing matches ${unknown.join(', ')} in ${mode} mode (see --list)`);
    selected = picked;
  } else {
    selected = selectGroups(groups, mode, null, ctxLike);
  }

  const startedAt = new Date();
  const loadAvgStart = os.loadavg().map((x) => round(x, 2));
  const api = require(common.DIST_INDEX);
  const results = {
    schema: SCHEMA,
    package: { name: 'spearsim', version: common.packageVersion(), distBuild: buildNote },
    startedAt: startedAt.toISOString(),
    mode,
    options: { runs: opts.runs, minRuns: opts.minRuns, threads, only: opts.only, budgetMsPerGroup: budgetMs, minSampleMs },
    machine: { ...common.machineInfo(), loadAvgStart },
    native: api.nativeStatus(),
    reference: { name: 'ref.js-loop', description: 'fixed single-threaded pure-JS loop (bench/ref.js), timed in every group child next to its workloads' },
    method:
      'one child process per group (node --expose-gc bench/worker.js); per group: untimed setup, a warm-up call of each workload (peak RSS ' +
      'read after it), then N rounds timing the reference loop and every workload back to back; gc() before each sample; calls shorter than ' +
      `${minSampleMs} ms are repeated within a sample and reported per call. median/min/max over rounds; refRatio = median over rounds of workload/reference; ` +
      'cpuUse = process CPU time (all threads) / wall time (about the thread count when the kernel kept every thread busy); ' +
      'groups[].cpusBusyBefore = fraction of all CPUs busy in the 0.3 s before the group started (other processes).',
    groups: {},
    workloads: {},
    comparisons: [],
    targets: [],
  };
  if (results.native.available === false) log(`bench: WARNING native addon unavailable — native workloads measure the TypeScript fallback: ${results.native.message}`);

  const groupsById = Object.fromEntries(selected.map((g) => [g.name, g]));
  for (const g of selected) {
    let busy = await common.busyFraction(300);
    if (opts.waitQuiet > 0 && busy !== null && busy > 0.25) {
      const until = Date.now() + opts.waitQuiet * 1000;
      log(`bench: machine busy (${(busy * 100).toFixed(0)}% of CPUs); waiting up to ${opts.waitQuiet} s`);
      while (busy > 0.25 && Date.now() < until) busy = await common.busyFraction(1000);
    }
    log(`bench: ${g.name} ...${busy !== null ? ` (CPUs busy before: ${(busy * 100).toFixed(0)}%)` : ''}`);
    const runs = g.runs ? Math.min(g.runs, opts.runs) : opts.runs;
    const r = await runWorker({ group: g.name, mode, runs, minRuns: Math.min(opts.minRuns, runs), threads, budgetMs, minSampleMs }, log);
    results.groups[g.name] = { description: g.description, wallMs: r.wallMs, cpusBusyBefore: round(busy, 3), status: r.ok ? 'ok' : 'error', error: r.error };
    if (!r.ok) continue;
    const res = r.result;
    Object.assign(results.groups[g.name], { runsDone: res.runsDone, ref_ms: round(res.ref.median_ms, 3), peakRssMB: round(res.peakRssMB, 1), rssLoadedMB: round(res.rssLoadedMB, 1) });
    for (const [name, v] of Object.entries(res.variants)) {
      const w = { group: g.name, status: v.status || 'error', description: v.description, timing: v.timing, threads: v.threads, params: v.params };
      if (v.status === 'ok') {
        Object.assign(w, {
          median_ms: v.median_ms,
          min_ms: v.min_ms,
          max_ms: v.max_ms,
          runs: v.runs,
          repeatPerSample: v.repeat,
          firstRun_ms: v.firstRun_ms,
          samples_ms: v.samples_ms,
          medianCpu_ms: v.medianCpu_ms,
          cpuUse: v.medianCpu_ms / v.median_ms,
          units: v.units,
          unit: v.unit,
          nsPerUnit: (v.median_ms * 1e6) / v.units,
          refRatio: v.refRatio,
          ref_ms: res.ref.median_ms,
          peakRssMB: v.peakRssMB,
          peakRssScope: g.isolated ? 'isolated: own child process' : 'cumulative: group child after this workload\'s first call',
          rssLoadedMB: res.rssLoadedMB,
          details: v.details,
        });
        if (v.scaleToUnits) w.equivalent_ms = (w.nsPerUnit * v.scaleToUnits) / 1e6;
      } else {
        w.error = v.error;
      }
      results.workloads[name] = w;
    }
    const ctx = { ...ctxLike };
    for (const spec of g.comparisons ? g.comparisons(ctx) : []) {
      const slow = results.workloads[spec.slow];
      const fast = results.workloads[spec.fast];
      const c = { name: spec.name, group: g.name, fast: spec.fast, slow: spec.slow, kind: spec.cost ? 'slowdown' : 'speedup' };
      if (slow && fast && slow.status === 'ok' && fast.status === 'ok') {
        Object.assign(c, comparison(spec, slow, fast));
        c.value = c.pairedMedian ?? c.ratioOfMedians;
        if (spec.cores) c.parallelEfficiency = c.value / spec.cores;
        if (spec.target) {
          results.targets.push({ id: spec.name, group: g.name, description: `${spec.name} ${spec.target.op} ${spec.target.value} (${spec.target.source})`, value: round(c.value, 3), op: spec.target.op, target: spec.target.value, pass: compare(spec.target.op, c.value, spec.target.value) });
        }
        if (spec.cores) {
          results.targets.push({ id: `parallel efficiency ${spec.cores} cores (W1)`, group: g.name, description: 'speedup / cores >= 0.9', value: round(c.parallelEfficiency, 3), op: '>=', target: 0.9, pass: c.parallelEfficiency >= 0.9 });
        }
      } else {
        c.value = null;
        c.note = 'a workload did not run';
        if (spec.target) results.targets.push({ id: spec.name, group: g.name, description: `${spec.name} ${spec.target.op} ${spec.target.value}`, value: null, op: spec.target.op, target: spec.target.value, pass: null, note: 'not measured' });
      }
      results.comparisons.push(c);
    }
    for (const t of g.targets ? g.targets(ctx) : []) {
      if (t.when === false) continue;
      const w = results.workloads[t.workload];
      const value = w && w.status === 'ok' ? w[t.metric] : null;
      const sizesDiffer = t.fullOnly && mode === 'quick';
      results.targets.push({
        id: t.id,
        group: g.name,
        description: t.description,
        workload: t.workload,
        metric: t.metric,
        value: value === null ? null : round(value, 3),
        op: t.op,
        target: t.value,
        pass: value === null || sizesDiffer ? null : compare(t.op, value, t.value),
        // best case (the fastest round): whether the code can meet the target when the machine lets it
        valueMin: t.metric === 'median_ms' && w && w.status === 'ok' ? round(w.min_ms, 3) : undefined,
        passAtMin: t.metric === 'median_ms' && w && w.status === 'ok' && !sizesDiffer ? compare(t.op, w.min_ms, t.value) : undefined,
        note: value === null ? `not measured: ${w ? w.error : 'workload not selected'}` : sizesDiffer ? 'quick sizes: not comparable' : undefined,
      });
    }
  }
  if (Object.values(groupsById).some((g) => g.scaling)) results.scaling = scalingAnalysis(results.workloads, groupsById);
  results.finishedAt = new Date().toISOString();
  results.durationS = round((Date.now() - startedAt.getTime()) / 1000, 1);
  results.machine.loadAvgEnd = os.loadavg().map((x) => round(x, 2));
  return results;
}

function groupBusy(results, group) {
  const b = results.groups[group] && results.groups[group].cpusBusyBefore;
  return b === null || b === undefined ? '' : (b * 100).toFixed(0);
}

function summary(results) {
  const lines = [];
  const m = results.machine;
  lines.push(
    `spearsim ${results.package.version} bench (${results.mode}) — ${m.cpuModel}, ${m.cores} cores [${m.cpuFeatures.present.join(' ')}], ` +
      `node ${m.node}, load ${m.loadAvgStart.join(' ')} -> ${m.loadAvgEnd.join(' ')}, native ${results.native.available ? 'yes' : 'NO'}, ${results.durationS} s`,
  );
  const rows = Object.entries(results.workloads).map(([name, w]) =>
    w.status === 'ok'
      ? [name, w.threads, fmtMs(w.median_ms), fmtMs(w.min_ms), fmtMs(w.max_ms), w.runs, round(w.cpuUse, 2), w.equivalent_ms ? fmtMs(w.equivalent_ms) : '', round(w.refRatio, 3), w.peakRssMB ? w.peakRssMB.toFixed(0) : '', groupBusy(results, w.group)]
      : [name, w.threads, w.status, '', '', '', '', '', '', '', groupBusy(results, w.group)],
  );
  lines.push('', table(['workload', 'thr', 'median', 'min', 'max', 'runs', 'cpu/wall', 'W1-equiv', 'x ref', 'RSS MB', 'busy%'], rows));
  if (results.comparisons.length) {
    lines.push('', table(['comparison (same run, per unit)', 'ratio', 'paired', 'efficiency'], results.comparisons.map((c) => [c.name, c.ratioOfMedians ? `${c.ratioOfMedians.toFixed(2)}x` : '-', c.pairedMedian ? `${c.pairedMedian.toFixed(2)}x` : '-', c.parallelEfficiency ? c.parallelEfficiency.toFixed(3) : ''])));
  }
  if (results.scaling) {
    const s = results.scaling;
    lines.push('', table(['scaling cell', 'median', 'cpu', 'cpu/wall', 'ns/value', 'ns/value/n', 'cpu ns/value/n', 'RSS MB', 'excess MB', 'input MB'], s.cells.map((c) => [c.workload, fmtMs(c.median_ms), fmtMs(c.cpu_ms), c.cpuPerWall, c.nsPerValue, c.nsPerValuePerN, c.cpuNsPerValuePerN, c.peakRssMB, c.excessRssMB, c.inputMB])));
    const slopes = [...Object.entries(s.timeVsRepsTimesResamples).map(([k, v]) => [`time vs reps x resamples, ${k}`, v.fitSlope, v.cpuFitSlope]), ...Object.entries(s.timeVsN).map(([k, v]) => [`time vs n, ${k}`, v.fitSlope, v.cpuFitSlope])];
    lines.push('', table(['growth (log-log slope, 1 = linear)', 'wall', 'cpu'], slopes));
    lines.push('', s.departures.length ? 'DEPARTURES from linear growth:' : 'departures from linear growth: none', ...s.departures.map((d) => `  ${d.where}: ${d.cpuSlope !== undefined ? `cpu slope ${d.cpuSlope} (wall ${d.timeSlope})` : `${d.excessRssMB} MB`} — ${d.note}`));
    if (s.notes.length) lines.push('notes:', ...s.notes.map((n) => `  ${n}`));
  }
  if (results.targets.length) {
    const verdict = (p) => (p === true ? 'PASS' : p === false ? 'FAIL' : '');
    lines.push('', table(['target', 'value', 'target', 'result', 'best round', 'at best'], results.targets.map((t) => [t.description || t.id, t.value ?? '-', `${t.op} ${t.target}`, t.pass === null || t.pass === undefined ? `n/a${t.note ? ` (${t.note.slice(0, 60)})` : ''}` : verdict(t.pass), t.valueMin ?? '', verdict(t.passAtMin)])));
  }
  const failed = Object.entries(results.groups).filter(([, g]) => g.status !== 'ok');
  if (failed.length) lines.push('', ...failed.map(([n, g]) => `group ${n} FAILED: ${g.error}`));
  return lines.join('\n');
}

function defaultOut(results) {
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  return path.join(ROOT, 'bench', 'results', `${stamp}${results.mode === 'quick' ? '-quick' : ''}.json`);
}

function writeResults(results, out) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
}

async function main(argv = process.argv.slice(2)) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${e.message}\n`);
    return 2;
  }
  if (opts.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  if (opts.list) {
    common.ensureBuilt({ build: opts.build });
    const { groups } = require('./workloads');
    const ctxLike = { mode: opts.mode, quick: opts.mode === 'quick', threads: opts.threads || common.machineInfo().cores };
    for (const g of groups.filter((x) => (x.modes || ['quick', 'full']).includes(opts.mode))) {
      process.stderr.write(`${g.name}  [${(g.tags || []).join(', ')}]\n    ${g.description}\n    workloads: ${safeVariantNames(g, ctxLike).join(', ')}\n`);
    }
    return 0;
  }
  let results;
  try {
    results = await runBench(opts);
  } catch (e) {
    process.stderr.write(`bench: ${e.message}\n`);
    return 2;
  }
  const out = opts.out ? path.resolve(opts.out) : defaultOut(results);
  writeResults(results, out);
  if (!opts.quiet) process.stderr.write(`${summary(results)}\n\nbench: results written to ${path.relative(process.cwd(), out) || out}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify(results)}\n`);
  return Object.values(results.groups).some((g) => g.status !== 'ok') ? 1 : 0;
}

module.exports = { main, runBench, parseArgs, summary, writeResults, scalingAnalysis, SCHEMA };

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
