// In-process CLI runner for the hardening tests: main(argv) of lib/cli with stdout/stderr captured,
// a simulated Ctrl-C, and the output contract of every invocation.
import { debugStacks, main } from '../../lib/cli/index';
import { captureOutput } from '../helpers/capture';
import { threadsInUse } from '../../lib/internal/threads';
import { FUZZ_CODES, partialFiles } from './harness';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs main(argv) in this process with stdout/stderr captured. After `interruptMs` the SIGINT
 * handler main() installed is invoked (as Ctrl-C would); main must then settle within `stopMs`.
 */
export async function runCli(argv: string[], interruptMs = 4000, stopMs = 1500): Promise<CliRun & { interruptedAt?: number }> {
  const before = new Set(process.listeners('SIGINT'));
  const t0 = performance.now();
  let interruptedAt: number | undefined;
  const timers: NodeJS.Timeout[] = [];
  try {
    const { value: code, stdout, stderr } = await captureOutput(() => {
      const running = main(argv);
      const stopped = new Promise<never>((_, reject) => {
        timers.push(
          setTimeout(() => {
            interruptedAt = performance.now() - t0;
            // only main()'s own handler: the test runner's listeners must not see a fake Ctrl-C
            for (const listener of process.listeners('SIGINT')) if (!before.has(listener)) (listener as (s: string) => void)('SIGINT');
            timers.push(setTimeout(() => reject(new Error(`did not stop within ${stopMs} ms of SIGINT: ${argv.join(' ')}`)), stopMs));
          }, interruptMs),
        );
      });
      return Promise.race([running, stopped]);
    });
    return { code, stdout, stderr, ms: performance.now() - t0, interruptedAt };
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}

/** Problems with one CLI run (empty = fine). */
export function cliProblems(run: CliRun, json: boolean, outDir: string): string[] {
  const p: string[] = [];
  if (![0, 1, 2, 130].includes(run.code)) p.push(`exit code ${run.code}`);
  if (json) {
    const lines = run.stdout.split('\n').filter((l) => l !== '');
    if (lines.length !== 1) p.push(`--json printed ${lines.length} lines: ${run.stdout.slice(0, 300)}`);
    else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(lines[0]!);
      } catch {
        p.push(`stdout is not JSON: ${lines[0]!.slice(0, 200)}`);
      }
      if (parsed !== undefined) {
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) p.push('JSON output is not an object');
        const error = (parsed as { error?: { code?: string } }).error;
        if (run.code === 0 && error) p.push(`exit 0 with an error object ${JSON.stringify(error)}`);
        if (run.code !== 0 && run.code !== 130 && (!error || !FUZZ_CODES.has(String(error.code)))) p.push(`exit ${run.code} with error ${JSON.stringify(error)}: ${run.stderr.slice(0, 1500)}`);
      }
    }
  } else if (run.code === 1 || run.code === 2) {
    const m = /spearsim: error \[(\w+)\]/.exec(run.stderr);
    if (!m) p.push(`failure without a coded message: ${run.stderr.slice(0, 300)}`);
    else if (!FUZZ_CODES.has(m[1]!)) p.push(`failure code ${m[1]}: ${run.stderr.slice(0, 1500)}`);
  }
  // a user never sees a stack trace (SPEARSIM_DEBUG is for developers)
  if (!debugStacks(process.env) && /\n\s+at .+:\d+:\d+\)?\n/.test(`${run.stderr}\n`)) p.push(`stack trace on stderr: ${run.stderr.slice(0, 600)}`);
  const partial = partialFiles(outDir);
  if (partial.length > 0) p.push(`partial files left: ${partial.join(', ')}`);
  if (threadsInUse() !== 0) p.push(`threads still held: ${threadsInUse()}`);
  const interrupted = (run as { interruptedAt?: number }).interruptedAt;
  if (interrupted !== undefined && run.code !== 130 && run.code !== 0) p.push(`interrupted but exited with ${run.code}`);
  return p;
}

