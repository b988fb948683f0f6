// Property-based fuzzing of the command line, in process: main(argv) of lib/cli with
// stdout/stderr captured. Every command in the registry is fuzzed (new commands are picked up
// automatically) with random flags and values. Contract: exit code in {0, 1, 2, 130}; with --json,
// stdout is exactly one JSON object (an `error` object with a known, non-internal code when the
// exit code is not 0); without --json a failure prints "spearsim: error [CODE]" on stderr; no
// half-written file is ever left in the output directory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliProblems, runCli } from './cli-harness';
import { OPTION_SCHEMA, flagName, type OptionKey } from '../../lib/config';
import { COMMANDS } from '../../lib/cli/commands';
import type { Command } from '../../lib/cli/command';
import { type ArgsError, parseArgs } from '../../lib/cli/args';
import { COLLECT, CallCounter, collectedProblems, junk, tempDir } from './harness';

const SCALE = Number(process.env.SPEARSIM_FUZZ_SCALE ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));
const calls = new CallCounter();

/** Commands whose valid invocations simulate (they always get SMALL sizes). */
const HEAVY = new Set(['run', 'scenario', 'power', 'plot', 'plan', 'analyze']);
/** Fast-tier time budget per command (ms); the stress tier scales it with SPEARSIM_FUZZ_SCALE. */
const BUDGET_MS = 600 * SCALE;

/** Small sizes so that valid invocations are cheap (the fuzz may still override them). */
const SMALL: Partial<Record<OptionKey, string>> = {
  nSims: '20', nReps: '3', nBoot: '20', nCal: '10', nPre: '100', nPerm: '50', threads: '2', cases: '1', kValues: '4',
  shapes: 'even', generators: 'nonparametric', verbose: '0', memoryLimit: '256MB', stages: 'asymptotic', baselines: 'false',
};

/** A random value for one configuration option flag. */
function optionValue(key: OptionKey): fc.Arbitrary<string> {
  const spec = OPTION_SCHEMA[key];
  const valid: fc.Arbitrary<string> = (() => {
    switch (spec.kind) {
      case 'integer':
        return fc.oneof(fc.constantFrom(String(spec.min), String(Math.min(spec.max, spec.min + 3))), fc.integer({ min: spec.min, max: Math.min(spec.max, spec.min + 50) }).map(String));
      case 'number':
        return fc.constantFrom('0.05', '0.5', '0.8', '0.001');
      case 'boolean':
        return fc.constantFrom('true', 'false', '1', '0', 'yes', 'off');
      case 'native':
        return fc.constantFrom('true', 'false', 'require');
      case 'enum':
      case 'optionalEnum':
        return fc.constantFrom(...spec.choices);
      case 'enumList':
        return fc.subarray([...spec.choices], { minLength: 1 }).map((a) => a.join(','));
      case 'integerList':
        return fc.subarray(Array.from({ length: spec.max - spec.min + 1 }, (_, i) => spec.min + i), { minLength: 1, maxLength: 2 }).map((a) => a.join(','));
      case 'bytes':
        return fc.constantFrom('64MB', '1MB', '1GiB', '2000000');
      case 'string':
        return fc.constantFrom('x', 'a b', '1/2', '2/2', '0/3', 'sub/../escape');
      default:
        return fc.constantFrom('20,20,20,20', '10,30;5,5', '1');
    }
  })();
  const bad = fc.oneof(
    fc.constantFrom('', '-1', 'NaN', 'Infinity', '1e400', '0x1f', 'true', ',', ';', '1.5', '99999999999999999999', '--json', 'ø'),
    fc.string({ maxLength: 8 }),
    junk.map((v) => {
      try {
        return String(v);
      } catch {
        return 'sym';
      }
    }),
  );
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: bad, weight: 1 });
}

/** Files the fuzz points commands at (written in beforeAll): good, broken and hostile inputs. */
const FIXTURES: Record<string, string> = {};

