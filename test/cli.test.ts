// CLI: flag aliases, precedence (flags > env > config file > preset > defaults), errors with hints,
// and the --json contracts of run / scenario / power / asymptotic / merge / plan. In-process, tiny sizes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromArgs, parseArgs } from '../lib/cli/args';
import { debugStacks, main } from '../lib/cli/index';
import { COMMANDS } from '../lib/cli/commands';
import { SpearsimError } from '../lib/errors';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-cli-'));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** Runs the CLI in-process; returns the exit code and what it wrote. */
async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const command = (name: string) => COMMANDS.find((c) => c.name === name)!;
const TINY = ['--n-cal', '20', '--n-pre', '400', '--verbose', '0'];

describe('arguments', () => {
  it('accepts --sims/--reps/--boot as aliases of --n-sims/--n-reps/--n-boot', () => {
    const c = command('scenario');
    const args = parseArgs(['--case', '3', '--k', '4', '--shape', 'even', '--sims', '777', '--reps', '12', '--boot=300'], c.options, c.flags);
    expect(args.options).toEqual({ nSims: '777', nReps: '12', nBoot: '300' });
    const config = configFromArgs(args, {}, c.base!(args));
    expect(config).toMatchObject({ nSims: 777, nReps: 12, nBoot: 300, seed: 42 });
  });

  it('precedence: flags > environment > config file > preset > defaults', () => {
    const file = path.join(root, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ seed: 1, nSims: 77, preset: 'quick', 'n-cal': 555 }));
    const c = command('run');
    const resolve = (argv: string[], env: NodeJS.ProcessEnv) => configFromArgs(parseArgs(argv, c.options, c.flags), env);
    expect(resolve(['--config', file], {})).toMatchObject({ seed: 1, nSims: 77, nCal: 555, nReps: 20, nBoot: 500 });
    expect(resolve(['--config', file], { SPEARSIM_SEED: '2' })).toMatchObject({ seed: 2, nSims: 77 });
    expect(resolve(['--config', file, '--seed', '3', '--sims', '88'], { SPEARSIM_SEED: '2' })).toMatchObject({ seed: 3, nSims: 88, nReps: 20 });
    expect(resolve(['--config', file, '--preset', 'tier-0.01'], {})).toMatchObject({ nSims: 77, nCal: 555, nReps: 1300, nBoot: 500 });
    expect(resolve([], {})).toMatchObject({ nSims: 10000, nReps: 200, nBoot: 1000, nCal: 300 });
  });

  it('unknown flags and config keys fail with a hint; bad values name the option and the range', async () => {
    const c = command('run');
    expect(() => parseArgs(['--n-sim', '5'], c.options, c.flags)).toThrow(/unknown option --n-sim; did you mean --n-sims\?/);
    // an abbreviation of every word is a near miss too
    expect(() => parseArgs(['--out-dir', 'x'], c.options, c.flags)).toThrow(/unknown option --out-dir; did you mean --output-dir\?/);
    expect(() => parseArgs(['--cases'], c.options, c.flags)).toThrow(/--cases must be a value/);
    const bad = path.join(root, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ nSimz: 5 }));
    expect(() => configFromArgs(parseArgs(['--config', bad], c.options, c.flags), {})).toThrow(/did you mean "nSims"/);
    const r = await cli(['run', '--n-sim', '5', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'ERR_UNKNOWN_OPTION', message: expect.stringContaining('did you mean --n-sims?'), option: 'n-sim' } });
    const range = await cli(['run', '--cases', '1,9']);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/cases must be an integer in \[1, 4\]; received 9/);
    const shard = await cli(['run', '--shard', '0/2', '--output-dir', path.join(root, 'x')]);
    expect(shard.stderr).toMatch(/shard must be "i\/N" with 1 <= i <= N/);
    const cmd = await cli(['rn']);
    expect(cmd.stderr).toMatch(/unknown option command "rn"; did you mean command "run"\?/);
    const env = await cli(['run', '--stages', 'asymptotic', '--output-dir', path.join(root, 'y')], { SPEARSIM_SHARD: 'two' });
    expect(env.stderr).toMatch(/shard must be/);
  });
});

