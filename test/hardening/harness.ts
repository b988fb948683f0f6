// Shared pieces of the hardening tests: the outcome contract every public call must
// satisfy, arbitraries of hostile inputs, and small helpers for timing and temp directories.
//
// Contract: a call either returns/resolves a valid result (checked by a per-API validator) or
// throws/rejects a SpearsimError whose `code` is one of ErrorCode — never a TypeError or
// RangeError from inside the library, never a hang, never a non-coded error. An error the caller
// itself threw (e.g. from a getter or an onProgress callback) may propagate unchanged.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { SpearsimError, type ErrorCode } from '../../lib/errors';
import { hasNative } from '../helpers/native';

export const ERROR_CODES: readonly ErrorCode[] = [
  'ERR_INVALID_TYPE', 'ERR_OUT_OF_RANGE', 'ERR_LENGTH_MISMATCH', 'ERR_INVALID_COUNTS', 'ERR_NAN_INPUT', 'ERR_CONFLICTING_OPTIONS',
  'ERR_UNKNOWN_OPTION', 'ERR_MEMORY_LIMIT', 'ERR_ABORTED', 'ERR_NATIVE_UNAVAILABLE', 'ERR_UNSUPPORTED', 'ERR_IO', 'ERR_INTERNAL',
];

// `npm test` fuzzes with a fixed seed, so CI is reproducible; the stress tier (SPEARSIM_FUZZ_SCALE)
// and SPEARSIM_FUZZ_SEED=random explore fresh inputs, and SPEARSIM_FUZZ_SEED=N replays a run.
const FUZZ_SEED = process.env.SPEARSIM_FUZZ_SEED;
if (FUZZ_SEED !== 'random' && (FUZZ_SEED !== undefined || process.env.SPEARSIM_FUZZ_SCALE === undefined)) {
  fc.configureGlobal({ seed: FUZZ_SEED === undefined ? 20261121 : Number(FUZZ_SEED) });
}

/**
 * Codes a fuzzed call may end with. ERR_INTERNAL is a bug by definition; so is ERR_NATIVE_UNAVAILABLE
 * where the addon is built (without it, a fuzzed `native: 'require'` rightly ends there).
 */
export const FUZZ_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'ERR_INVALID_TYPE', 'ERR_OUT_OF_RANGE', 'ERR_LENGTH_MISMATCH', 'ERR_INVALID_COUNTS', 'ERR_NAN_INPUT', 'ERR_CONFLICTING_OPTIONS',
  'ERR_UNKNOWN_OPTION', 'ERR_MEMORY_LIMIT', 'ERR_ABORTED', 'ERR_UNSUPPORTED', 'ERR_IO', ...(hasNative ? [] : ['ERR_NATIVE_UNAVAILABLE' as const]),
]);

/** Thrown by fuzz inputs themselves (hostile getters, callbacks); may propagate unchanged. */
export class CallerError extends Error {}

export type Outcome<T> = { kind: 'ok'; value: T; ms: number } | { kind: 'error'; error: unknown; ms: number; sync: boolean };

/** Calls `fn`, awaiting a promise result, with a hang limit. */
export async function settle<T>(fn: () => T | Promise<T>, hangMs = 20000): Promise<Outcome<T>> {
  const t0 = performance.now();
  let value: T | Promise<T>;
  try {
    value = fn();
  } catch (error) {
    return { kind: 'error', error, ms: performance.now() - t0, sync: true };
  }
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HangError(`call did not settle within ${hangMs} ms`)), hangMs);
  });
  try {
    const v = await Promise.race([Promise.resolve(value), hang]);
    return { kind: 'ok', value: v, ms: performance.now() - t0 };
  } catch (error) {
    if (error instanceof HangError) throw error;
    return { kind: 'error', error, ms: performance.now() - t0, sync: false };
  } finally {
    clearTimeout(timer);
  }
}

export class HangError extends Error {}

/** A description of what is wrong with an error, or undefined if it is an acceptable typed error. */
export function errorProblem(error: unknown, allowed: ReadonlySet<string> = FUZZ_CODES): string | undefined {
  if (error instanceof CallerError) return undefined;
  if (!(error instanceof SpearsimError)) {
    const e = error as { name?: string; message?: string; stack?: string };
    return `not a SpearsimError: ${e?.name ?? typeof error}: ${e?.message ?? String(error)}\n${e?.stack ?? ''}`;
  }
  if (!allowed.has(error.code)) return `unexpected code ${error.code}: ${error.message}\n${error.stack ?? ''}`;
  if (typeof error.message !== 'string' || error.message.length < 8) return `uninformative message ${JSON.stringify(error.message)}`;
  return undefined;
}

