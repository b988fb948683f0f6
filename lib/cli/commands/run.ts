/**
 * `spearsim run`: the whole study (or a filtered, sharded or resumed part of it) with a readable
 * summary on stdout; progress on stderr.
 * @module
 */
import { OPTION_KEYS } from '../../config';
import type { Command } from '../command';

export const runCommand: Command = {
  name: 'run',
  summary: 'the whole study (88 scenarios, or a filtered/sharded part): three CSV tables and results.json',
  options: OPTION_KEYS.filter((k) => k !== 'generator'),
  flags: [],
  async run({ config, signal, print }) {
    const [{ runStudy }, { formatStudySummary }] = await Promise.all([import('../../study'), import('../study-summary')]);
    const result = await runStudy({ ...config, signal });
    print(formatStudySummary(result));
    return result;
  },
};
