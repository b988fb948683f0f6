/**
 * The `spearsim` command line.
 * @module
 */
import * as os from 'node:os';
import { type Config, type OptionKey, OPTION_KEYS, OPTION_SCHEMA, flagName, unknownOptionError } from '../config';
import { type ErrorCode, SpearsimError } from '../errors';
import { VERSION } from '../version';
import { type ArgsError, type FlagSpec, GLOBAL_FLAGS, OPTION_ALIASES, configFromArgs, parseArgs } from './args';
import { type Command, jsonReplacer } from './command';
import { COMMANDS } from './commands';

function usage(): string {
  const lines = [`spearsim ${VERSION} — Spearman power and expected bootstrap CIs with heavily tied x`, '', 'Usage: spearsim <command> [flags]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(12)} ${c.summary}`);
  lines.push('', 'Run "spearsim <command> --help" (or -h) for its flags; "spearsim --version" (or -V) prints the version. Every configuration option is a flag: --threads, --memory-limit 512MB, --seed, --n-cal, ...');
  return lines.join('\n');
}

/** The default a command runs with: its own (base) where it has one, else the schema's. */
function commandDefault(c: Command, key: OptionKey): string {
  const own = c.base?.({ positionals: [], options: {}, flags: {} })[key];
  if (own !== undefined) return `${JSON.stringify(own)} for this command`;
  const entry = OPTION_SCHEMA[key];
  return typeof entry.default === 'function' ? '(machine-dependent)' : JSON.stringify(entry.default);
}

function commandHelp(c: Command): string {
  const usageLine = `Usage: spearsim ${c.name}${c.positionals ? ` ${c.positionals.usage}` : ''} [flags]`;
  const lines = [`spearsim ${c.name} — ${c.summary}`, '', usageLine, '', 'Flags:'];
  const spelled = (f: FlagSpec): string => `${f.short ? `-${f.short}, ` : ''}--${flagName(f.name)}`;
  for (const f of [...c.flags, ...GLOBAL_FLAGS]) lines.push(`  ${spelled(f).padEnd(26)} ${f.description}`);
  for (const key of c.options) {
    const entry = OPTION_SCHEMA[key];
    const aliases = (OPTION_ALIASES[key] ?? []).map((a) => `, --${a}`).join('');
    lines.push(`  --${`${flagName(key)}${aliases}`.padEnd(24)} ${entry.description} [default ${commandDefault(c, key)}${entry.env ? `, env ${entry.env}` : ''}]`);
  }
  return lines.join('\n');
}

/**
 * More kernel threads than the CPUs this process may run on (its affinity) only add switching
 * (2 057 OS threads for --threads 1024 on 2 CPUs made a run 30x slower): the CLI caps them there.
 */
function withThreadsCapped(config: Config): Config {
  const cpus = os.availableParallelism();
  if (config.threads <= cpus) return config;
  if (config.verbose >= 1) process.stderr.write(`spearsim: --threads ${config.threads} is more than the ${cpus} CPUs this process may use; using ${cpus}\n`);
  return { ...config, threads: cpus };
}

/** Exit code of a failure: 2 for bad usage or a bad value (of any kind), 130 when interrupted, else 1. */
export function exitCode(code: ErrorCode): number {
  if (code === 'ERR_ABORTED') return 130;
  const badValue: readonly ErrorCode[] = [
    'ERR_UNKNOWN_OPTION', 'ERR_INVALID_TYPE', 'ERR_OUT_OF_RANGE', 'ERR_LENGTH_MISMATCH', 'ERR_INVALID_COUNTS', 'ERR_NAN_INPUT', 'ERR_CONFLICTING_OPTIONS',
  ];
  return badValue.includes(code) ? 2 : 1;
}

/** Whether the words after an unknown command ask for --json (read as any command would read them). */
function jsonGiven(argv: readonly string[]): boolean {
  try {
    return parseArgs(argv, OPTION_KEYS, [], Infinity).flags.json === true;
  } catch (e) {
    return (e as ArgsError).parsed?.flags.json === true;
  }
}

/** Whether SPEARSIM_DEBUG asks for the stacks of internal errors: 1, true, yes or on (so that 0 or false do not). */
export function debugStacks(env: NodeJS.ProcessEnv): boolean {
  return /^(1|true|yes|on)$/i.test(env.SPEARSIM_DEBUG ?? '');
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let json = false;
  try {
    const [first, ...after] = argv;
    // `spearsim [-h|--help|-V|--version] [--json]`, `spearsim help`, `spearsim version`
    const word = first === 'help' || first === 'version' ? first : undefined;
    if (first === undefined || word !== undefined || first.startsWith('-')) {
      const top = parseArgs(word ? after : argv, [], []);
      json = top.flags.json === true;
      if (word === 'version' || (top.flags.version === true && top.flags.help !== true)) {
        process.stdout.write(json ? `${JSON.stringify({ version: VERSION })}\n` : `${VERSION}\n`);
      } else {
        process.stdout.write(json ? `${JSON.stringify({ version: VERSION, commands: COMMANDS.map((c) => ({ name: c.name, summary: c.summary })) })}\n` : `${usage()}\n`);
      }
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (!command) {
      json = jsonGiven(after);
      throw unknownOptionError(first, COMMANDS.map((c) => c.name), (k) => `command "${k}"`);
    }
    if (command.external) return await command.external(after);
    const args = parseArgs(after, command.options, command.flags, command.positionals?.max ?? 0);
    json = args.flags.json === true;
    if (args.flags.help) {
      process.stdout.write(json ? `${JSON.stringify({ command: command.name, help: commandHelp(command) })}\n` : `${commandHelp(command)}\n`);
      return 0;
    }
    if (args.flags.version) {
      process.stdout.write(json ? `${JSON.stringify({ version: VERSION })}\n` : `${VERSION}\n`);
      return 0;
    }
    const config = withThreadsCapped(configFromArgs(args, process.env, command.base?.(args) ?? {}, command.options));
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const result = await command.run({
        args,
        config,
        json,
        signal: controller.signal,
        print: (text) => {
          if (!json) process.stdout.write(`${text}\n`);
        },
        log: (text) => process.stderr.write(`${text}\n`),
      });
      if (json) process.stdout.write(`${JSON.stringify(result, jsonReplacer)}\n`);
      return controller.signal.aborted ? 130 : 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  } catch (e) {
    // a parse failure still knows whether --json was given around it
    if ((e as ArgsError).parsed?.flags.json === true) json = true;
    const err = e instanceof SpearsimError ? e : new SpearsimError('ERR_INTERNAL', (e as Error).message ?? String(e), { cause: e });
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: err.code, message: err.message, option: err.option ?? null } })}\n`);
    process.stderr.write(`spearsim: error [${err.code}]: ${err.message}\n`);
    if (err.code === 'ERR_INTERNAL' && debugStacks(process.env)) process.stderr.write(`${String((e as Error).stack)}\n`);
    return exitCode(err.code);
  }
}