/**
 * Throws (so fast-check shrinks and reports the input) unless the outcome is a typed error or a
 * result the validator accepts. `validate` returns a list of problems (empty = valid).
 */
export function assertContract<T>(
  outcome: Outcome<T>,
  validate: (value: T) => string[],
  opts: { asyncApi?: boolean; allowed?: ReadonlySet<string>; input?: unknown } = {},
): void {
  let problem: string | undefined;
  if (outcome.kind === 'error') {
    if (opts.asyncApi && outcome.sync) problem = `async API threw synchronously: ${String((outcome.error as Error)?.message)}`;
    else problem = errorProblem(outcome.error, opts.allowed);
  } else {
    const problems = validate(outcome.value);
    if (problems.length > 0) problem = `invalid result: ${problems.join('; ')}`;
  }
  if (problem === undefined) return;
  if (COLLECT) {
    collected(problem, opts.input);
    return;
  }
  throw new Error(problem);
}

/**
 * Exploration mode (SPEARSIM_FUZZ_COLLECT=1): problems are collected by signature (first line and
 * first library frame) instead of failing, so one run finds every distinct bug; printed at exit.
 */
export const COLLECT = process.env.SPEARSIM_FUZZ_COLLECT === '1';
const found = new Map<string, { count: number; sample: string }>();
function collected(problem: string, input: unknown): void {
  const lines = problem.split('\n');
  const frame = (lines.find((l) => l.includes('/lib/')) ?? '').trim().replace(/:\d+:\d+\)?$/, '');
  const head = problem.startsWith('not a SpearsimError') ? lines[0]!.split(':').slice(0, 2).join(':') : lines[0]!.replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/g, '#').slice(0, 120);
  const signature = `${head} @ ${frame}`;
  const entry = found.get(signature);
  if (entry) entry.count++;
  else found.set(signature, { count: 1, sample: describeInput(input) });
}
function describeInput(input: unknown): string {
  try {
    return fc.stringify(input).slice(0, 400);
  } catch {
    return String(input);
  }
}
/** Distinct problems found in exploration mode. */
export function collectedProblems(): Array<{ signature: string; count: number; sample: string }> {
  return [...found.entries()].map(([signature, v]) => ({ signature, ...v }));
}

/** A wall-clock budget: once spent, remaining property runs are skipped (never abandoned mid-call). */
export class Budget {
  private readonly deadline: number;
  executed = 0;
  constructor(ms: number) {
    this.deadline = performance.now() + ms;
  }
  /** True (and counts the run) while time remains. */
  take(): boolean {
    if (performance.now() > this.deadline) return false;
    this.executed++;
    return true;
  }
}

/** Runs a property and checks it really made `numRuns` calls of the API (counted by `counter`). */
export async function fuzz<Ts extends [unknown, ...unknown[]]>(
  counter: CallCounter,
  numRuns: number,
  property: fc.IAsyncPropertyWithHooks<Ts>,
  callsPerRun = 1,
): Promise<void> {
  const before = counter.count;
  await fc.assert(property, { numRuns });
  if (counter.count - before < numRuns * callsPerRun) throw new Error(`only ${counter.count - before} calls made, expected ${numRuns * callsPerRun}`);
}

// ------------------------------------------------------------------------------------------------
// validators

export function finiteIn(name: string, v: unknown, lo = -Infinity, hi = Infinity): string[] {
  return typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi ? [] : [`${name} = ${String(v)} is not a finite number in [${lo}, ${hi}]`];
}

export function isRho(name: string, v: unknown): string[] {
  return finiteIn(name, v, -1, 1);
}

export function ordered(name: string, lo: unknown, hi: unknown): string[] {
  return typeof lo === 'number' && typeof hi === 'number' && lo <= hi ? [] : [`${name}: lower ${String(lo)} > upper ${String(hi)}`];
}

export function nonNegInt(name: string, v: unknown, max = Number.MAX_SAFE_INTEGER): string[] {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max ? [] : [`${name} = ${String(v)} is not an integer in [0, ${max}]`];
}

export function probability(name: string, v: unknown): string[] {
  return finiteIn(name, v, 0, 1);
}

// ------------------------------------------------------------------------------------------------
// arbitraries

const hostileObject = (): object =>
  Object.defineProperty({}, 'length', {
    get() {
      throw new CallerError('hostile getter');
    },
  });

