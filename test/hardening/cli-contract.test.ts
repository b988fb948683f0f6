// The CLI does what its help says (in process): every example of the hardening report and its
// siblings. Unknown tokens, single-dash flags and stray words are errors; -h and -V work; --json is
// read by the parser; help shows the defaults that run; every bad value exits 2; numbers parse
// strictly; --memory-limit takes what its range allows; a config file's BOM is skipped; a command
// reads only its own options' environment variables; unknown SPEARSIM_SIMD / SPEARSIM_PIN_THREADS
// values are errors; --threads is capped at the CPUs this process may use.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAddon } from '../../lib/internal/native';
import { VERSION } from '../../lib/version';
import { runCli } from './cli-harness';
import { tempDir } from './harness';

const X = ['--x', '1,2,3,4,5,6', '--y', '2,1,4,3,6,5', '--n-boot', '50', '--verbose', '0'];
let dir: string;
let cwd: string;
beforeAll(() => {
  dir = tempDir('cli-contract');
  cwd = process.cwd();
  process.chdir(dir); // a study started by mistake would write ./results here
});
afterAll(() => {
  process.chdir(cwd);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const codeOf = (stderr: string): string | undefined => /spearsim: error \[(\w+)\]/.exec(stderr)?.[1];

describe('tokens', () => {
  it.each([
    [['run', '-o', 'myout'], /unknown option -o.*did you mean --output-dir\?/],
    [['bootstrap', '-n', '10', ...X], /unknown option -n/],
    [['bootstrap', ...X, 'stray'], /unexpected argument "stray"/],
    [['run', 'myout'], /unexpected argument "myout"/],
    [['analyze', 'a.csv', 'b.csv', '--x', '1', '--y', '2'], /unexpected argument "b.csv": this command takes at most 1/],
    [['bootstrap', ...X, '--native', 'maybe'], /--native is a switch/],
    [['bootstrap', ...X, '--json=maybe'], /json must be a boolean/],
    [['bootstrap', ...X, '--', '--json'], /unexpected argument "--json"/],
  ])('%j exits 2 before any work', async (argv, message) => {
    const r = await runCli(argv as string[]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('-h and -V work at the top and in every command', async () => {
    for (const argv of [['-h'], ['run', '-h'], ['bootstrap', '-h']]) {
      const r = await runCli(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: spearsim/);
    }
    for (const argv of [['-V'], ['--version'], ['scenario', '-V']]) {
      const r = await runCli(argv);
      expect([r.code, r.stdout.trim()]).toEqual([0, VERSION]);
    }
  });

  it('--json is whatever the parser reads: --json=true, --json false, --no-json', async () => {
    const on = await runCli(['bootstrap', ...X, '--json=true']);
    expect(JSON.parse(on.stdout)).toMatchObject({ nBoot: 50 });
    for (const off of [['--json', 'false'], ['--json=false'], ['--json', '--no-json']]) {
      const r = await runCli(['bootstrap', ...X, ...off]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^\s+rho\s+ci_lower/);
    }
    // an argument error still answers in JSON when --json was given anywhere around it
    const bad = await runCli(['bootstrap', '-n', '10', ...X, '--json']);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'ERR_UNKNOWN_OPTION' } });
  });
});

describe('--help shows the defaults that run', () => {
  it('scenario: 500 sims, 20 reps, 500 resamples; plot: 2000 sims; asymptotic: tie mode both', async () => {
    const help = async (name: string): Promise<string> => (await runCli([name, '--help'])).stdout;
    const scenario = await help('scenario');
    expect(scenario).toMatch(/--n-sims, --sims .*\[default 500 for this command\]/);
    expect(scenario).toMatch(/--n-reps, --reps .*\[default 20 for this command\]/);
    expect(scenario).toMatch(/--n-boot, --boot .*\[default 500 for this command\]/);
    expect(await help('plot')).toMatch(/--n-sims, --sims .*\[default 2000 for this command\]/);
    expect(await help('asymptotic')).toMatch(/--tie-correction .*\[default "both" for this command\]/);
    expect(await help('run')).toMatch(/--n-sims, --sims .*\[default 10000\]/);
  });
  it('scenario prints the sizes it ran with, asymptotic its tie modes', async () => {
    const r = await runCli(['scenario', '--case', '1', '--k', '4', '--shape', 'even', '--power-only', '--sims', '40', '--n-cal', '20', '--n-pre', '200', '--verbose', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sizes: nSims 40, nReps 20 x nBoot 500, nCal 20, nPre 200, seed 42/);
    const a = await runCli(['asymptotic', '--cases', '1', '--k-values', '4', '--shapes', 'even']);
    expect(a.stdout).toMatch(/^tie modes: none, fhp/);
  });
});

describe('values', () => {
  it.each(['0x10', '0b101', ' 5', '5.', '5 ', '1e400', 'Infinity', '1_0'])('--n-boot %j is an error (exit 2)', async (v) => {
    const r = await runCli(['bootstrap', ...X, '--n-boot', v]);
    expect([r.code, codeOf(r.stderr)]).toEqual([2, 'ERR_INVALID_TYPE']);
  });
  it('out-of-range values exit 2 too, in flags, the environment and config files', async () => {
    expect((await runCli(['bootstrap', ...X, '--n-boot', '0'])).code).toBe(2);
    expect((await runCli(['run', '--cases', '1,9'])).code).toBe(2);
    expect((await withEnv({ SPEARSIM_SEED: '-1' }, () => runCli(['bootstrap', ...X]))).code).toBe(2);
    const file = path.join(os.tmpdir(), `spearsim-range-${process.pid}.json`);
    fs.writeFileSync(file, '{"alpha": 2}');
    try {
      expect((await runCli(['bootstrap', ...X, '--config', file])).code).toBe(2);
    } finally {
      fs.rmSync(file);
    }
  });
  it('--memory-limit accepts 1e9 and 1PB; its errors quote the value given', async () => {
    for (const v of ['1e9', '1PB', '64MiB', '2000000']) expect((await runCli(['bootstrap', ...X, '--memory-limit', v])).code).toBe(0);
    const r = await runCli(['bootstrap', ...X, '--memory-limit', '1MB']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/received "1MB"/);
  });
  it('a study whose memory share per unit is too small says so with the whole limit', async () => {
    const r = await runCli(['run', '--stages', 'ci', '--cases', '1', '--k-values', '4', '--shapes', 'even', '--baselines', 'false', '--generators', 'nonparametric,copula', '--memory-limit', '1MiB', '--jobs', '2', '--verbose', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/memoryLimit 1048576 bytes shared by 2 units running at once leaves 524288 bytes each/);
  });
  it('a config file with a UTF-8 byte-order mark is read', async () => {
    const file = path.join(os.tmpdir(), `spearsim-bom-${process.pid}.json`);
    fs.writeFileSync(file, '\uFEFF{"nBoot": 30}');
    try {
      const r = await runCli(['bootstrap', ...X.slice(0, 4), '--config', file, '--json']);
      expect(JSON.parse(r.stdout)).toMatchObject({ nBoot: 30 });
    } finally {
      fs.rmSync(file);
    }
  });
});

describe('environment variables', () => {
  it('a variable of an option the command does not use does not break it', async () => {
    await withEnv({ SPEARSIM_JOBS: '-1', SPEARSIM_SHARD: 'nonsense' }, async () => {
      expect((await runCli(['bootstrap', ...X])).code).toBe(0);
      expect((await runCli(['asymptotic', '--cases', '1', '--k-values', '4', '--shapes', 'even'])).code).toBe(0);
      // the command that reads it refuses it
      expect((await runCli(['run', '--cases', '1'])).code).toBe(2);
    });
  });
  it.runIf(loadAddon().addon !== null)('unknown values of SPEARSIM_SIMD are errors (exit 2), known ones run', async () => {
    for (const [value, code] of [['bogus', 2], ['AVX2', 2], ['scalar', 0], ['avx2', 0], ['avx512', 0], ['0', 0]] as const) {
      const r = await withEnv({ SPEARSIM_SIMD: value }, () => runCli(['bootstrap', ...X, '--native', 'require']));
      expect(r.code, `${value}: ${r.stderr}`).toBe(code);
      if (code === 2) expect(r.stderr).toMatch(/SPEARSIM_SIMD must be 0, scalar, avx2 or avx512/);
    }
  });
});

describe('SPEARSIM_PIN_THREADS', () => {
  // read once per process, when the thread budget is first used: checked in a fresh child
  it.runIf(loadAddon().addon !== null)('an unknown value is a coded error from the first use of the budget; 0 and 1 work', () => {
    const addon = path.resolve(__dirname, '..', '..', 'build', 'Release', 'spearsim.node');
    const probe = `try { const b = require(${JSON.stringify(addon)}).threadBudget(); console.log('ok ' + b.pinning) } catch (e) { console.log(e.code) }`;
    const run = (value: string): string => spawnSync(process.execPath, ['-e', probe], { env: { ...process.env, SPEARSIM_PIN_THREADS: value }, encoding: 'utf8' }).stdout.trim();
    expect(run('yes')).toBe('ERR_OUT_OF_RANGE');
    expect(run('0')).toBe('ok false');
    expect(run('1')).toMatch(/^ok /);
  });
});

describe('--threads', () => {
  it('is capped at the CPUs this process may use, and says so at verbose >= 1', async () => {
    const cpus = os.availableParallelism();
    const quiet = await runCli(['bootstrap', ...X, '--threads', '1024', '--json']);
    expect(JSON.parse(quiet.stdout).provenance.config.threads).toBe(cpus);
    expect(quiet.stderr).toBe('');
    const told = await runCli(['bootstrap', ...X, '--threads', '1024', '--verbose', '1']);
    expect(told.stderr).toMatch(new RegExp(`--threads 1024 is more than the ${cpus} CPUs this process may use; using ${cpus}`));
  });
});
