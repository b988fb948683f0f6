/**
 * A closed or full standard output ends the CLI cleanly instead of with Node's "Unhandled 'error'
 * event" stack: EPIPE (the reader went away, e.g. `| head -c 10`) exits quietly, any other write
 * error (ENOSPC on `>/dev/full`, EFBIG, EIO) exits 1 with one line on stderr.
 * @module
 */

/** Exit status when standard output fails for another reason than a closed pipe. */
const WRITE_FAILED = 1;

/** What the CLI does when writing `stream` fails with `error`; returns the exit status. */
export function outputFailure(name: string, error: NodeJS.ErrnoException, stderr: Pick<NodeJS.WriteStream, 'write'> = process.stderr): number {
  if (error.code === 'EPIPE') return process.exitCode === undefined ? 0 : Number(process.exitCode);
  try {
    stderr.write(`spearsim: error [ERR_IO]: cannot write to ${name}: ${error.code ?? error.message}\n`);
  } catch {
    // stderr is gone too: the exit status is all that is left
  }
  return WRITE_FAILED;
}

/** Installs the handlers on the process's stdout and stderr. */
export function guardStandardStreams(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(outputFailure('standard output', e)));
  process.stderr.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? Number(process.exitCode ?? 0) : WRITE_FAILED));
}