/** Values of the wrong type or out of every range. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, -1, 1e308, -1e308, 5e-324, 0.5, 1.5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 64, Number.MAX_SAFE_INTEGER + 2),
  fc.constantFrom(null, undefined, true, false, '', ' ', 'abc', '1e3', '-1', 'NaN', 'Infinity', '0x10', '1,2', '512MB', '__proto__', 'constructor'),
  fc.constantFrom<unknown>({}, [], [NaN], [[]], Object.create(null), new Date(0), new Map(), /re/, new DataView(new ArrayBuffer(8))),
  fc.constant(Symbol('junk')),
  fc.constant(() => 1),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  // throws on any data property read (what a library would do), but lets reporters stringify it
  fc.constant(
    new Proxy({}, {
      get: (t, k) => {
        if (typeof k === 'symbol' || ['toString', 'valueOf', 'constructor', 'toJSON', 'then', 'inspect'].includes(k)) return Reflect.get(t, k);
        throw new CallerError(`hostile proxy: read of ${k}`);
      },
    }),
  ),
  fc.constant(hostileObject()),
);

/** `valid` most of the time, else junk. */
export function mostly<T>(valid: fc.Arbitrary<T>, validWeight = 4): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid, weight: validWeight }, { arbitrary: junk, weight: 1 });
}

/** Small tied integer data (the package's domain), finite doubles, and hostile vectors. */
export const numericVector: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 30 }), weight: 8 },
  { arbitrary: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 3, maxLength: 20 }), weight: 3 },
  { arbitrary: fc.array(fc.double(), { minLength: 1, maxLength: 10 }), weight: 2 },
  { arbitrary: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 30 }).map((a) => Float64Array.from(a)), weight: 2 },
  { arbitrary: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 30 }).map((a) => Uint8Array.from(a)), weight: 1 },
  { arbitrary: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 10 }).map((a) => BigInt64Array.from(a.map(BigInt))), weight: 1 },
  { arbitrary: fc.constantFrom<unknown>(new Array(5), [1, , 3], new Array(2 ** 32 - 1), new Float64Array(200001), { length: 3, 0: 1, 1: 2, 2: 3 }, '1,2,3'), weight: 1 },
  { arbitrary: fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), junk), { minLength: 3, maxLength: 8 }), weight: 1 },
  { arbitrary: junk, weight: 1 },
);

/** A vector of the same length as `x` when possible (so validation passes the length check). */
export function partnerVector(x: unknown): fc.Arbitrary<unknown> {
  const len = Array.isArray(x) || ArrayBuffer.isView(x) ? (x as { length: number }).length : undefined;
  if (len === undefined || len > 1000) return numericVector;
  return fc.oneof(
    { arbitrary: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: len, maxLength: len }), weight: 6 },
    { arbitrary: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: len, maxLength: len }), weight: 1 },
    { arbitrary: numericVector, weight: 2 },
  );
}

/**
 * An options object built from valid `fields` (each possibly absent): all valid, exactly one field
 * replaced by junk, every field possibly junk, stray keys, or not an object at all.
 */
export function optionsOf(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const keys = Object.keys(fields);
  const valid = fc.record(fields, { requiredKeys: [] });
  const chaos = fc.record(Object.fromEntries(keys.map((k) => [k, mostly(fields[k]!)])), { requiredKeys: [] });
  return fc.oneof(
    { arbitrary: valid, weight: 6 },
    { arbitrary: fc.tuple(valid, fc.constantFrom(...keys), junk).map(([r, k, v]) => ({ ...r, [k]: v })), weight: 3 },
    { arbitrary: chaos, weight: 2 },
    { arbitrary: fc.tuple(valid, fc.constantFrom('nboot', 'thread', 'sed', 'foo', '__proto__', 'constructor'), junk).map(([r, k, v]) => ({ ...r, [k]: v })), weight: 1 },
    { arbitrary: fc.constantFrom<unknown>(undefined, null, [], 'opts', 5, Object.create(null)), weight: 1 },
  );
}

/** Valid option values: cheap settings and boundaries (optionsOf adds the junk). */
export const optionArbs = {
  nBoot: fc.constantFrom(1, 2, 7, 50, 199, 256, 257),
  alpha: fc.constantFrom(0.05, 0.5, 1e-9, 0.999999, 0.2),
  seed: fc.oneof(fc.nat(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER)),
  threads: fc.constantFrom(1, 2, 3),
  memoryLimit: fc.constantFrom('1.1MB', 1 << 20, '2GiB', 2 ** 50, '1024k', '1.5MiB', '10 GB', '256MB'),
  chunkResamples: fc.constantFrom(0, 1, 5, 256),
  native: fc.constantFrom<unknown>(true, false, 'require', 'false', '0'),
  batchBootstrap: fc.boolean(),
  vectorize: fc.boolean(),
  verbose: fc.constant(0),
};

