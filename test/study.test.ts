// The study runner: full run, filtered run = same rows, shards + merge = full run (bit-identical
// tables), abort + resume, and resume refusing a changed configuration. Tiny sizes throughout.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../lib/csv';
import { SpearsimError } from '../lib/errors';
import { type StudyEvent, type StudyResult, mergeShards, runStudy } from '../lib/study';
import { createStudyReporter } from '../lib/study/progress';
import { STATE_DIR } from '../lib/study/resume';

const TINY = { generators: ['nonparametric', 'linear'] as ('nonparametric' | 'linear')[], nSims: 40, nReps: 4, nBoot: 40, nCal: 20, nPre: 400, verbose: 0 };
const TABLES = ['min_detectable_rho.csv', 'confidence_intervals.csv', 'all_distinct_summary.csv'];

let root: string;
let full: StudyResult;
const read = (dir: string, file: string): string => fs.readFileSync(path.join(dir, file), 'utf8');
const rows = (dir: string, file: string): string[] => read(dir, file).trimEnd().split('\n');

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-study-'));
  full = await runStudy({ ...TINY, outputDir: path.join(root, 'full') });
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('runStudy', () => {
  it('runs the 88 scenarios and writes the three tables and results.json', () => {
    const dir = path.join(root, 'full');
    expect(full.scenarios).toHaveLength(88);
    // 88 power searches x 2 generators + 88 asymptotic + 88 CIs (linear has no CI stage)
    expect(full.units).toHaveLength(88 * 2 + 88 + 88);
    expect(rows(dir, 'min_detectable_rho.csv')).toHaveLength(1 + 88 * 3);
    expect(rows(dir, 'confidence_intervals.csv')).toHaveLength(1 + 88);
    expect(rows(dir, 'all_distinct_summary.csv')).toHaveLength(1 + 4);
    const doc = JSON.parse(read(dir, 'results.json')) as StudyResult;
    expect(doc.provenance.seed).toBe(42);
    expect(doc.provenance.config.nSims).toBe(40);
    expect(doc.provenance.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(doc.timings.totalSeconds).toBeGreaterThan(0);
    expect(doc.tables.minDetectableRho.rows).toHaveLength(88 * 3);
    expect(doc.files.map((f) => path.basename(f))).toEqual([...TABLES, 'results.json']);
    // no temp files are left behind
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a filtered run gives exactly the same rows as the full run', async () => {
    const dir = path.join(root, 'filtered');
    await runStudy({ ...TINY, outputDir: dir, cases: [3, 2], kValues: [9, 5], shapes: ['heavy_tail', 'even'] });
    const fullDir = path.join(root, 'full');
    for (const file of TABLES) {
      const all = parseCsv(read(fullDir, file));
      const col = (name: string): number => all.header.indexOf(name);
      const selected = all.rows.filter((r) => {
        if (!['2', '3'].includes(r[col('case')]!)) return false;
        if (file === 'all_distinct_summary.csv') return true;
        return r[col('dist_type')] === 'all_distinct' || (['5', '9'].includes(r[col('n_distinct')]!) && ['heavy_tail', 'even'].includes(r[col('dist_type')]!));
      });
      const filtered = parseCsv(read(dir, file));
      expect(filtered.header).toEqual(all.header);
      expect(filtered.rows).toEqual(selected);
      expect(filtered.rows.length).toBeGreaterThan(0);
    }
  });

  it('shards + merge give tables bit-identical to the single-machine run', async () => {
    const base = path.join(root, 'sharded');
    for (const i of [1, 2, 3]) {
      const r = await runStudy({ ...TINY, outputDir: base, shard: `${i}/3` });
      expect(r.shard).toEqual({ index: i, count: 3 });
      expect(fs.existsSync(path.join(base, `shard-${i}-of-3`, 'results.json'))).toBe(true);
    }
    // an incomplete set of shards is refused, naming the missing shard
    expect(() => mergeShards([path.join(base, 'shard-1-of-3'), path.join(base, 'shard-3-of-3')], { outputDir: path.join(root, 'bad') })).toThrow(/shards 2\/3 are absent/);
    const merged = mergeShards([base], { outputDir: path.join(root, 'merged') });
    for (const t of TABLES) expect(read(path.join(root, 'merged'), t)).toBe(read(path.join(root, 'full'), t));
    expect(merged.units).toEqual(full.units.map((u) => expect.objectContaining({ id: u.id, ...('minDetectableRho' in u ? { minDetectableRho: u.minDetectableRho } : {}) })));
  });

  it('stops cleanly on abort, keeps finished units, and --resume completes to the same tables', async () => {
    const dir = path.join(root, 'resume');
    const controller = new AbortController();
    let done = 0;
    const onEvent = (e: StudyEvent): void => {
      if (e.type === 'unit-done' && ++done === 7) controller.abort();
    };
    const error = await runStudy({ ...TINY, outputDir: dir, signal: controller.signal, onEvent }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpearsimError);
    expect((error as SpearsimError).code).toBe('ERR_ABORTED');
    // with concurrent units (jobs > 1) a unit already running when the abort lands may finish too
    const saved = fs.readdirSync(path.join(dir, STATE_DIR, 'units')).filter((f) => f.endsWith('.json')).length;
    expect(saved).toBeGreaterThanOrEqual(7);
    expect(saved).toBeLessThanOrEqual(7 + 1);
    expect((error as SpearsimError).message).toMatch(new RegExp(`${saved} of 352 units are saved.*--resume`));
    expect(fs.existsSync(path.join(dir, 'min_detectable_rho.csv'))).toBe(false); // no partial tables

    // a different configuration cannot resume this state
    await expect(runStudy({ ...TINY, nSims: 41, outputDir: dir, resume: true })).rejects.toThrow(/cannot resume/);

    const resumed = await runStudy({ ...TINY, outputDir: dir, resume: true });
    expect(resumed.timings.unitsResumed).toBe(saved);
    expect(resumed.timings.unitsRun).toBe(352 - saved);
    for (const t of TABLES) expect(read(dir, t)).toBe(read(path.join(root, 'full'), t));
  });

  it('concurrent units (jobs = 2, threads divided) give the same tables', async () => {
    const dir = path.join(root, 'jobs');
    const r = await runStudy({ ...TINY, outputDir: dir, jobs: 2 });
    expect(r.provenance.config.jobs).toBe(2);
    for (const t of TABLES) expect(read(dir, t)).toBe(read(path.join(root, 'full'), t));
  });

  it('reports progress: plain lines off a TTY, per-unit detail with ETA, memory and CPU at verbosity 3', async () => {
    let text = '';
    const stream = { isTTY: false, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
    const events: StudyEvent[] = [];
    const report = createStudyReporter(3, stream);
    await runStudy({ ...TINY, outputDir: path.join(root, 'progress'), cases: [4], kValues: [4], shapes: ['even'], onEvent: (e) => { events.push(e); report(e); } });
    expect(events[0]).toMatchObject({ type: 'start', units: 8, toRun: 8, scenarios: 2 });
    expect(events.filter((e) => e.type === 'unit-done')).toHaveLength(8);
    expect(events.some((e) => e.type === 'unit-progress')).toBe(true); // native progress reaches the reporter
    expect(events.at(-1)!.type).toBe('finish');
    expect(text).toMatch(/\[1\/8\] power nonparametric positive: case 4, k=4 even: min detectable rho 0\.\d{4} \(\d+\.\d\d s\) \| ETA \d+s \| RSS \d+ MB \| CPU \d+ %/);
    expect(text).toMatch(/8 units run, 0 resumed, 2 scenarios/); // verbosity >= 2 summary
    let quiet = '';
    createStudyReporter(0, { isTTY: false, write: (s: string) => ((quiet += s), true) } as unknown as NodeJS.WriteStream)(events[0]!);
    expect(quiet).toBe('');
  });

  it('aborts inside a native unit', async () => {
    const controller = new AbortController();
    const onEvent = (e: StudyEvent): void => {
      if (e.type === 'unit-progress') controller.abort();
    };
    await expect(runStudy({ ...TINY, nSims: 4000, cases: [1], kValues: [4], shapes: ['even'], outputDir: path.join(root, 'abort2'), signal: controller.signal, onEvent })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  it('custom counts replace the frequency table; options reach the CI stage', async () => {
    const r = await runStudy({ ...TINY, outputDir: path.join(root, 'custom'), cases: [1, 3], customCounts: [[20, 20, 20, 20], [10, 30, 33]], baselines: false, stages: ['ci'], nCal: 25 });
    expect(r.scenarios.map((s) => s.id)).toEqual(['c1-custom-20.20.20.20', 'c3-custom-10.30.33']);
    expect(r.units.every((u) => u.kind === 'ci')).toBe(true);
    expect(r.provenance.config.nCal).toBe(25);
    await expect(runStudy({ ...TINY, outputDir: path.join(root, 'custom2'), cases: [1], customCounts: [[10, 30, 33]] })).rejects.toMatchObject({ code: 'ERR_INVALID_COUNTS' });
  });

  it('rejects unknown options with a hint and bad values with their range', async () => {
    await expect(runStudy({ nSim: 5 } as object)).rejects.toThrow(/unknown option nSim; did you mean nSims\?/);
    await expect(runStudy({ shard: '4/3' })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', option: 'shard' });
    await expect(runStudy({ cases: [5] })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', option: 'cases' });
    await expect(runStudy({ stages: ['power', 'plots'] as never })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', option: 'stages' });
  });
});
