// Outputs and saved work: a run's four outputs are published as one set with a manifest; leftovers of
// killed writers are removed; an interrupted run's units are never discarded silently; resume and
// merge validate every unit they read (recompute with a warning / refuse naming the file); an
// unusable --output-dir is ERR_IO. Tiny filtered runs throughout.
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/index';
import { SpearsimError } from '../../lib/errors';
import { writeFileAtomic } from '../../lib/internal/files';
import { CURRENT, MANIFEST_FILE, SETS_DIR, publishOutputSet } from '../../lib/internal/output-set';
import { type StudyEvent, type StudyResult, mergeShards, runStudy } from '../../lib/study';
import { STATE_DIR } from '../../lib/study/resume';
import { toCsv } from '../../lib/study/tables';
import { nullDistribution } from '../../lib/pvalues';
import { captureOutput } from '../helpers/capture';
import { tempDir } from './harness';

const TINY = {
  generators: ['nonparametric'] as 'nonparametric'[], cases: [1], kValues: [4], shapes: ['even'] as 'even'[],
  nSims: 40, nReps: 4, nBoot: 40, nCal: 20, nPre: 400, verbose: 0, jobs: 1,
};
const NAMES = ['min_detectable_rho.csv', 'confidence_intervals.csv', 'all_distinct_summary.csv', 'results.json'];