/** Counts calls per file (each fuzz file asserts its own share of the >= 10 000 total). */
export class CallCounter {
  count = 0;
  /** Outcomes by label: 'ok' or the error code / class. */
  readonly outcomes = new Map<string, Map<string, number>>();
  add(n = 1): void {
    this.count += n;
  }
  /** Records what a call ended in, under `label` (see {@link summary}). */
  note(label: string, outcome: Outcome<unknown>): void {
    const key = outcome.kind === 'ok' ? 'ok' : ((outcome.error as { code?: string })?.code ?? (outcome.error as Error)?.name ?? 'thrown');
    let m = this.outcomes.get(label);
    if (!m) this.outcomes.set(label, (m = new Map()));
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  /** How many calls under `label` returned a valid result. */
  ok(label: string): number {
    return this.outcomes.get(label)?.get('ok') ?? 0;
  }
  summary(): string {
    return [...this.outcomes.entries()].map(([label, m]) => `${label}: ${JSON.stringify(Object.fromEntries(m))}`).join('\n');
  }
}

// ------------------------------------------------------------------------------------------------
// child processes (for inputs that could take the test runner down)

export const REPO = path.resolve(__dirname, '..', '..');

export interface ChildOutcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The JSON the snippet printed last (see {@link runSnippet}). */
  result?: { kind: 'ok'; value: unknown } | { kind: 'error'; name: string; code?: string; message: string };
}

/**
 * Runs a TypeScript snippet against lib/ in a child process (ts-node, transpile only) and reports
 * how it ended. `expr` is an expression (may be a promise) with `L` bound to lib/index and `M` to
 * `module` (a lib path such as 'csv'); the child prints the outcome as JSON. A crash, abort or
 * timeout shows in status/signal.
 */
export function runSnippet(expr: string, opts: { timeoutMs?: number; cwd?: string; module?: string } = {}): ChildOutcome {
  const lib = path.join(REPO, 'lib');
  const code = `
    const L = require(${JSON.stringify(path.join(lib, 'index'))});
    const M = ${opts.module ? `require(${JSON.stringify(path.join(lib, opts.module))})` : 'undefined'};
    Promise.resolve().then(() => (${expr})).then(
      (value) => { process.stdout.write('\\n' + JSON.stringify({ kind: 'ok', value: typeof value === 'object' ? Object.keys(value ?? {}) : String(value) }) + '\\n'); process.exit(0); },
      (e) => { process.stdout.write('\\n' + JSON.stringify({ kind: 'error', name: e && e.name, code: e && e.code, message: String(e && e.message) }) + '\\n'); process.exit(0); },
    );`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', path.join(REPO, 'node_modules', 'ts-node', 'register', 'transpile-only'), '-e', code], {
    cwd: opts.cwd ?? os.tmpdir(),
    env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json'), SPEARSIM_VERBOSE: '0' },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 20000,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = r.stdout.trim().split('\n').pop();
  let result: ChildOutcome['result'];
  try {
    result = last ? (JSON.parse(last) as ChildOutcome['result']) : undefined;
  } catch {
    result = undefined;
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0, result };
}

// ------------------------------------------------------------------------------------------------
// files

/** A fresh temporary directory (removed by the caller). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `spearsim-${prefix}-`));
}

/** Every file below `dir` (relative paths). */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Files that look half-written: temp files, or empty files (`ignore`: prefixes of inputs the test wrote itself). */
export function partialFiles(dir: string, ignore: readonly string[] = ['fixtures']): string[] {
  return listFiles(dir).filter(
    // the library's own temporary names (lib/internal/files.ts: <file>.<pid>.<12 hex>.tmp), or empty
    // files; not any name a fuzzed --output happens to end in (a user may call a plot "a~")
    (f) => !ignore.some((p) => f.startsWith(p)) && (/\.\d+\.[0-9a-f]{12}\.tmp$/.test(f) || fs.statSync(path.join(dir, f)).size === 0),
  );
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Textbook Spearman: Pearson correlation of naive midranks. */
export function naiveSpearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  const mid = (v: ArrayLike<number>): number[] =>
    Array.from({ length: n }, (_, i) => {
      let less = 0;
      let equal = 0;
      for (let j = 0; j < n; j++) {
        if (v[j]! < v[i]!) less++;
        else if (v[j] === v[i]) equal++;
      }
      return less + (equal + 1) / 2;
    });
  const rx = mid(x);
  const ry = mid(y);
  const m = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - m) * (ry[i]! - m);
    sxx += (rx[i]! - m) ** 2;
    syy += (ry[i]! - m) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
