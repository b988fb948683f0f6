/**
 * The `spearsim` command line.
 * @module
 */
import { OPTION_SCHEMA, flagName, unknownOptionError } from '../config';
import { SpearsimError } from '../errors';
import { VERSION } from '../version';
import { GLOBAL_FLAGS, OPTION_ALIASES, configFromArgs, parseArgs } from './args';
import { type Command, jsonReplacer } from './command';
import { COMMANDS } from './commands';

function usage(): string {
  const lines = [`spearsim ${VERSION} — Spearman power and expected bootstrap CIs with heavily tied x`, '', 'Usage: spearsim <command> [flags]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(12)} ${c.summary}`);
  lines.push('', 'Run "spearsim <command> --help" for its flags. Every configuration option is a flag: --threads, --memory-limit 512MB, --seed, --n-cal, ...');
  return lines.join('\n');
}

function commandHelp(c: Command): string {
  const lines = [`spearsim ${c.name} — ${c.summary}`, '', 'Flags:'];
  for (const f of [...c.flags, ...GLOBAL_FLAGS]) lines.push(`  --${flagName(f.name).padEnd(26)} ${f.description}`);
  for (const key of c.options) {
    const entry = OPTION_SCHEMA[key];
    const def = typeof entry.default === 'function' ? '(machine-dependent)' : JSON.stringify(entry.default);
    const aliases = (OPTION_ALIASES[key] ?? []).map((a) => `, --${a}`).join('');
    lines.push(`  --${`${flagName(key)}${aliases}`.padEnd(26)} ${entry.description} [default ${def}${entry.env ? `, env ${entry.env}` : ''}]`);
  }
  return lines.join('\n');
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === 'help') {
      process.stdout.write(json ? `${JSON.stringify({ version: VERSION, commands: COMMANDS.map((c) => ({ name: c.name, summary: c.summary })) })}\n` : `${usage()}\n`);
      return 0;
    }
    if (name === '--version' || name === 'version') {
      process.stdout.write(json ? `${JSON.stringify({ version: VERSION })}\n` : `${VERSION}\n`);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw unknownOptionError(name, COMMANDS.map((c) => c.name), (k) => `command "${k}"`);
    if (command.external) return await command.external(rest);
    const args = parseArgs(rest, command.options, command.flags);
    if (args.flags.help) {
      process.stdout.write(json ? `${JSON.stringify({ command: command.name, help: commandHelp(command) })}\n` : `${commandHelp(command)}\n`);
      return 0;
    }
    const config = configFromArgs(args, process.env, command.base?.(args) ?? {});
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
    const err = e instanceof SpearsimError ? e : new SpearsimError('ERR_INTERNAL', (e as Error).message ?? String(e), { cause: e });
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: err.code, message: err.message, option: err.option ?? null } })}\n`);
    process.stderr.write(`spearsim: error [${err.code}]: ${err.message}\n`);
    if (err.code === 'ERR_INTERNAL' && process.env.SPEARSIM_DEBUG) process.stderr.write(`${String((e as Error).stack)}\n`);
    return err.code === 'ERR_ABORTED' ? 130 : err.code === 'ERR_UNKNOWN_OPTION' || err.code === 'ERR_INVALID_TYPE' ? 2 : 1;
  }
}
