// The CLI's streams and inputs as a real process (bin/spearsim.js on dist/): a closed or full stdout,
// FIFOs where a file is expected, SIGTERM while waiting on input; and in process: a column analyzed
// against itself or named ambiguously; planStudy measuring fresh work on every call.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/index';
import { planStudy } from '../../lib/study/plan';
import { captureOutput } from '../helpers/capture';
import { tempDir } from './harness';

const BIN = path.resolve('bin/spearsim.js');
let dir: string;
let fifo: string;
let data: string;

beforeAll(() => {
  dir = tempDir('cli-io');
  fifo = path.join(dir, 'fifo');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  data = path.join(dir, 'data.csv');
  fs.writeFileSync(data, 'dose,resp,dose,other\n1,2,1,5\n2,1,2,3\n3,4,3,1\n4,3,4,2\n5,5,5,4\n6,7,6,9\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

/** Runs the CLI; `withChild` may act on the process (close its stdout, signal it). Killed after 20 s. */
function cli(args: string[], withChild: (child: ReturnType<typeof spawn>) => void = () => {}, stdout: 'pipe' | number = 'pipe'): Promise<Ended> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', stdout, 'pipe'] });
  const t0 = performance.now();
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 20000);
  withChild(child);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stderr, ms: performance.now() - t0 });
    }),
  );
}

describe('closed or full stdout', () => {
  it('EPIPE (the reader went away): a quiet exit, no stack trace', async () => {
    for (const args of [['run', '--help'], ['--help'], ['asymptotic', '--help', '--json']]) {
      const r = await cli(args, (child) => child.stdout!.destroy());
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code).toBe(0);
    }
  });

  it('ENOSPC (>/dev/full): exit 1 with one line on stderr', async () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      for (const args of [['run', '--help'], ['analyze', data, '--x', '1', '--y', '2', '--n-boot', '50', '--json']]) {
        const r = await cli(args, () => {}, full);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr.trim().split('\n')).toEqual(['spearsim: error [ERR_IO]: cannot write to standard output: ENOSPC']);
      }
    } finally {
      fs.closeSync(full);
    }
  });
});

describe('FIFOs and waiting input never block', () => {
  it('a FIFO as the CSV, the config or a shard results.json is refused at once (nobody ever writes it)', async () => {
    for (const args of [['analyze', fifo, '--x', '1', '--y', '2'], ['run', '--config', fifo], ['merge', fifo]]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/\[ERR_IO\].*FIFO/);
      expect(r.ms).toBeLessThan(10000);
    }
  });

  it('SIGTERM while analyze waits on a silent stdin: exit 130 promptly', async () => {
    const r = await cli(['analyze', '-', '--x', '1', '--y', '2'], (child) => setTimeout(() => child.kill('SIGTERM'), 700));
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('ERR_ABORTED');
    expect(r.ms).toBeLessThan(5000);
  });
});

describe('analyze: a column against itself, ambiguous header names', () => {
  const run = (x: string, y: string): Promise<{ value: number; stderr: string }> =>
    captureOutput(() => main(['analyze', data, '--x', x, '--y', y, '--n-boot', '50']));

  it.each([
    ['1', '1'],
    ['resp', 'resp'],
    ['2', 'resp'],
    ['4', 'other'],
  ])('--x %s --y %s names one column twice: an error', async (x, y) => {
    const r = await run(x, y);
    expect(r.value).not.toBe(0);
    expect(r.stderr).toMatch(/\[ERR_OUT_OF_RANGE\].*y must be a column other than x/);
  });

  it('a name the header holds twice is ambiguous; by number the columns are usable', async () => {
    const r = await run('dose', 'resp');
    expect(r.value).not.toBe(0);
    expect(r.stderr).toMatch(/names "dose" 2 times \(columns 1, 3\); give the column by its 1-based number/);
    expect((await run('3', 'resp')).value).toBe(0);
    expect((await run('1', '3')).value).toBe(0); // two distinct columns that happen to hold equal values
  });
});

describe('planStudy measures fresh work on every call', () => {
  it('checks the tier before measuring', async () => {
    // an already-aborted signal would stop the measurement: the tier error must come first
    await expect(planStudy({ tier: 5, signal: AbortSignal.abort(), verbose: 0 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  });

  it('later calls in the same process measure work, not cache hits', async () => {
    const options = { cases: [1], kValues: [4], shapes: ['even'] as 'even'[], generators: ['nonparametric'] as 'nonparametric'[], verbose: 0 };
    const plans = [];
    for (let i = 0; i < 4; i++) plans.push(await planStudy(options));
    const [first, , , last] = plans;
    // repeated sizes used to be served from the caches: timed calls then stayed under the timing
    // floor, so the sizes climbed and the call time grew ~10x by the fourth call (1.4 -> 14.7 s)
    // while the costs measured lookups; a null or calibration served from a cache now fails the call
    for (const plan of plans) expect(plan.costs.cpu.perNullPermutation).toBeGreaterThan(1e-10); // a lookup: 2e-12
    expect(last!.costs.measuredIn).toBeLessThan(3 * first!.costs.measuredIn + 1);
  }, 120000);
});
