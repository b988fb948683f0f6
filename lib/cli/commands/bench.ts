/**
 * `spearsim bench [flags]`: the benchmark suite (bench/run.js), with its own flags
 * (`spearsim bench --help`).
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpearsimError } from '../../errors';
import type { Command } from '../command';

const RUNNER = path.resolve(__dirname, '..', '..', '..', 'bench', 'run.js');

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the benchmark suite (JSON: medians, threads, peak RSS, CPU features); see "spearsim bench --help"',
  options: [],
  flags: [],
  run() {
    throw new SpearsimError('ERR_INTERNAL', 'bench runs through external()');
  },
  async external(argv) {
    if (!fs.existsSync(RUNNER)) {
      throw new SpearsimError('ERR_IO', `the benchmark suite is not installed (${RUNNER} is missing)`, { option: 'bench' });
    }
    const { spawn } = await import('node:child_process');
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [RUNNER, ...argv], { stdio: 'inherit' });
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
    });
  },
};