const scenarioFlags = fc.oneof(
  { arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 4, max: 10 }), fc.constantFrom('even', 'heavy_tail', 'heavy_center')).map(([c, k, sh]) => ['--case', String(c), '--k', String(k), '--shape', sh]), weight: 6 },
  { arbitrary: fc.integer({ min: 1, max: 4 }).map((c) => ['--case', String(c), '--all-distinct']), weight: 1 },
  { arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 5 })).map(([c, f]) => ['--case', String(c), '--freq', f.join(',')]), weight: 2 },
);

/** Flags (and positionals) a command needs to do real work; commands not listed get none. */
const ESSENTIALS: Record<string, () => fc.Arbitrary<string[]>> = {
  bootstrap: () =>
    fc.integer({ min: 3, max: 30 }).chain((n) =>
      fc
        .tuple(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 0, max: 99 }), { minLength: n, maxLength: n }))
        .map(([x, y]) => ['--x', x.join(','), '--y', y.join(',')]),
    ),
  scenario: () => fc.tuple(scenarioFlags, fc.constantFrom([], ['--ci-only'], ['--power-only'], ['--rho', '0.3'])).map(([a, b]) => [...a, ...b, '--generator', 'nonparametric']),
  power: () => fc.tuple(scenarioFlags, fc.constantFrom('0.3', '0,0.2', '-0.3', '1', '0.999,-0.999')).map(([a, r]) => [...a, '--rho', r, '--generator', 'nonparametric']),
  plot: () =>
    fc.oneof(
      fc.tuple(scenarioFlags, fc.constantFrom('0.1,0.3', '0.2')).map(([a, r]) => ['power', ...a, '--rho', r, '--generator', 'nonparametric']),
      fc.constantFrom(...Object.keys(FIXTURES).filter((k) => k.startsWith('results')), 'missing').map((k) => ['forest', '--results', FIXTURES[k] ?? '/nonexistent/results.json']),
    ),
  analyze: () =>
    fc
      .tuple(fc.constantFrom(...Object.keys(FIXTURES).filter((k) => k.startsWith('csv')), 'missing'), fc.constantFrom(['dose', 'response'], ['1', '2'], ['dose', 'dose'], ['3', 'x'], ['0', '-1']))
      .map(([k, [x, y]]) => [FIXTURES[k] ?? '/nonexistent.csv', '--x', x!, '--y', y!, '--n-perm', '50', '--n-pre', '100']),
  merge: () => fc.subarray(Object.keys(FIXTURES).filter((k) => k.startsWith('results') || k.startsWith('dir'))).map((ks) => ks.map((k) => FIXTURES[k]!)),
};

/** Whether --json is in effect, as the one parser reads it (after `--` it is a word, --json=maybe is an error, ...). */
function jsonGiven(command: Command, argv: string[]): boolean {
  try {
    return parseArgs(argv, command.options, command.flags, command.positionals?.max ?? 0).flags.json === true;
  } catch (e) {
    return (e as ArgsError).parsed?.flags.json === true;
  }
}

