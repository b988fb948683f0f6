/**
 * Command-line parsing. Every configuration option is a kebab-case flag (`nCal` -> `--n-cal`);
 * commands add their own flags. Values are validated by the same schema as the API.
 * @module
 */
import { type Config, type OptionKey, OPTION_KEYS, OPTION_SCHEMA, configFromEnv, flagName, parseBoolean, parseNumber, resolveConfig, unknownOptionError } from '../config';
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
  /** One-letter spelling with a single dash (only `-h` and `-V`). */
  short?: string;
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
  { name: 'help', kind: 'boolean', description: 'show help', short: 'h' },
  { name: 'version', kind: 'boolean', description: 'print the version', short: 'V' },
];

/** Text values a boolean flag takes from the next word (`--json false`); other words are not its value. */
const BOOLEAN_WORDS = /^(true|false|1|0|yes|no|on|off)$/i;

/** A parse failure, with what was parsed around it (so --json still shapes the error output). */
export type ArgsError = SpearsimError & { parsed?: ParsedArgs };

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
  if (spec.kind === 'number') return parseNumber(flag, raw);
  const list = raw.split(',').map((s) => parseNumber(flag, s.trim()));
  if (spec.kind === 'integerList' && list.some((v) => !Number.isInteger(v))) throw typeError(flag, raw, 'comma-separated integers');
  return list;
}

/**
 * Parses `argv` (after the command name). `optionKeys` are the configuration options the command
 * accepts; `flags` its own flags; `maxPositionals` the words it takes besides flags. Unknown
 * flags, single-dash flags other than -h and -V, and words beyond `maxPositionals` fail with a
 * hint for near misses; `--` makes every later word a positional. Every token is looked at before
 * the first failure is thrown, so the error carries the flags around it (see {@link ArgsError}).
 */
export function parseArgs(argv: readonly string[], optionKeys: readonly OptionKey[], flags: readonly FlagSpec[], maxPositionals = 0): ParsedArgs {
  const own = [...GLOBAL_FLAGS, ...flags];
  const byFlag = new Map<string, { option?: OptionKey; spec?: FlagSpec }>();
  const byShort = new Map<string, FlagSpec>();
  for (const [flag, key] of optionFlagNames(optionKeys)) byFlag.set(flag, { option: key });
  for (const spec of own) {
    byFlag.set(flagName(spec.name), { spec });
    for (const alias of spec.aliases ?? []) byFlag.set(alias, { spec });
    if (spec.short) byShort.set(spec.short, spec);
  }
  const out: ParsedArgs = { positionals: [], options: {}, flags: {} };
  const errors: SpearsimError[] = [];
  const attempt = (step: () => void): void => {
    try {
      step();
    } catch (e) {
      if (!(e instanceof SpearsimError)) throw e;
      errors.push(e);
    }
  };
  let afterFlag: string | undefined; // a boolean flag that did not take the word after it
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const follows = afterFlag;
    afterFlag = undefined;
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      attempt(() => {
        if (out.positionals.length >= maxPositionals) throw strayWord(arg, follows, maxPositionals);
        out.positionals.push(arg);
      });
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      const short = byShort.get(arg.slice(1));
      if (short) out.flags[short.name] = true;
      else attempt(() => {
        throw singleDashError(arg, [...byFlag.keys()]);
      });
      continue;
    }
    const eq = arg.indexOf('=');
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string | true | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    let target = byFlag.get(name);
    if (!target && name.startsWith('no-') && byFlag.has(name.slice(3)) && value === undefined) {
      name = name.slice(3);
      target = byFlag.get(name);
      value = 'false';
    }
    if (!target) {
      attempt(() => {
        throw unknownOptionError(name, [...byFlag.keys()], (k) => `--${k}`);
      });
      continue;
    }
    const isBoolean = target.spec ? target.spec.kind === 'boolean' : ['boolean', 'native'].includes(OPTION_SCHEMA[target.option!].kind);
    if (value === undefined) {
      const next = argv[i + 1];
      const nextIsValue = next !== undefined && !next.startsWith('--');
      if (isBoolean) {
        const native = target.option === 'native' && next === 'require';
        if (nextIsValue && (BOOLEAN_WORDS.test(next) || native)) value = argv[++i]!;
        else {
          value = true;
          afterFlag = `--${name}`;
        }
      } else if (nextIsValue) value = argv[++i]!;
      else {
        attempt(() => {
          throw typeError(`--${name}`, undefined, 'a value');
        });
        continue;
      }
    }
    if (target.option) {
      // validated with the rest of the configuration, by the schema
      out.options[target.option] = value === true ? 'true' : value;
    } else {
      const spec = target.spec!;
      const raw = value;
      attempt(() => {
        out.flags[spec.name] = parseFlagValue(spec, raw);
      });
    }
  }
  if (errors.length > 0) {
    const first = errors[0] as ArgsError;
    first.parsed = out;
    throw first;
  }
  return out;
}

function strayWord(word: string, afterBooleanFlag: string | undefined, maxPositionals: number): SpearsimError {
  const takes = maxPositionals === 0 ? 'this command takes no words besides flags' : `this command takes at most ${maxPositionals}`;
  const hint = afterBooleanFlag ? `; ${afterBooleanFlag} is a switch: give its value as ${afterBooleanFlag}=VALUE (true/false)` : '';
  return new SpearsimError('ERR_UNKNOWN_OPTION', `unexpected argument ${JSON.stringify(word)}: ${takes}${hint}`, { option: word, expected: takes });
}

function singleDashError(arg: string, known: readonly string[]): SpearsimError {
  const letter = arg.slice(1, 2);
  const candidates = known.filter((k) => k.startsWith(letter));
  const hint = candidates.length > 0 && candidates.length <= 4 ? `; did you mean ${candidates.map((k) => `--${k}`).join(' or ')}?` : '';
  return new SpearsimError('ERR_UNKNOWN_OPTION', `unknown option ${arg}: flags are spelled out with two dashes (only -h and -V are short)${hint}`, {
    option: arg,
    expected: 'a --flag',
  });
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
 * any of those) > command base > defaults. Only the environment variables of `optionKeys` (the
 * options the command accepts; default all) are read.
 */
export function configFromArgs(
  args: ParsedArgs,
  env: NodeJS.ProcessEnv = process.env,
  base: Partial<Record<OptionKey, unknown>> = {},
  optionKeys: readonly OptionKey[] = OPTION_KEYS,
): Config {
  const file = typeof args.flags.config === 'string' ? readConfigFile(args.flags.config) : {};
  return resolveConfig({ ...base, ...withPreset({ ...file, ...configFromEnv(env, optionKeys), ...args.options }) }, [], {});
}
