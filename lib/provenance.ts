/**
 * What every result reports about how it was produced.
 * @module
 */
import { type Config, configSnapshot } from './config';
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

export function provenance(config: Config, engine: 'native' | 'typescript'): Provenance {
  return { seed: config.seed, config: configSnapshot(config), version: VERSION, engine };
}
