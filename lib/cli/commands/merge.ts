/**
 * `spearsim merge results/shard-1-of-4 results/shard-2-of-4 ...` (or just `spearsim merge
 * results`): combines the outputs of `spearsim run --shard i/N` into the single-machine tables.
 * @module
 */
import type { Command } from '../command';

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'combine shard outputs (directories or results.json files) into the full tables',
  options: ['outputDir', 'verbose'],
  positionals: { max: Infinity, usage: '[SHARD_DIR|results.json ...]' },
  flags: [],
  async run({ args, config, print }) {
    const inputs = args.positionals.length > 0 ? args.positionals : [config.outputDir];
    const [{ mergeShards }, { formatStudySummary }] = await Promise.all([import('../../study/shards'), import('../study-summary')]);
    const result = mergeShards(inputs, { outputDir: config.outputDir, verbose: config.verbose });
    print(formatStudySummary(result));
    return result;
  },
};
