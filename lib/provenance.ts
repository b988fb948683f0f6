/**
 * What every result reports about how it was produced.
 * @module
 */
import { type Config, type OptionKey, configSnapshot } from './config';
import { VERSION } from './version';

/** Seed, configuration, package version and engine behind a result. */
export interface Provenance {
  /** Base seed actually used. */
  seed: number;
  /** The resolved configuration (plain JSON). */
  config: Record<string, unknown>;
  /** spearsim version. */
  version: string;
  /** Which kernels ran. */
  engine: 'native' | 'typescript';
}

/** Provenance of a result; `keys` limits the configuration to the options that shaped it. */
export function provenance(config: Config, engine: 'native' | 'typescript', keys?: readonly OptionKey[]): Provenance {
  const full = configSnapshot(config);
  const shown = keys ? Object.fromEntries(keys.map((k) => [k, full[k]])) : full;
  return { seed: config.seed, config: shown, version: VERSION, engine };
}
