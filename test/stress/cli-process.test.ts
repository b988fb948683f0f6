// The command line as a real process (slow tier): exit codes, exactly one JSON object on
// stdout with --json, real SIGINT/SIGTERM during a grid run (exit 130 within a second, no partial
// file), and a sample of fuzzed invocations. The CLI runs from lib/ through ts-node, exactly as
// bin/spearsim.js runs dist/ (main(argv) -> process.exitCode).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles, partialFiles } from '../hardening/harness';

const REPO = path.resolve(__dirname, '..', '..');
const BIN = `require(${JSON.stringify(path.join(REPO, 'lib', 'cli', 'index.ts'))}).main(process.argv.slice(1)).then((code) => { process.exitCode = code; });`;
// '--' ends Node's own options, so CLI flags such as --version reach the CLI
const NODE_ARGS = ['-r', path.join(REPO, 'node_modules', 'ts-node', 'register', 'transpile-only'), '-e', BIN, '--'];
const ENV = { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-cli-process-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function cli(argv: string[]): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...NODE_ARGS, ...argv], { cwd: work, env: ENV, encoding: 'utf8', timeout: 120000, killSignal: 'SIGKILL' });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function oneJsonObject(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines, stdout.slice(0, 500)).toHaveLength(1);
  const parsed = JSON.parse(lines[0]!) as unknown;
  expect(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)).toBe(true);
  return parsed as Record<string, unknown>;
}

describe('exit codes and --json', () => {
  const cases: Array<[string[], number]> = [
    [['asymptotic', '--cases', '1', '--k-values', '4', '--shapes', 'even', '--json'], 0],
    [['bootstrap', '--x', '1,2,3,4,5,1,2', '--y', '3,1,2,5,4,7,6', '--n-boot', '200', '--json'], 0],
    // a bad value is bad usage (2); a missing file is a failure to run (1)
    [['bootstrap', '--x', '1,2,3', '--y', '1,2', '--json'], 2],
    [['bootstrap', '--x', '1,NaN,3', '--y', '1,2,3', '--json'], 2],
    [['bootstrap', '--thread', '2', '--json'], 2],
    [['nope', '--json'], 2],
    [['scenario', '--case', '9', '--k', '4', '--shape', 'even', '--json'], 2],
    [['analyze', '/nonexistent.csv', '--x', 'a', '--y', 'b', '--json'], 1],
    [['run', '--n-sims', 'lots', '--json'], 2],
    [['--version', '--json'], 0],
  ];
  for (const [argv, code] of cases) {
    it(`${argv.join(' ')} -> ${code}`, () => {
      const r = cli(argv);
      expect(r.signal).toBeNull();
      expect(r.status, r.stderr.slice(-500)).toBe(code);
      const out = oneJsonObject(r.stdout);
      if (code !== 0) expect((out.error as { code?: string })?.code).toMatch(/^ERR_/);
    });
  }
});

/** Starts a grid run, sends `signal` after `afterMs`, and returns how it ended. */
function interruptRun(signal: NodeJS.Signals, afterMs: number, outputDir: string): Promise<{ code: number | null; sig: string | null; stdout: string; stopMs: number }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...NODE_ARGS, 'run', '--cases', '1,2', '--k-values', '4,5,6', '--shapes', 'even', '--n-sims', '200000', '--n-reps', '5000', '--n-boot', '1000', '--threads', '2', '--verbose', '0', '--output-dir', outputDir, '--json'],
      { cwd: work, env: ENV },
    );
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    let sentAt = 0;
    const timer = setTimeout(() => {
      sentAt = performance.now();
      child.kill(signal);
    }, afterMs);
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, sig, stdout, stopMs: sentAt ? performance.now() - sentAt : -1 });
    });
  });
}

describe('real signals during a grid run', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: exit 130 within a second, one JSON object, no partial file`, async () => {
      const outputDir = path.join(work, `signal-${signal}`);
      // ts-node startup takes ~1-2 s; interrupt well into the run
      const r = await interruptRun(signal, 6000, outputDir);
      expect(r.sig, 'must exit, not die by the signal').toBeNull();
      expect(r.stopMs, 'signal was sent before the run finished').toBeGreaterThan(0);
      expect(r.code).toBe(130);
      expect(r.stopMs, `stopped ${r.stopMs.toFixed(0)} ms after ${signal}`).toBeLessThan(1000);
      const out = oneJsonObject(r.stdout);
      expect((out.error as { code?: string })?.code).toBe('ERR_ABORTED');
      expect(partialFiles(outputDir, [])).toEqual([]);
      for (const f of listFiles(outputDir).filter((n) => n.endsWith('.json'))) {
        expect(() => JSON.parse(fs.readFileSync(path.join(outputDir, f), 'utf8')), f).not.toThrow();
      }
    }, 120000);
  }

  it('an interrupted run resumes to the same tables as an uninterrupted one', async () => {
    const small = ['--cases', '1', '--k-values', '4,5', '--shapes', 'even', '--n-sims', '3000', '--n-reps', '300', '--n-boot', '300', '--n-cal', '100', '--n-pre', '5000', '--threads', '2', '--verbose', '0', '--json'];
    const straight = path.join(work, 'straight');
    const resumed = path.join(work, 'resumed');
    expect(cli(['run', ...small, '--output-dir', straight]).status).toBe(0);
    // interrupt early, then resume
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [...NODE_ARGS, 'run', ...small, '--output-dir', resumed], { cwd: work, env: ENV });
      setTimeout(() => child.kill('SIGINT'), 3500);
      child.on('exit', () => resolve());
    });
    expect(cli(['run', ...small, '--output-dir', resumed, '--resume']).status).toBe(0);
    for (const table of ['min_detectable_rho.csv', 'confidence_intervals.csv']) {
      expect(fs.readFileSync(path.join(resumed, table), 'utf8'), table).toBe(fs.readFileSync(path.join(straight, table), 'utf8'));
    }
  }, 300000);
});