describe('commands', () => {
  it('scenario --ci-only --json: one object whose ci holds the expected-CI fields', async () => {
    const r = await cli(['scenario', '--case', '3', '--k', '4', '--shape', 'even', '--ci-only', '--rho', '-0.13', '--reps', '6', '--boot', '60', '--seed', '42', '--json', ...TINY]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ci).toMatchObject({ generator: 'nonparametric', nReps: 6, nBoot: 60, rho: -0.13 });
    for (const k of ['ciLower', 'ciUpper', 'ciLowerSd', 'ciUpperSd', 'meanRhoHat', 'rhoIn']) expect(typeof out.ci[k]).toBe('number');
    expect(out.power).toBeNull();
    expect(out.scenario.description).toBe('Case 3 (B-Al, outliers excluded), N=73, k=4, even');
    expect(out.provenance.seed).toBe(42);
    expect(out.ci.intervalMethod).toBe('percentile');
    const bca = JSON.parse((await cli(['scenario', '--case', '3', '--k', '4', '--shape', 'even', '--ci-only', '--rho', '-0.13', '--reps', '6', '--boot', '60', '--seed', '42', '--interval-method', 'bca', '--json', ...TINY])).stdout);
    expect(bca.ci.intervalMethod).toBe('bca');
    expect(bca.ci.meanRhoHat).toBe(out.ci.meanRhoHat);
  });

  it('scenario --power-only with --freq and --all-distinct; both parts by default with every generator', async () => {
    const freq = JSON.parse((await cli(['scenario', '--case', '1', '--freq', '19,18,18,25', '--power-only', '--sims', '60', '--generator', 'copula', '--json', ...TINY])).stdout);
    expect(freq.power).toMatchObject({ generator: 'copula', direction: 'negative', nSims: 60, boundaryWarning: null });
    expect(freq.power.minDetectableRho).toBeLessThan(0);
    expect(freq.scenario).toMatchObject({ shape: 'custom', k: 4, counts: [19, 18, 18, 25] });
    const bad = await cli(['scenario', '--case', '1', '--freq', '19,18,18,18', '--json']);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'ERR_INVALID_COUNTS', message: 'counts sum to 73, but case 1 has n=80' });
    const both = await cli(['scenario', '--case', '2', '--all-distinct', '--sims', '40', '--reps', '3', '--boot', '40', ...TINY]);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(/^Case 2 \(H-Al, no outliers excluded\), N=82, all distinct/);
    for (const m of ['nonparametric', 'copula', 'linear', 'asymptotic_none', 'bootstrap_linear', 'asym_none']) expect(both.stdout).toContain(m);
    const none = await cli(['scenario', '--case', '2']);
    expect(none.stderr).toMatch(/exactly one of --k with --shape, --freq, --all-distinct/);
  });

  it('power --rho list --json: rows of rho, power, se, realisedMeanRho', async () => {
    const r = await cli(['power', '--case', '3', '--k', '4', '--shape', 'heavy_center', '--rho', '0.2,0.3', '--sims', '200', '--json', ...TINY]);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toHaveLength(2);
    expect(out.rows.map((x: { rho: number }) => x.rho)).toEqual([0.2, 0.3]);
    for (const row of out.rows) for (const k of ['power', 'se', 'realisedMeanRho']) expect(typeof row[k]).toBe('number');
  });

  it('asymptotic --json: one row per scenario of the 88', async () => {
    const out = JSON.parse((await cli(['asymptotic', '--json'])).stdout);
    expect(out.rows).toHaveLength(88);
    expect(out.rows[0]).toMatchObject({ case: 1, k: 4, shape: 'even', direction: 'negative' });
    expect(Object.keys(out.rows[0].minDetectableRho).sort()).toEqual(['fhp', 'none']);
  });

  it('run --json prints one JSON object (progress on stderr); merge combines shards', async () => {
    const base = ['--cases', '2', '--k-values', '4', '--sims', '40', '--reps', '3', '--boot', '40', '--generators', 'nonparametric', ...TINY];
    const whole = await cli(['run', ...base, '--output-dir', path.join(root, 'whole'), '--json', '--profile']);
    expect(whole.code).toBe(0);
    const doc = JSON.parse(whole.stdout);
    expect(doc.format).toBe('spearsim-study/1');
    expect(doc.profile.bottleneck).toEqual(expect.any(String));
    expect(doc.scenarios).toHaveLength(4);
    for (const i of [1, 2]) expect((await cli(['run', ...base, '--output-dir', path.join(root, 'sh'), '--shard', `${i}/2`])).code).toBe(0);
    const merged = await cli(['merge', path.join(root, 'sh'), '--output-dir', path.join(root, 'merged'), '--json']);
    expect(merged.code).toBe(0);
    for (const t of ['min_detectable_rho.csv', 'confidence_intervals.csv', 'all_distinct_summary.csv']) {
      expect(fs.readFileSync(path.join(root, 'merged', t), 'utf8')).toBe(fs.readFileSync(path.join(root, 'whole', t), 'utf8'));
    }
    const text = await cli(['run', ...base, '--output-dir', path.join(root, 'text')]);
    expect(text.stdout).toMatch(/Minimum detectable rho/);
    expect(text.stdout).toMatch(/All-distinct summary/);
  });

  it('errors are SpearsimErrors with stable codes', async () => {
    const r = await cli(['merge', path.join(root, 'nothing-here')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error \[ERR_IO\]/);
    expect(new SpearsimError('ERR_IO', 'x').code).toBe('ERR_IO');
  });
});

describe('SPEARSIM_DEBUG', () => {
  it('shows internal stacks for 1, true, yes, on; not for 0, false, empty or unset', () => {
    for (const on of ['1', 'true', 'TRUE', 'yes', 'on']) expect(debugStacks({ SPEARSIM_DEBUG: on }), on).toBe(true);
    for (const off of ['0', 'false', 'no', 'off', '', ' 1', 'debug']) expect(debugStacks({ SPEARSIM_DEBUG: off }), off).toBe(false);
    expect(debugStacks({})).toBe(false);
  });
});
