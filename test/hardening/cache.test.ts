// Disk caches: truncated, corrupted, foreign-version, foreign-key and unwritable cache
// directories give a warning (code SPEARSIM_CACHE) and the correct result, bit for bit; a rejected
// file is rebuilt; concurrent processes sharing one cache directory never corrupt it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { calibrate, makeScenario, nullDistribution } from '../../lib/index';
import { clearCalibrationCache } from '../../lib/calibration';
import { CACHE_FORMAT } from '../../lib/internal/disk-cache';
import { clearNullCache } from '../../lib/pvalues';
import { REPO, listFiles, runSnippet, tempDir } from './harness';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function freshDir(): string {
  const d = tempDir('cache');
  dirs.push(d);
  return d;
}

function clearMemory(): void {
  clearNullCache();
  clearCalibrationCache();
}
beforeEach(clearMemory);

/** Runs `fn` and returns its value and the SPEARSIM_CACHE warnings it emitted. */
async function withWarnings<T>(fn: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const warnings: string[] = [];
  const listener = (w: Error & { code?: string }): void => {
    if (w.code === 'SPEARSIM_CACHE') warnings.push(w.message);
  };
  process.on('warning', listener);
  try {
    const value = await fn();
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    return { value, warnings };
  } finally {
    process.off('warning', listener);
  }
}

const scenario = makeScenario({ case: 3, k: 5, shape: 'heavy_tail' });
const other = makeScenario({ case: 2, k: 6, shape: 'even' });

/** The two disk-cached artefacts, reduced to the numbers that must not change. */
const KINDS = {
  null: {
    prefix: 'null-',
    run: async (cacheDir: string | undefined, saveCache = true, s = scenario) => {
      const r = await nullDistribution(s, { nPre: 3000, cacheDir, saveCache, verbose: 1, threads: 2 });
      return { bits: Array.from(r.sortedAbs), source: r.source as string };
    },
  },
  calibration: {
    prefix: 'calibration-',
    run: async (cacheDir: string | undefined, saveCache = true, s = scenario) => {
      const r = await calibrate(s, 0.3, { nCal: 200, cacheDir, saveCache, verbose: 1, threads: 2 });
      return { bits: [r.rhoIn, ...(r.curve?.rhoIn ?? []), ...(r.curve?.achieved ?? [])], source: String(r.curve?.source) };
    },
  },
} as const;

type Kind = keyof typeof KINDS;

function cacheFileOf(dir: string, kind: Kind): string {
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(KINDS[kind].prefix) && f.endsWith('.json'));
  expect(files, `one ${kind} cache file in ${dir}`).toHaveLength(1);
  return path.join(dir, files[0]!);
}

/** Parses and checks an envelope the way the reader does (format, checksum over the payload). */
function validEnvelope(file: string): boolean {
  try {
    const e = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: number; checksum: string; payload: unknown };
    return e.format === CACHE_FORMAT && e.checksum === createHash('sha256').update(JSON.stringify(e.payload)).digest('hex');
  } catch {
    return false;
  }
}

function resign(envelope: Record<string, unknown>): string {
  return JSON.stringify({ ...envelope, checksum: createHash('sha256').update(JSON.stringify(envelope.payload)).digest('hex') });
}

/** Ways to damage a good cache file (the text of the good file in, the damaged text out). */
const DAMAGE: Record<string, (text: string, dir: string) => string | Buffer> = {
  truncated: (t) => t.slice(0, Math.floor(t.length / 2)),
  empty: () => '',
  garbage: () => Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22, 0x00, 0x01]),
  'not an envelope': () => '[1, 2, 3]',
  null: () => 'null',
  'foreign format version': (t) => resign({ ...(JSON.parse(t) as object), format: CACHE_FORMAT + 998 }),
  'foreign kind': (t) => resign({ ...(JSON.parse(t) as object), kind: 'something-else' }),
  'stale key': (t) => resign({ ...(JSON.parse(t) as object), key: '{"task":"null","n":1}' }),
  'checksum mismatch': (t) => {
    const e = JSON.parse(t) as Record<string, unknown>;
    return JSON.stringify({ ...e, payload: { ...(e.payload as object), extra: 1 } });
  },
  'malformed payload with a valid checksum': (t) => {
    const e = JSON.parse(t) as Record<string, unknown>;
    return resign({ ...e, payload: { sortedAbs: 'AAAA', rhoIn: [NaN], achieved: 'x' } });
  },
  'payload of the wrong length': (t) => {
    const e = JSON.parse(t) as { payload: Record<string, unknown> };
    const p = e.payload;
    const cut = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 12) : Array.isArray(v) ? v.slice(1) : v]));
    return resign({ ...e, payload: cut });
  },
};

