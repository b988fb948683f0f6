/**
 * `spearsim bootstrap --x 1,2,3 --y 3,1,2`: percentile bootstrap CI of Spearman's rho for data
 * given on the command line.
 * @module
 */
import { SpearsimError } from '../../errors';
import type { Command } from '../command';
import { table } from '../command';

export const bootstrapCommand: Command = {
  name: 'bootstrap',
  summary: "percentile bootstrap CI of Spearman's rho for x and y given as comma-separated numbers",
  options: ['nBoot', 'alpha', 'seed', 'threads', 'memoryLimit', 'native', 'verbose'],
  flags: [
    { name: 'x', kind: 'numberList', description: 'x values, comma-separated' },
    { name: 'y', kind: 'numberList', description: 'y values, comma-separated' },
  ],
  async run({ args, config, signal, print }) {
    const { x, y } = args.flags as { x?: number[]; y?: number[] };
    if (!x || !y) throw new SpearsimError('ERR_INVALID_TYPE', 'bootstrap needs --x and --y', { option: x ? '--y' : '--x' });
    const { bootstrapCI } = await import('../../bootstrap');
    const result = await bootstrapCI(x, y, {
      nBoot: config.nBoot, alpha: config.alpha, seed: config.seed, threads: config.threads,
      memoryLimit: config.memoryLimit, native: config.native, verbose: config.verbose, signal,
    });
    print(table(['rho', 'ci_lower', 'ci_upper', 'dropped'], [[result.rho, result.ciLower, result.ciUpper, String(result.dropped)]]));
    return result;
  },
};
