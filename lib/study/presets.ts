/**
 * Named size presets of the study runner (docs/methods.md, "Precision and run time"). A preset fills the sizes it names below every
 * explicit layer: flags > environment > configuration file > preset > schema defaults.
 * @module
 */
import type { Config, OptionKey, PresetName } from '../config';

/** The sizes a preset sets. */
export type PresetSizes = Pick<Config, 'nSims' | 'nCal' | 'nReps' | 'nBoot' | 'nPre'>;

/** A preset: its sizes and the 95 % half-width it targets (undefined = no precision target). */
export interface Preset {
  /** Preset name (the key in {@link PRESETS}). */
  name: PresetName;
  /** One-line description for help texts. */
  description: string;
  /** Target 95 % half-width of the minimum detectable rho and of the CI endpoints. */
  halfWidth: number | undefined;
  /** The sizes the preset sets. */
  sizes: PresetSizes;
}

/**
 * The presets. `standard` is the reference's defaults (= the schema defaults); the tiers are the
 * configured tables of docs/methods.md, "Precision and run time" (POWER_TIERS and CI_TIERS share n_cal, so one n_cal per tier).
 */
export const PRESETS: Readonly<Record<PresetName, Preset>> = Object.freeze({
  quick: {
    name: 'quick',
    description: 'a fast look (the single-scenario tool sizes): about +-0.03 on the minimum detectable rho',
    halfWidth: undefined,
    sizes: { nSims: 500, nCal: 300, nReps: 20, nBoot: 500, nPre: 50000 },
  },
  standard: {
    name: 'standard',
    description: 'the reference defaults',
    halfWidth: undefined,
    sizes: { nSims: 10000, nCal: 300, nReps: 200, nBoot: 1000, nPre: 50000 },
  },
  'tier-0.01': {
    name: 'tier-0.01',
    description: 'precision tier +-0.01 (docs/methods.md, "Precision and run time")',
    halfWidth: 0.01,
    sizes: { nSims: 2220, nCal: 1000, nReps: 1300, nBoot: 500, nPre: 50000 },
  },
  'tier-0.002': {
    name: 'tier-0.002',
    description: 'precision tier +-0.002 (docs/methods.md, "Precision and run time")',
    halfWidth: 0.002,
    sizes: { nSims: 55520, nCal: 24100, nReps: 32500, nBoot: 500, nPre: 200000 },
  },
  'tier-0.001': {
    name: 'tier-0.001',
    description: 'precision tier +-0.001 (docs/methods.md, "Precision and run time")',
    halfWidth: 0.001,
    sizes: { nSims: 222050, nCal: 96400, nReps: 129700, nBoot: 500, nPre: 500000 },
  },
});

/** Preset names. */
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/**
 * Puts the sizes of the preset named in `explicit` (if any) under the explicit values: the
 * result is what resolveConfig should receive as its explicit layer. `present` lists keys set by
 * layers the caller resolves separately (e.g. the environment), which the preset must not cover.
 */
export function withPreset(
  explicit: Partial<Record<OptionKey, unknown>>,
  present: Partial<Record<OptionKey, unknown>> = {},
): Partial<Record<OptionKey, unknown>> {
  const name = explicit.preset ?? present.preset;
  if (name === undefined) return explicit;
  // own names only: "__proto__" or "constructor" must not find Object.prototype's members
  if (typeof name !== 'string' || !Object.hasOwn(PRESETS, name)) return explicit; // resolveConfig reports the bad name
  const preset = PRESETS[name as PresetName];
  const sizes = Object.fromEntries(Object.entries(preset.sizes).filter(([k]) => present[k as OptionKey] === undefined));
  return { ...sizes, ...explicit };
}