let root: string;
let clean: StudyResult;
const read = (dir: string, name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');
const unitsDir = (dir: string): string => path.join(dir, STATE_DIR, 'units');
const unitFiles = (dir: string): string[] => fs.readdirSync(unitsDir(dir)).filter((f) => f.endsWith('.json')).sort();

/** The tables of a published set agree with its results.json (one run, not a mix). */
function consistent(dir: string): boolean {
  const doc = JSON.parse(read(dir, 'results.json')) as StudyResult;
  return (
    read(dir, NAMES[0]!) === toCsv(doc.tables.minDetectableRho) &&
    read(dir, NAMES[1]!) === toCsv(doc.tables.confidenceIntervals) &&
    read(dir, NAMES[2]!) === toCsv(doc.tables.allDistinctSummary)
  );
}

/** Interrupts a run after `units` units; returns the directory. */
async function interrupted(name: string, units = 3): Promise<string> {
  const dir = path.join(root, name);
  const controller = new AbortController();
  let done = 0;
  const onEvent = (e: StudyEvent): void => {
    if (e.type === 'unit-done' && ++done === units) controller.abort();
  };
  await expect(runStudy({ ...TINY, outputDir: dir, signal: controller.signal, onEvent })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  return dir;
}

/** A pid that is certainly not running (a child that has exited). */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

beforeAll(async () => {
  root = tempDir('outputs');
  clean = await runStudy({ ...TINY, outputDir: path.join(root, 'clean') });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('output sets', () => {
  it('names link into the published set; its manifest names the run and checksums every file', () => {
    const dir = path.join(root, 'clean');
    for (const name of NAMES) expect(fs.readlinkSync(path.join(dir, name))).toBe(path.join(SETS_DIR, CURRENT, name));
    const manifest = JSON.parse(read(dir, path.join(SETS_DIR, CURRENT, MANIFEST_FILE))) as {
      run: Record<string, unknown>; files: Array<{ name: string; sha256: string; bytes: number }>;
    };
    expect(manifest.run).toMatchObject({ seed: 42, fingerprint: clean.fingerprint, version: clean.provenance.version, engine: clean.provenance.engine });
    expect(manifest.files.map((f) => f.name)).toEqual(NAMES);
    for (const f of manifest.files) {
      const text = fs.readFileSync(path.join(dir, f.name));
      expect(createHash('sha256').update(text).digest('hex')).toBe(f.sha256);
      expect(text.length).toBe(f.bytes);
    }
    expect(consistent(dir)).toBe(true);
    expect(clean.files.map((f) => path.basename(f))).toEqual(NAMES);
  });

  it('a failure while writing a set leaves the previous set published, whole, and no staging behind', () => {
    const dir = path.join(root, 'failing');
    publishOutputSet(dir, [{ name: 'a.txt', text: 'one' }, { name: 'b.txt', text: 'one' }], { run: 1 });
    // a name with a directory part cannot be created in the staging directory: the write fails mid-set
    const e = (() => {
      try {
        publishOutputSet(dir, [{ name: 'a.txt', text: 'two' }, { name: 'sub/b.txt', text: 'two' }], { run: 2 });
      } catch (err) {
        return err as SpearsimError;
      }
      return undefined;
    })();
    expect(e?.code).toBe('ERR_IO');
    expect(read(dir, 'a.txt')).toBe('one');
    expect(read(dir, 'b.txt')).toBe('one');
    expect(fs.readdirSync(path.join(dir, SETS_DIR))).toHaveLength(2); // current + the one set
  });

  it('where symlinks cannot be made, the names become copies of the set (results.json last) and the set keeps its manifest', () => {
    const dir = path.join(root, 'no-symlinks');
    // a child process whose fs cannot make symlinks (patched before the package is loaded)
    const script = `
      const fs = require('node:fs');
      fs.symlinkSync = () => { throw Object.assign(new Error('EPERM: operation not permitted, symlink'), { code: 'EPERM' }); };
      const { publishOutputSet } = require(${JSON.stringify(path.resolve('dist/internal/output-set.js'))});
      publishOutputSet(${JSON.stringify(dir)}, [{ name: 'a.txt', text: 'one' }, { name: 'results.json', text: '{}' }], { run: 1 });
      publishOutputSet(${JSON.stringify(dir)}, [{ name: 'a.txt', text: 'two' }, { name: 'results.json', text: '[]' }], { run: 2 });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20000 });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'a.txt')).isFile()).toBe(true);
    expect(read(dir, 'a.txt')).toBe('two');
    expect(read(dir, 'results.json')).toBe('[]');
    const sets = fs.readdirSync(path.join(dir, SETS_DIR));
    expect(sets).toHaveLength(1);
    expect(JSON.parse(read(dir, path.join(SETS_DIR, sets[0]!, MANIFEST_FILE))).run).toEqual({ run: 2 });
  });

  it('leftovers of killed writers are removed by the next run; those of live processes are kept', async () => {
    const dir = path.join(root, 'leftovers');
    await runStudy({ ...TINY, outputDir: dir });
    const dead = deadPid();
    const sets = path.join(dir, SETS_DIR);
    const stale = [
      path.join(dir, `results.json.${dead}.0123456789ab.tmp`),
      path.join(sets, `20200101T000000000Z-deadbeef-${dead}.${dead}.staging`),
      path.join(sets, `20200101T000000000Z-deadbeef-${dead}`),
      path.join(sets, `current.${dead}.0123456789ab.tmp`),
      path.join(unitsDir(dir), `x.json.${dead}.0123456789ab.tmp`),
    ];
    const live = path.join(sets, `20200101T000000000Z-cafef00d-${process.ppid}`);
    for (const f of stale) fs.mkdirSync(f);
    fs.mkdirSync(live);
    await runStudy({ ...TINY, outputDir: dir, resume: true });
    for (const f of stale) expect(fs.existsSync(f), f).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.readdirSync(sets).filter((s) => s !== CURRENT && s !== path.basename(live))).toHaveLength(1);
    expect(consistent(dir)).toBe(true);
  });

  it('a cache write removes the temp files of killed writers in the cache directory', async () => {
    const cacheDir = path.join(root, 'cache-leftovers');
    fs.mkdirSync(cacheDir, { recursive: true });
    const dead = deadPid();
    const stale = path.join(cacheDir, `null-0123.json.${dead}.0123456789ab.tmp`);
    const live = path.join(cacheDir, `null-4567.json.${process.ppid}.0123456789ab.tmp`);
    fs.writeFileSync(stale, '{"half":');
    fs.writeFileSync(live, '{"half":');
    await nullDistribution({ n: 40, counts: [10, 10, 10, 10], allDistinct: false }, { nPre: 1234, cacheDir, saveCache: true, verbose: 0 });
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });

  it('a run killed (SIGKILL) at any moment leaves the previous set or the new one, never a mix', async () => {
    const dir = path.join(root, 'killed');
    await runStudy({ ...TINY, outputDir: dir });
    const before = read(dir, 'results.json');
    const bin = path.resolve('bin/spearsim.js');
    const args = ['run', '--output-dir', dir, '--generators', 'nonparametric', '--cases', '1', '--k-values', '4', '--shapes', 'even',
      '--n-sims', '40', '--n-reps', '4', '--n-boot', '40', '--n-cal', '20', '--n-pre', '400', '--verbose', '0', '--fresh', '--seed'];
    for (let i = 0; i < 6; i++) {
      const child = spawn(process.execPath, [bin, ...args, String(100 + i)], { stdio: 'ignore' });
      const closed = new Promise((r) => child.on('close', r)); // before the kill: it may end first
      await new Promise((r) => setTimeout(r, 150 + 90 * i));
      child.kill('SIGKILL');
      await closed;
      expect(consistent(dir), `kill ${i}`).toBe(true);
    }
    expect(typeof before).toBe('string');
  }, 60000);
});

describe('finished work is never deleted silently', () => {
  it('a run without --resume over an interrupted run refuses, naming --resume and --fresh; --fresh discards with a warning', async () => {
    const dir = await interrupted('refuse');
    const saved = unitFiles(dir);
    const e = (await runStudy({ ...TINY, outputDir: dir }).catch((err: unknown) => err)) as SpearsimError;
    expect(e.code).toBe('ERR_UNSUPPORTED');
    expect(e.message).toMatch(new RegExp(`holds ${saved.length} units .*--resume.*--fresh`));
    expect(unitFiles(dir)).toEqual(saved); // nothing was touched
    // the CLI says the same
    const { value: code, stderr } = await captureOutput(() => main(['run', '--output-dir', dir, '--cases', '1', '--k-values', '4', '--shapes', 'even', '--verbose', '0']));
    expect(code).toBe(1);
    expect(stderr).toMatch(/--resume.*--fresh/);
    await expect(runStudy({ ...TINY, outputDir: dir, fresh: true, resume: true })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    const fresh = await runStudy({ ...TINY, outputDir: dir, fresh: true, verbose: 0 });
    expect(fresh.warnings.some((w) => /--fresh: discarding/.test(w))).toBe(true);
    expect(fresh.timings.unitsResumed).toBe(0);
  });

  it('a completed run may be rerun without --fresh', async () => {
    const dir = path.join(root, 'clean');
    const again = await runStudy({ ...TINY, outputDir: dir });
    for (const name of NAMES.slice(0, 3)) expect(read(dir, name)).toBe(toCsv(again.tables[(['minDetectableRho', 'confidenceIntervals', 'allDistinctSummary'] as const)[NAMES.indexOf(name)]!]));
  });

  it('--resume with run.json missing keeps every valid unit (each carries its fingerprint)', async () => {
    const dir = await interrupted('no-run-record');
    const saved = unitFiles(dir).length;
    fs.rmSync(path.join(dir, STATE_DIR, 'run.json'));
    const r = await runStudy({ ...TINY, outputDir: dir, resume: true });
    expect(r.timings.unitsResumed).toBe(saved);
    for (const name of NAMES.slice(0, 3)) expect(read(dir, name)).toBe(read(path.join(root, 'clean'), name));
  });
});

describe('resume validates every saved unit', () => {
  const damage: Record<string, (file: string) => void> = {
    'reduced to {"id": ...}': (f) => {
      const env = JSON.parse(fs.readFileSync(f, 'utf8')) as { unit: { id: string } };
      fs.writeFileSync(f, JSON.stringify({ id: env.unit.id }));
    },
    'a rho edited to 7.5 (checksum fixed up too)': (f) => {
      const env = JSON.parse(fs.readFileSync(f, 'utf8')) as { unit: Record<string, unknown>; checksum: string };
      for (const k of ['minDetectableRho', 'ciLower']) if (k in env.unit) env.unit[k] = 7.5;
      if (Array.isArray(env.unit.power)) (env.unit.power as Array<Record<string, unknown>>)[0]!.minDetectableRho = 7.5;
      env.checksum = createHash('sha256').update(JSON.stringify(env.unit)).digest('hex');
      fs.writeFileSync(f, JSON.stringify(env));
    },
    'a minimum detectable rho on the wrong side (checksum fixed up)': (f) => {
      const env = JSON.parse(fs.readFileSync(f, 'utf8')) as { unit: Record<string, unknown>; checksum: string };
      const flip = (o: Record<string, unknown>): void => void (o.minDetectableRho = -(o.minDetectableRho as number));
      if (env.unit.kind === 'power') flip(env.unit);
      else if (env.unit.kind === 'asymptotic') flip((env.unit.power as Array<Record<string, unknown>>)[0]!);
      else env.unit.ciLower = 0.9; // a CI: lower above upper
      env.checksum = createHash('sha256').update(JSON.stringify(env.unit)).digest('hex');
      fs.writeFileSync(f, JSON.stringify(env));
    },
    'a rho edited within range (checksum mismatch)': (f) => fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/("(?:minDetectableRho|ciLower)":)-?[0-9.e-]+/, '$10.25')),
    truncated: (f) => fs.writeFileSync(f, fs.readFileSync(f, 'utf8').slice(0, 40)),
    'a field dropped (checksum fixed up)': (f) => {
      const env = JSON.parse(fs.readFileSync(f, 'utf8')) as { unit: Record<string, unknown>; checksum: string };
      delete env.unit[env.unit.kind === 'asymptotic' ? 'ci' : env.unit.kind === 'ci' ? 'ciUpper' : 'nSims'];
      env.checksum = createHash('sha256').update(JSON.stringify(env.unit)).digest('hex');
      fs.writeFileSync(f, JSON.stringify(env));
    },
    'a symlink to /dev/zero': (f) => {
      fs.rmSync(f);
      fs.symlinkSync('/dev/zero', f);
    },
    'a FIFO': (f) => {
      fs.rmSync(f);
      expect(spawnSync('mkfifo', [f]).status).toBe(0);
    },
    'another unit copied over it': (f) => {
      const other = unitFiles(path.dirname(path.dirname(path.dirname(f)))).find((n) => path.join(path.dirname(f), n) !== f)!;
      fs.copyFileSync(path.join(path.dirname(f), other), f);
    },
    'empty': (f) => fs.writeFileSync(f, ''),
  };

  it.each(Object.keys(damage))('%s: recomputed with a warning naming the file; tables whole and identical', async (what) => {
    const dir = await interrupted(`damaged-${what.replace(/[^a-z0-9]+/gi, '_')}`, 4);
    const names = unitFiles(dir);
    const victims = [names[0]!, names[names.length - 1]!].map((n) => path.join(unitsDir(dir), n));
    for (const v of victims) damage[what]!(v);
    const r = await runStudy({ ...TINY, outputDir: dir, resume: true });
    for (const v of victims) expect(r.warnings.some((w) => w.includes(v) && /recomputed/.test(w)), v).toBe(true);
    expect(r.timings.unitsResumed).toBe(names.length - victims.length);
    for (const name of NAMES.slice(0, 3)) expect(read(dir, name)).toBe(read(path.join(root, 'clean'), name));
  });
});

describe('merge validates shard units (no recomputation: a coded error naming the file)', () => {
  let shards: string;
  beforeAll(async () => {
    shards = path.join(root, 'shards');
    for (const i of [1, 2]) await runStudy({ ...TINY, kValues: [4, 5], outputDir: shards, shard: `${i}/2` });
  });

  const results = (i: number): string => path.join(shards, `shard-${i}-of-2`, 'results.json');
  /** Copies shard 2's results.json out of its set (no manifest beside it) and edits it. */
  function edited(name: string, edit: (doc: { units: Array<Record<string, unknown>> }) => void): string {
    const dir = path.join(root, `merge-${name}`);
    fs.mkdirSync(dir, { recursive: true });
    const doc = JSON.parse(fs.readFileSync(results(2), 'utf8')) as { units: Array<Record<string, unknown>> };
    edit(doc);
    const file = path.join(dir, 'results.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    return file;
  }

  it('merges clean shards', () => {
    expect(mergeShards([shards], { outputDir: path.join(root, 'merged'), verbose: 0 }).units.length).toBeGreaterThan(0);
  });

  it.each([
    ['a unit reduced to {"id": ...}', (d: { units: Array<Record<string, unknown>> }) => (d.units[0] = { id: d.units[0]!.id })],
    ['a rho of 7.5', (d: { units: Array<Record<string, unknown>> }) => (d.units.find((u) => u.kind === 'power')!.minDetectableRho = 7.5)],
    ['a minimum detectable rho on the wrong side', (d: { units: Array<Record<string, unknown>> }) => {
      const u = d.units.find((x) => x.kind === 'power')!;
      u.minDetectableRho = -(u.minDetectableRho as number);
    }],
    ['a column dropped', (d: { units: Array<Record<string, unknown>> }) => delete d.units.find((u) => u.kind === 'asymptotic')!.ci],
    ['a foreign unit', (d: { units: Array<Record<string, unknown>> }) => (d.units[0]!.id = 'power/nonparametric/c9-k99-even/negative')],
    ['a unit that is null', (d: { units: Array<Record<string, unknown>> }) => (d.units[0] = null as unknown as Record<string, unknown>)],
  ])('%s: ERR_IO naming the file (merge and plot forest)', async (name, edit) => {
    const file = edited(name.replace(/\W+/g, '_'), edit);
    const e = (() => {
      try {
        mergeShards([results(1), file], { outputDir: path.join(root, 'merged-bad'), verbose: 0 });
      } catch (err) {
        return err as SpearsimError;
      }
      return undefined;
    })();
    expect(e?.code).toBe('ERR_IO');
    expect(e?.message).toContain(file);
    // plot forest reads results.json the same way
    const plot = await captureOutput(() => main(['plot', 'forest', '--results', file, '--output', path.join(root, 'forest.svg')]));
    expect(plot.value).toBe(1);
    expect(plot.stderr).toMatch(/\[ERR_IO\].*unusable|\[ERR_IO\].*not a unit/);
  });

  it('two shards disagreeing about a unit, and a results.json changed after publication, are refused', () => {
    const other = edited('disagree', (d) => {
      const u = d.units.find((x) => x.kind === 'power')!;
      u.minDetectableRho = (u.minDetectableRho as number) / 2;
    });
    expect(() => mergeShards([results(2), other, results(1)], { outputDir: path.join(root, 'm2'), verbose: 0 })).toThrow(/hold different results/);
    // an in-range edit of a published results.json is caught by its set's manifest
    const real = fs.realpathSync(results(2));
    fs.writeFileSync(real, fs.readFileSync(real, 'utf8').replace(/"minDetectableRho": (-?[0-9.]+)/, '"minDetectableRho": -0.25'));
    expect(() => mergeShards([shards], { outputDir: path.join(root, 'm3'), verbose: 0 })).toThrow(/checksum in its output set's manifest/);
  });
});

describe('a special file where an output goes is never replaced', () => {
  it('a FIFO in place of results.json (run), of a plot (--output) or of a cache-style atomic write: ERR_IO, the FIFO stays', async () => {
    const dir = path.join(root, 'fifo-out');
    fs.mkdirSync(dir, { recursive: true });
    const fifo = path.join(dir, 'results.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const e = (await runStudy({ ...TINY, stages: ['asymptotic'], outputDir: dir }).catch((err: unknown) => err)) as SpearsimError;
    expect(e.code).toBe('ERR_IO');
    expect(e.message).toMatch(/in the way/);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    expect(() => writeFileAtomic(fifo, 'x')).toThrow(/in the way/);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    const plot = await captureOutput(() => main(['plot', 'forest', '--results', path.join(root, 'clean'), '--output', fifo]));
    expect(plot.value).toBe(1);
    expect(plot.stderr).toMatch(/\[ERR_IO\].*in the way/);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe('--output-dir that cannot be a directory: ERR_IO', () => {
  let file: string;
  beforeAll(() => {
    file = path.join(root, 'a-file');
    fs.writeFileSync(file, 'x');
  });
  it.each([
    ['an existing file', () => file],
    ['a path under a file', () => path.join(file, 'sub')],
    ['/dev/null', () => '/dev/null'],
    ['an over-long name', () => path.join(root, 'x'.repeat(300))],
    ['a path under /proc', () => '/proc/self/spearsim-out'],
  ])('%s (run and merge)', async (_what, dir) => {
    const run = await captureOutput(() => main(['run', '--output-dir', dir(), '--cases', '1', '--k-values', '4', '--shapes', 'even', '--stages', 'asymptotic', '--verbose', '0']));
    expect(run.value).toBe(1);
    expect(run.stderr).toContain('[ERR_IO]');
    const merge = await captureOutput(() => main(['merge', path.join(root, 'clean'), '--output-dir', dir(), '--verbose', '0']));
    expect(merge.value).toBe(1);
    expect(merge.stderr).toContain('[ERR_IO]');
  });
});
