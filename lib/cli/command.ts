/**
 * What a CLI command is, and how it writes. Results go to stdout (one JSON object with --json,
 * else human-readable text); progress and logs go to stderr.
 * @module
 */
import type { Config, OptionKey } from '../config';
import type { FlagSpec, ParsedArgs } from './args';

/** Everything a command's run() receives. */
export interface CommandContext {
  args: ParsedArgs;
  config: Config;
  json: boolean;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Writes human-readable output (stdout) unless --json. */
  print(text: string): void;
  /** Writes a log line to stderr. */
  log(text: string): void;
}

/** A CLI command. */
export interface Command {
  name: string;
  summary: string;
  /** Configuration options accepted as flags. */
  options: readonly OptionKey[];
  /** Command-specific flags. */
  flags: readonly FlagSpec[];
  /** Words the command takes besides flags (none when absent): the most, and how help names them. */
  positionals?: { max: number; usage: string };
  /** Preset or other values applied below the config file, environment and flags. */
  base?(args: ParsedArgs): Partial<Record<OptionKey, unknown>>;
  /** Runs the command; the returned object is the --json output. */
  run(ctx: CommandContext): Promise<object>;
  /** A command that hands its raw arguments to another program; resolves to its exit code. */
  external?(argv: readonly string[]): Promise<number>;
}

/** Formats rows as an aligned text table; numbers get 4 decimals (pass counts as strings). */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = headers.map((_, j) => Math.max(...cells.map((r) => String(r[j] ?? '').length)));
  return cells
    .map((r) => r.map((c, j) => (typeof rows[0]?.[j] === 'number' ? String(c).padStart(widths[j]!) : String(c).padEnd(widths[j]!))).join('  ').trimEnd())
    .join('\n');
}

/** 4-decimal rendering of a number. */
export function formatNumber(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v.toFixed(4);
}

/** Scientific notation with `digits` significant digits and a two-digit exponent (2e-05, 1.13e-65). */
function scientific(v: number, digits: number): string {
  return v.toExponential(digits - 1).replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * A p-value for the console: 4 decimals from 1e-4 up; below, never 0.0000 but `< 2e-05` at a
 * resampling floor 1/(B + 1) (a Monte Carlo p-value cannot go lower), else 3 significant digits
 * in scientific notation (1.13e-65).
 */
export function formatPValue(p: number, floor?: number): string {
  if (Number.isNaN(p) || p >= 1e-4) return formatNumber(p);
  if (floor !== undefined && p <= floor) return `< ${scientific(floor, 1)}`;
  return p === 0 ? '0' : scientific(p, 3);
}

/**
 * A Monte Carlo standard error for the console: 0 as `0` (no sampling error), 4 decimals from
 * 1e-4 up, else 2 significant digits in scientific notation (2.0e-05), never a misleading 0.0000.
 */
export function formatSe(v: number): string {
  if (v === 0) return '0';
  return Number.isNaN(v) || v >= 1e-4 ? formatNumber(v) : scientific(v, 2);
}

/** JSON.stringify replacer: typed arrays as plain arrays, bigints as strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'bigint') return value.toString();
  return value;
}
