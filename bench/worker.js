'use strict';
// Child process of bench/run.js: runs ONE group and prints one JSON object on stdout.
//   node --expose-gc bench/worker.js '{"group":"W1","mode":"full","runs":5,"threads":2,...}'
// Steps: set up every variant (untimed); warm-up round (first call of each variant, peak RSS after
// it, and the repeat count that makes a sample last >= minSampleMs); then `runs` rounds, each
// timing the reference loop and every variant once, back to back.
const { groups, makeContext } = require('./workloads');
const { refLoop, REF_NAME } = require('./ref');
const { median } = require('./common');

const maxRssMB = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB on Linux
const gc = typeof global.gc === 'function' ? global.gc : () => {};

// After the forced collection V8 still sweeps on its helper threads for a few milliseconds; a
// sample started at once would share the CPUs with that work (on 2 cores it slowed the 2-thread
// W1 kernel by ~15 %), so each sample waits this long first.
const SETTLE_MS = 10;

let lastCpuMs = NaN;
let lastWallMs = NaN;
/**
 * Ms per call over `repeat` calls: wall time, or for a variant on the kernel clock (fn.clock ===
 * 'kernel') the time the calls report for the C++ kernel itself (`kernelMs`). lastCpuMs = process
 * CPU ms (all threads) per call; lastWallMs = wall ms per call (on either clock).
 */
async function timeCall(fn, repeat) {
  gc();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let kernelMs = 0;
  for (let i = 0; i < repeat; i++) {
    const result = await fn();
    if (fn.clock === 'kernel') kernelMs += result.kernelMs;
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e6 / repeat;
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000 / repeat;
  lastWallMs = wall;
  return fn.clock === 'kernel' ? kernelMs / repeat : wall;
}

async function main() {
  const opts = JSON.parse(process.argv[2]);
  const group = groups.find((g) => g.name === opts.group);
  if (!group) throw new Error(`unknown group ${opts.group}`);
  const rssStartMB = maxRssMB();
  const ctx = makeContext({ mode: opts.mode, threads: opts.threads });
  const rssLoadedMB = maxRssMB();

  const variants = [];
  const out = { group: group.name, variants: {}, rssStartMB, rssLoadedMB };
  for (const v of group.variants(ctx)) {
    const entry = {
      description: v.description,
      timing: v.timing,
      threads: v.threads,
      units: v.units,
      unit: v.unit,
      scaleToUnits: v.scaleToUnits,
      params: v.params,
      inputBytes: v.inputBytes,
    };
    out.variants[v.name] = entry;
    try {
      entry.fn = await v.setup();
      variants.push({ name: v.name, entry });
    } catch (e) {
      entry.status = e && e.unavailable ? 'unavailable' : 'error';
      entry.error = e && e.message ? e.message : String(e);
    }
  }
  out.rssAfterSetupMB = maxRssMB();

  // warm-up round: first call (and its peak RSS), then a second call to choose the repeat count
  const ref = { name: REF_NAME, entry: { fn: refLoop } };
  const timed = [ref, ...variants];
  for (const t of timed) {
    const e = t.entry;
    try {
      const before = maxRssMB();
      e.firstRun_ms = await timeCall(e.fn, 1);
      e.firstCpu_ms = lastCpuMs;
      e.rssBeforeMB = before;
      e.peakRssMB = maxRssMB();
      // a second call sets the repeat count of short workloads from its wall time (a sample's
      // length; a kernel-clock figure can be far smaller, or a difference near 0); long ones
      // (> 200 ms) run once per sample
      let second = lastWallMs;
      if (second <= 200) {
        await timeCall(e.fn, 1);
        second = lastWallMs;
      }
      e.repeat = Math.max(1, Math.min(1000, Math.ceil(opts.minSampleMs / Math.max(second, 1e-3))));
      e.estimate_ms = second * e.repeat;
      if (typeof e.fn.describe === 'function') e.details = await e.fn.describe();
      e.samples_ms = [];
      e.cpu_ms = [];
      e.ratios = [];
    } catch (err) {
      e.status = 'error';
      e.error = err && err.stack ? err.stack.split('\n').slice(0, 4).join('\n') : String(err);
    }
  }
  const live = timed.filter((t) => t.entry.status === undefined);
  const roundMs = live.reduce((s, t) => s + t.entry.estimate_ms, 0);
  let runs = opts.runs;
  if (runs * roundMs > opts.budgetMs) runs = Math.max(opts.minRuns, Math.floor(opts.budgetMs / roundMs));
  // very long variants (> 2 s per call) count their first call as a sample
  const longOnes = live.filter((t) => t.entry.firstRun_ms > 2000);
  for (const t of longOnes) {
    t.entry.samples_ms.push(t.entry.firstRun_ms);
    t.entry.cpu_ms.push(t.entry.firstCpu_ms);
  }

  for (let r = 0; r < runs; r++) {
    const refMs = ref.entry.status === undefined ? await timeCall(refLoop, ref.entry.repeat) : NaN;
    ref.entry.samples_ms.push(refMs);
    ref.entry.cpu_ms.push(lastCpuMs);
    for (const t of variants) {
      const e = t.entry;
      if (e.status !== undefined) continue;
      if (longOnes.includes(t) && r === runs - 1 && e.samples_ms.length >= runs) continue;
      try {
        const ms = await timeCall(e.fn, e.repeat);
        e.samples_ms.push(ms);
        e.cpu_ms.push(lastCpuMs);
        e.ratios.push(ms / refMs);
      } catch (err) {
        e.status = 'error';
        e.error = err && err.message ? err.message : String(err);
      }
    }
  }
  for (const t of timed) {
    const e = t.entry;
    delete e.fn;
    if (e.status === undefined) {
      e.status = 'ok';
      e.runs = e.samples_ms.length;
      e.median_ms = median(e.samples_ms);
      e.min_ms = Math.min(...e.samples_ms);
      e.max_ms = Math.max(...e.samples_ms);
      e.medianCpu_ms = median(e.cpu_ms);
      if (t !== ref) e.refRatio = median(e.ratios);
    }
  }
  out.ref = ref.entry;
  out.runsPlanned = opts.runs;
  out.runsDone = runs;
  out.peakRssMB = maxRssMB();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  },
);
