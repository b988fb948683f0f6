/**
 * Command-line parsing. Every configuration option is a kebab-case flag (`nCal` -> `--n-cal`);
 * commands add their own flags. Values are validated by the same schema as the API.
 * @module
 */
import { type Config, type OptionKey, OPTION_KEYS, OPTION_SCHEMA, configFromEnv, flagName, parseBoolean, resolveConfig, unknownOptionError } from '../config';
import { SpearsimError, typeError } from '../errors';
import { readJsonFile } from '../internal/read-bounded';
import { withPreset } from '../study/presets';

/** A command-specific flag. */
export interface FlagSpec {
  /** camelCase name; the flag is its kebab-case form. */
  name: string;
  kind: 'boolean' | 'string' | 'number' | 'numberList' | 'integerList';
  description: string;
  /** Alternative spellings (kebab-case, without dashes), e.g. `sims` for `n-sims`. */
  aliases?: string[];
}

/** Short spellings of configuration options (kebab-case, without dashes), valid wherever the option is. */
export const OPTION_ALIASES: Readonly<Partial<Record<OptionKey, readonly string[]>>> = {
  nSims: ['sims'],
  nReps: ['reps'],
  nBoot: ['boot'],
};

/** Flag names (kebab-case, aliases included) of the given configuration options. */
export function optionFlagNames(keys: readonly OptionKey[]): Map<string, OptionKey> {
  const out = new Map<string, OptionKey>();
  for (const key of keys) {
    out.set(flagName(key), key);
    for (const alias of OPTION_ALIASES[key] ?? []) out.set(alias, key);
  }
  return out;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'json', kind: 'boolean', description: 'print exactly one JSON object on stdout' },
  { name: 'config', kind: 'string', description: 'JSON configuration file (flags > environment > file > defaults)' },
  { name: 'help', kind: 'boolean', description: 'show help' },
];

/** Parsed command line of one command. */
export interface ParsedArgs {
  positionals: string[];
  /** Configuration options given as flags (raw strings, validated later). */
  options: Partial<Record<OptionKey, unknown>>;
  /** Command and global flags, parsed by kind. */
  flags: Record<string, unknown>;
}

function parseFlagValue(spec: FlagSpec, raw: string | true): unknown {
  const flag = `--${flagName(spec.name)}`;
  if (spec.kind === 'boolean') {
    if (raw === true) return true;
    return parseBoolean(flag, raw);
  }
  if (raw === true) throw typeError(flag, undefined, `a value (${spec.kind})`);
  if (spec.kind === 'string') return raw;
  const toNumber = (s: string): number => {
    const v = Number(s);
    if (s.trim() === '' || !Number.isFinite(v)) throw typeError(flag, s, 'a finite number');
    return v;
  };
  if (spec.kind === 'number') return toNumber(raw);
  const list = raw.split(',').map((s) => toNumber(s.trim()));
  if (spec.kind === 'integerList' && list.some((v) => !Number.isInteger(v))) throw typeError(flag, raw, 'comma-separated integers');
  return list;
}

/**
 * Parses `argv` (after the command name). `optionKeys` are the configuration options the command
 * accepts; `flags` its own flags. Unknown flags fail with a hint for near misses.
 */
export function parseArgs(argv: readonly string[], optionKeys: readonly OptionKey[], flags: readonly FlagSpec[]): ParsedArgs {
  const own = [...GLOBAL_FLAGS, ...flags];
  const byFlag = new Map<string, { option?: OptionKey; spec?: FlagSpec }>();
  for (const [flag, key] of optionFlagNames(optionKeys)) byFlag.set(flag, { option: key });
  for (const spec of own) {
    byFlag.set(flagName(spec.name), { spec });
    for (const alias of spec.aliases ?? []) byFlag.set(alias, { spec });
  }
  const out: ParsedArgs = { positionals: [], options: {}, flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string | true | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    let target = byFlag.get(name);
    if (!target && name.startsWith('no-') && byFlag.has(name.slice(3))) {
      name = name.slice(3);
      target = byFlag.get(name);
      value = 'false';
    }
    if (!target) throw unknownOptionError(name, [...byFlag.keys()], (k) => `--${k}`);
    const isBoolean = target.spec ? target.spec.kind === 'boolean' : ['boolean', 'native'].includes(OPTION_SCHEMA[target.option!].kind);
    if (value === undefined) {
      const next = argv[i + 1];
      const nextIsValue = next !== undefined && !next.startsWith('--');
      if (isBoolean) value = nextIsValue && /^(true|false|1|0|yes|no|on|off|require)$/i.test(next) ? argv[++i]! : true;
      else if (nextIsValue) value = argv[++i]!;
      else throw typeError(`--${name}`, undefined, 'a value');
    }
    if (target.option) {
      out.options[target.option] = value === true ? 'true' : value;
    } else {
      out.flags[target.spec!.name] = parseFlagValue(target.spec!, value);
    }
  }
  return out;
}

/** Reads a JSON configuration file (camelCase keys or kebab-case flag names). */
export function readConfigFile(file: string): Partial<Record<OptionKey, unknown>> {
  let parsed: unknown;
  try {
    parsed = readJsonFile(file, 'config');
  } catch (e) {
    throw new SpearsimError('ERR_IO', `cannot read configuration file: ${(e as Error).message}`, { option: '--config', value: file, cause: e });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw typeError(`--config ${file}`, parsed, 'a JSON object');
  const byFlag = optionFlagNames(OPTION_KEYS);
  const out: Partial<Record<OptionKey, unknown>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const option = (OPTION_KEYS as string[]).includes(key) ? (key as OptionKey) : byFlag.get(key);
    if (!option) throw unknownOptionError(key, OPTION_KEYS, (k) => `"${k}" in ${file}`);
    out[option] = value;
  }
  return out;
}

/**
 * Resolves the configuration of a command: flags > environment > config file > preset (named in
 * any of those) > command base > defaults.
 */
export function configFromArgs(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env, base: Partial<Record<OptionKey, unknown>> = {}): Config {
  const file = typeof args.flags.config === 'string' ? readConfigFile(args.flags.config) : {};
  return resolveConfig({ ...base, ...withPreset({ ...file, ...configFromEnv(env), ...args.options }) }, [], {});
}
