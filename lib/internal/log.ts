/**
 * Warnings and log lines. Everything goes to stderr (stdout is reserved for results), gated by the
 * `verbose` level: 0 silent, 1 warnings, 2 summaries, 3 detail.
 * @internal
 * @module
 */

/** Emits a warning (as a Node process warning, so callers can observe `process.on('warning')`). */
export function warn(verbose: number, message: string, code = 'SPEARSIM_WARNING'): void {
  if (verbose >= 1) process.emitWarning(message, { code });
}

/** Writes a log line to stderr when `verbose >= level`. */
export function log(verbose: number, level: number, message: string): void {
  if (verbose >= level) process.stderr.write(`spearsim: ${message}\n`);
}