function commandArgv(command: Command, outDir: string): fc.Arbitrary<{ argv: string[]; json: boolean }> {
  const optionFlags = command.options.map((key) => fc.tuple(fc.constant(`--${flagName(key)}`), optionValue(key)));
  const ownFlags = command.flags.map((spec) => {
    const flag = `--${flagName(spec.name)}`;
    const value: fc.Arbitrary<string | undefined> =
      spec.kind === 'boolean' ? fc.constantFrom(undefined, 'true', 'false', 'maybe')
      : spec.kind === 'string' ? fc.oneof(fc.constantFrom(path.join(outDir, 'in.json'), path.join(outDir, 'nope'), outDir, '/dev/null', '/proc/self/status', ''), fc.string({ maxLength: 6 }))
      : spec.kind === 'number' ? fc.oneof(fc.constantFrom('0', '0.3', '-1', '1', '2', 'NaN', '1e9'), fc.double().map(String))
      : fc.oneof(
          fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 12 }).map((a) => a.join(',')),
          fc.array(fc.double(), { maxLength: 5 }).map((a) => a.join(',')),
          fc.constantFrom('1,2,3', '1,,2', 'a,b', '1e400,2,3', ''),
        );
    return fc.tuple(fc.constant(flag), value);
  });
  const pool = [...optionFlags, ...ownFlags];
  const anyFlag = pool.length > 0 ? fc.oneof(...pool) : fc.constant(['--json', undefined] as [string, string | undefined]);
  const stray = fc.tuple(fc.constantFrom('--bogus', '--thread', '--n-boots', '--', '-x', '--no-json', '--no-threads', '--help', 'positional', '--json=maybe', '--seed=3', '--=', '---'), fc.constantFrom(undefined, '1', 'x'));
  const essentials = ESSENTIALS[command.name]?.() ?? fc.constant([]);
  return fc
    .tuple(
      fc.array(anyFlag, { maxLength: 5 }),
      fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: stray, weight: 1 }),
      fc.option(essentials, { freq: 6 }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([flags, strayFlag, needed, json, small]) => {
      const argv: string[] = [command.name];
      // sizes first so random flags override them; output always into the temp dir
      // heavy commands always get small sizes (a fuzzed flag later may still override one of them)
      if (small || HEAVY.has(command.name)) for (const [k, v] of Object.entries(SMALL)) if (command.options.includes(k as OptionKey)) argv.push(`--${flagName(k)}`, v);
      if (needed) argv.push(...needed);
      if (strayFlag) flags.splice(flags.length >> 1, 0, strayFlag);
      if (command.options.includes('outputDir')) argv.push('--output-dir', outDir);
      for (const [flag, value] of flags) {
        argv.push(flag);
        if (value !== undefined) argv.push(value);
      }
      if (json) argv.push('--json');
      return { argv, json: jsonGiven(command, argv.slice(1)) };
    });
}

/** A value the schema must refuse for the option (wrong type or out of range), as the user would type it. */
function badOptionValue(key: OptionKey): fc.Arbitrary<string> {
  const spec = OPTION_SCHEMA[key];
  const numbers = ['0x10', '0b101', ' 5', '5.', '1e400', 'NaN', 'Infinity', 'abc', '1_000', '5 '];
  switch (spec.kind) {
    case 'integer':
      return fc.constantFrom(...numbers, String(spec.min - 1), String(spec.max + 1), String(spec.min + 0.5));
    case 'number':
      return fc.constantFrom(...numbers, String(spec.min - 1), String(spec.max + 1));
    case 'boolean':
      return fc.constantFrom('maybe', '2', 'require', 'truee');
    case 'native':
      return fc.constantFrom('maybe', '2', 'required');
    case 'enum':
    case 'optionalEnum':
    case 'enumList':
      return fc.constantFrom('bogus', 'EVEN', ',', `${spec.choices[0]},bogus`);
    case 'integerList':
      return fc.constantFrom('0x1', `${spec.max + 1}`, '1.5', 'a', `${spec.min},x`);
    case 'bytes':
      return fc.constantFrom('5', '1XB', '0x100000', ' 64MB', '1e400', '2EB', '1iB');
    case 'countLists':
      return fc.constantFrom('1', '0,5', 'a,b', '5.,5');
    case 'string':
      throw new Error(`${key}: any text is a valid string`);
  }
}

/**
 * One bad token in an otherwise fine command line: an option with a value its schema refuses, a
 * single-dash flag, a stray word, a switch given a non-boolean word. Every one is bad usage: exit
 * 2 before any work, one coded line on stderr (or one JSON error object), never a stack trace.
 */