describe.each(Object.keys(KINDS) as Kind[])('%s cache', (kind) => {
  const { run } = KINDS[kind];

  it('round trip: written atomically, read back with the same bits', async () => {
    const reference = await run(undefined, false);
    clearMemory();
    const dir = freshDir();
    const first = await run(dir);
    expect(first.bits).toEqual(reference.bits);
    expect(validEnvelope(cacheFileOf(dir, kind))).toBe(true);
    expect(listFiles(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    clearMemory();
    const second = await withWarnings(() => run(dir));
    expect(second.value.bits).toEqual(reference.bits);
    expect(second.value.source).toBe('disk');
    expect(second.warnings).toEqual([]);
  });

  it.each(Object.keys(DAMAGE))('%s file: a warning, the correct result, and a rebuilt file', async (damage) => {
    const reference = await run(undefined, false);
    clearMemory();
    const dir = freshDir();
    await run(dir);
    const file = cacheFileOf(dir, kind);
    fs.writeFileSync(file, DAMAGE[damage]!(fs.readFileSync(file, 'utf8'), dir));
    clearMemory();
    const { value, warnings } = await withWarnings(() => run(dir));
    expect(value.bits).toEqual(reference.bits);
    expect(value.source).not.toBe('disk');
    expect(warnings.length, 'one cache warning').toBeGreaterThan(0);
    expect(validEnvelope(file), 'rebuilt').toBe(true);
  });

  it('another entry copied over this one (right kind, wrong key) is rejected', async () => {
    const reference = await run(undefined, false);
    clearMemory();
    const a = freshDir();
    const b = freshDir();
    await run(a);
    await run(b, true, other);
    fs.copyFileSync(cacheFileOf(b, kind), cacheFileOf(a, kind));
    clearMemory();
    const { value, warnings } = await withWarnings(() => run(a));
    expect(value.bits).toEqual(reference.bits);
    expect(warnings.length).toBeGreaterThan(0);
  });

  it('an unwritable cache directory: a warning, the correct result, nothing thrown', async () => {
    const reference = await run(undefined, false);
    const base = freshDir();
    const blocker = path.join(base, 'a-file');
    fs.writeFileSync(blocker, 'not a directory');
    // (a directory under /proc is checked in a child process below: Node's recursive mkdir spins
    // forever there, which would freeze this test runner if it regressed)
    for (const dir of [path.join(blocker, 'cache'), blocker]) {
      clearMemory();
      const { value, warnings } = await withWarnings(() => run(dir));
      expect(value.bits, dir).toEqual(reference.bits);
      expect(warnings.length, `warning for ${dir}`).toBeGreaterThan(0);
    }
    expect(fs.readFileSync(blocker, 'utf8')).toBe('not a directory');
  });

  it('a directory where the cache file should be: a warning and the correct result', async () => {
    const reference = await run(undefined, false);
    clearMemory();
    const dir = freshDir();
    await run(dir);
    const file = cacheFileOf(dir, kind);
    fs.rmSync(file);
    fs.mkdirSync(file);
    clearMemory();
    const { value, warnings } = await withWarnings(() => run(dir));
    expect(value.bits).toEqual(reference.bits);
    expect(warnings.length).toBeGreaterThan(0);
  });
});

describe('pseudo-filesystem cache directory (child process)', () => {
  it('cacheDir under /proc: a warning and a result, never a hang', () => {
    const r = runSnippet(
      "Promise.all([L.nullDistribution(L.makeScenario({ case: 1, k: 4, shape: 'even' }), { nPre: 2000, cacheDir: '/proc/spearsim-cache/x', saveCache: true, verbose: 0 }), L.calibrate({ case: 1, k: 4, shape: 'even' }, 0.3, { nCal: 100, cacheDir: '/proc/spearsim-cache', saveCache: true, verbose: 0 })])",
      { timeoutMs: 15000 },
    );
    expect(r.signal, `killed after ${r.ms.toFixed(0)} ms: the cache write hung\n${r.stderr.slice(0, 500)}`).toBeNull();
    expect(r.result?.kind, r.stderr.slice(0, 500)).toBe('ok');
  });
});

describe('concurrent processes sharing one cache directory', () => {
  it('never corrupt it, and all agree bit for bit', async () => {
    const dir = freshDir();
    // every process builds the same two nulls and calibrations and one of its own, all saving
    const script = `
      const L = require(${JSON.stringify(path.join(REPO, 'lib', 'index'))});
      const dir = process.argv[1];
      const own = Number(process.argv[2]);
      (async () => {
        const out = [];
        for (const spec of [{ case: 1, k: 4, shape: 'even' }, { case: 4, k: 7, shape: 'heavy_center' }, { case: 2, k: 4 + own, shape: 'even' }]) {
          const nul = await L.nullDistribution(L.makeScenario(spec), { nPre: 20000, cacheDir: dir, saveCache: true, verbose: 0, threads: 1 });
          const cal = await L.calibrate(spec, 0.3, { nCal: 300, cacheDir: dir, saveCache: true, verbose: 0, threads: 1 });
          out.push({ spec, nul: Array.from(nul.sortedAbs.subarray(0, 20)), cal: cal.rhoIn });
        }
        process.stdout.write(JSON.stringify(out));
      })().catch((e) => { process.stderr.write(String(e && e.stack)); process.exit(1); });`;
    const runOne = (own: number): Promise<string> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['-r', path.join(REPO, 'node_modules', 'ts-node', 'register', 'transpile-only'), '-e', script, dir, String(own)], {
          env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child ${own} exited ${code}: ${err}`))));
      });
    const outputs = (await Promise.all([0, 1, 2].map(runOne))).map((o) => JSON.parse(o) as Array<{ spec: unknown; nul: number[]; cal: number }>);
    // the shared scenarios agree across processes
    for (const o of outputs.slice(1)) {
      expect(o[0]).toEqual(outputs[0]![0]);
      expect(o[1]).toEqual(outputs[0]![1]);
    }
    const files = listFiles(dir);
    expect(files.filter((f) => f.endsWith('.tmp')), 'no temp file left').toEqual([]);
    for (const f of files) expect(validEnvelope(path.join(dir, f)), f).toBe(true);
    // shared keys were written once each (same name), own keys once per process
    expect(files.filter((f) => f.startsWith('null-')).length).toBe(5);
    // and the cache serves a fresh reader the same bits
    clearMemory();
    const again = await nullDistribution(makeScenario({ case: 1, k: 4, shape: 'even' }), { nPre: 20000, cacheDir: dir, verbose: 0 });
    expect(again.source).toBe('disk');
    expect(Array.from(again.sortedAbs.subarray(0, 20))).toEqual(outputs[0]![0]!.nul);
  }, 60000);
});
