'use strict';
// Shared helpers of the benchmark scripts: locating and (re)building dist/, machine facts,
// statistics, and small formatting utilities. Plain CommonJS, no dependencies.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const DIST_INDEX = path.join(ROOT, 'dist', 'index.js');

/** Newest modification time (ms) of the .ts/.json files under dir. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Makes sure dist/ holds a build of lib/: runs `npm run build:ts` when dist/index.js is missing or
 * older than a file of lib/. A failed build with an existing dist/index.js continues with a
 * warning (type errors still emit JavaScript); a missing dist/index.js is fatal with a clear message.
 * Returns a note for the results ('fresh', 'rebuilt', 'stale: ...').
 */
function ensureBuilt({ build = true, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const libDir = path.join(ROOT, 'lib');
  const exists = fs.existsSync(DIST_INDEX);
  const stale = exists && fs.existsSync(libDir) && newestSource(libDir) > fs.statSync(DIST_INDEX).mtimeMs;
  if (exists && !stale) return 'fresh';
  if (!build) {
    if (!exists) fail();
    log('bench: dist/ is older than lib/ and --no-build was given; measuring the existing dist/');
    return 'stale (--no-build)';
  }
  log(`bench: ${exists ? 'dist/ is older than lib/' : 'dist/ is missing'}; running "npm run build:ts"`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '--silent', 'build:ts'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status === 0) return 'rebuilt';
  const detail = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-8).join('\n');
  if (!fs.existsSync(DIST_INDEX)) fail(detail);
  log(`bench: "npm run build:ts" failed (continuing with the JavaScript tsc emitted):\n${detail}`);
  return 'rebuilt with errors';
}

function fail(detail) {
  process.stderr.write(
    'bench: dist/index.js is missing and could not be built. Run "npm ci" (or "npm run build:ts") in ' +
      `${ROOT} first.${detail ? `\n${detail}` : ''}\n`,
  );
  process.exit(2);
}

/** CPU flags of interest from /proc/cpuinfo (Linux), and the full count. */
function cpuFeatures() {
  const interesting = ['sse4_2', 'avx', 'avx2', 'fma', 'bmi2', 'popcnt', 'avx512f', 'avx512bw', 'avx512vl', 'avx512dq', 'avx_vnni', 'sha_ni', 'aes'];
  let flags = [];
  try {
    const text = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const line = text.split('\n').find((l) => /^(flags|Features)\s*:/.test(l));
    if (line) flags = line.split(':')[1].trim().split(/\s+/);
  } catch {
    // not Linux: no flags
  }
  return { present: interesting.filter((f) => flags.includes(f)), absent: interesting.filter((f) => !flags.includes(f)), flagCount: flags.length };
}

function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0] ? cpus[0].model : 'unknown',
    cpuMHz: cpus[0] ? cpus[0].speed : null,
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpuFeatures: cpuFeatures(),
    totalMemMB: Math.round(os.totalmem() / 2 ** 20),
    freeMemMB: Math.round(os.freemem() / 2 ** 20),
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    hostname: os.hostname(),
  };
}

function packageVersion() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const h = (v.length - 1) / 2;
  return (v[Math.floor(h)] + v[Math.ceil(h)]) / 2;
}

function round(x, digits = 3) {
  if (x === null || x === undefined || !Number.isFinite(x)) return x ?? null;
  const s = 10 ** digits;
  return Math.round(x * s) / s;
}

/** Least-squares slope of log(y) on log(x). */
function logLogSlope(xs, ys) {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

/** Fixed-width text table. rows: arrays of cells (strings or numbers). */
function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] || '').length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

function fmtMs(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 0.1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(1)} us`;
}

/** CPU time counters from /proc/stat (Linux): [busy, total] jiffies over all CPUs, or null. */
function cpuCounters() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] || 0);
    const total = v.reduce((a, b) => a + b, 0);
    return [total - idle, total];
  } catch {
    return null;
  }
}

/** Fraction of all CPUs busy over the next `ms` milliseconds (null where /proc/stat is missing). */
async function busyFraction(ms = 300) {
  const a = cpuCounters();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuCounters();
  if (!a || !b || b[1] === a[1]) return null;
  return (b[0] - a[0]) / (b[1] - a[1]);
}

module.exports = { busyFraction, ROOT, DIST_INDEX, ensureBuilt, machineInfo, cpuFeatures, packageVersion, median, round, logLogSlope, table, fmtMs };