function badArgv(command: Command): fc.Arbitrary<{ argv: string[]; json: boolean }> {
  // string options take any text (an empty one unsets an optional one)
  const refusable = command.options.filter((k) => OPTION_SCHEMA[k].kind !== 'string');
  const optionToken = refusable.length > 0
    ? fc.constantFrom(...refusable).chain((key) => fc.tuple(fc.constant(`--${flagName(key)}`), badOptionValue(key), fc.boolean()).map(([flag, v, joined]) => (joined ? [`${flag}=${v}`] : [flag, v])))
    : fc.constant(['--bogus']);
  const wordLimit = command.positionals?.max ?? 0;
  const token = fc.oneof(
    { arbitrary: optionToken, weight: 4 },
    // (`--json maybe` is a switch and a word: bad only where no word is taken)
    { arbitrary: fc.constantFrom(['-o', 'x'], ['-n', '10'], ['-j'], ['-help'], ['--json=maybe'], wordLimit === 0 ? ['--json', 'maybe'] : ['--json=2'], ['--help=2'], ['--version=x'], ['---x']), weight: 2 },
    { arbitrary: fc.constant(wordLimit === Infinity ? ['--bogus-flag'] : Array.from({ length: wordLimit + 1 }, (_, i) => `word${i}`)), weight: 1 },
  );
  return fc.tuple(token, fc.boolean()).map(([bad, json]) => {
    const argv = [command.name, ...bad, ...(json ? ['--json'] : [])];
    return { argv, json };
  });
}

describe('CLI fuzz (in process)', () => {
  let outDir: string;
  let cwd: string;
  beforeAll(async () => {
    outDir = tempDir('cli-fuzz');
    cwd = process.cwd();
    process.chdir(outDir); // anything written relative to cwd lands in the temp dir
    const fx = path.join(outDir, 'fixtures');
    fs.mkdirSync(fx);
    const write = (name: string, content: string | Buffer): string => {
      const file = path.join(fx, name);
      fs.writeFileSync(file, content);
      return file;
    };
    // CSV inputs of analyze
    const rows = Array.from({ length: 30 }, (_, i) => `${i % 4},${(i * 7) % 31}`);
    FIXTURES.csvGood = write('good.csv', `dose,response\n${rows.join('\n')}\n`);
    FIXTURES.csvTab = write('tab.csv', `dose\tresponse\n${rows.map((r) => r.replace(',', '\t')).join('\n')}\n`);
    FIXTURES.csvEmpty = write('empty.csv', '');
    FIXTURES.csvHeader = write('header.csv', 'dose,response\n');
    FIXTURES.csvRagged = write('ragged.csv', 'dose,response\n1,2\n3\n4,5,6\n');
    FIXTURES.csvJunk = write('junk.csv', 'dose,response\n1,NaN\n2,Infinity\nx,y\n"3,4",5\n1e400,2\n');
    FIXTURES.csvConst = write('const.csv', 'dose,response\n1,1\n1,2\n1,3\n');
    FIXTURES.csvBinary = write('binary.csv', Buffer.from([0, 255, 1, 2, 0xc3, 0x28, 10, 44, 10]));
    FIXTURES.csvQuoted = write('quoted.csv', '"dose","response"\n"1","2"\n"2","1"\n"3","3"\n"4","5"\n');
    FIXTURES.csvDir = fx;
    // study outputs of merge and plot forest: a real small run, then broken copies
    const run = await runCli(['run', '--output-dir', path.join(outDir, 'study'), ...Object.entries(SMALL).flatMap(([k, v]) => [`--${flagName(k)}`, v]), '--stages', 'asymptotic,ci', '--json'], 60000);
    expect(run.code, run.stderr).toBe(0);
    const results = path.join(outDir, 'study', 'results.json');
    FIXTURES.resultsGood = results;
    FIXTURES.dirGood = path.join(outDir, 'study');
    const text = fs.readFileSync(results, 'utf8');
    FIXTURES.resultsTruncated = write('truncated-results.json', text.slice(0, text.length >> 1));
    FIXTURES.resultsEmpty = write('empty-results.json', '');
    FIXTURES.resultsForeign = write('foreign-results.json', text.replace(/"format":"[^"]*"/, '"format":"spearsim-study/999"'));
    FIXTURES.resultsArray = write('array-results.json', '[1,2,3]');
    FIXTURES.resultsNull = write('null-results.json', 'null');
    FIXTURES.resultsNoRows = write('norows-results.json', JSON.stringify({ ...JSON.parse(text), rows: undefined }));
    FIXTURES.dirEmpty = fs.mkdtempSync(path.join(fx, 'emptydir-'));
  }, 120000);
  afterAll(() => {
    process.chdir(cwd);
    fs.rmSync(outDir, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    console.log(`fuzz-cli: ${calls.count} generated CLI invocations over ${COMMANDS.length} commands`);
    if (COLLECT) console.log(JSON.stringify(collectedProblems(), null, 2)); // eslint-disable-line no-console
  });

  it('top-level: unknown commands, help, version', async () => {
    for (const argv of [[], ['--help'], ['-h'], ['help'], ['version'], ['-V', '--json'], ['--version', '--json'], ['nope'], ['bootstrp', '--json'], ['--json'], ['', '--json'], ['--json=false'], ['-x', '--json'], ['--', '--json']]) {
      calls.add();
      const run = await runCli(argv);
      const json = argv.includes('--json') && !argv.includes('--');
      expect(cliProblems(run, json, outDir)).toEqual([]);
      if (!json) expect(run.stdout.startsWith('{')).toBe(false);
    }
  });

  // `bench` hands its argv to bench/run.js (a separate program with inherited stdio): not fuzzed here
  for (const command of COMMANDS.filter((c) => c.name !== 'bench')) {
    it(`${command.name}: every bad token exits 2 before any work, with one coded message`, async () => {
      await fc.assert(
        fc.asyncProperty(badArgv(command), async ({ argv, json }) => {
          calls.add();
          const run = await runCli(argv);
          const problems = cliProblems(run, json, outDir);
          if (run.code !== 2) problems.push(`exit ${run.code}, not 2: ${run.stderr.slice(0, 300)}`);
          if (run.stderr.trim().split('\n').length !== 1) problems.push(`stderr is not one line: ${run.stderr.slice(0, 300)}`);
          if (problems.length > 0) throw new Error(`${JSON.stringify(argv)}\n${problems.join('\n')}`);
        }),
        { numRuns: runs(60) },
      );
    });

    it(`${command.name}: exit code, one JSON object, no partial files`, async () => {
      const seen = new Map<string, string>();
      const codes: Record<number, number> = {};
      // a time budget per command (simulating commands are slow): once spent, the remaining runs are
      // skipped (fast-check's own interruptAfterTimeLimit would abandon a running call mid-way)
      const deadline = performance.now() + BUDGET_MS;
      let executed = 0;
      await fc.assert(
        fc.asyncProperty(commandArgv(command, outDir), async ({ argv, json }) => {
          if (performance.now() > deadline) return;
          executed++;
          calls.add();
          if (process.env.SPEARSIM_FUZZ_TRACE) fs.appendFileSync(process.env.SPEARSIM_FUZZ_TRACE, `${JSON.stringify(argv)}\n`);
          const run = await runCli(argv);
          codes[run.code] = (codes[run.code] ?? 0) + 1;
          if (process.env.SPEARSIM_FUZZ_DEBUG && run.code === 2) console.log(run.stderr.slice(0, 120)); // eslint-disable-line no-console
          const problems = cliProblems(run, json, outDir);
          if (problems.length > 0) {
            if (!COLLECT) throw new Error(`${argv.join(' ')}\n${problems.join('\n')}`);
            seen.set(problems[0]!.slice(0, 80), argv.join(' '));
          }
        }),
        { numRuns: runs(command.name === 'bootstrap' ? 700 : 400) },
      );
      if (COLLECT && seen.size > 0) console.log(command.name, [...seen.entries()]); // eslint-disable-line no-console
      console.log(`${command.name}: ${executed} runs, exit codes ${JSON.stringify(codes)}`); // eslint-disable-line no-console
      // the fuzz must reach the command's work, not only argument errors
      if (executed >= 20) expect(codes[0] ?? 0).toBeGreaterThan(0);
    });
  }
});
