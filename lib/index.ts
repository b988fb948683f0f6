/**
 * spearsim: power and expected bootstrap confidence intervals of Spearman's rho when x is
 * heavily tied.
 * @packageDocumentation
 */
export { SpearsimError, type ErrorCode, type SpearsimErrorDetails } from './errors';
export {
  type Config, type CallControls, type GeneratorName, type Shape, type CalibrationMode, type TieCorrection,
  type DirectionMode, type PresetName, OPTION_SCHEMA, resolveConfig, flagName,
} from './config';
export { VERSION } from './version';
export { type Provenance } from './provenance';
export { Rng, rootKey, childKey } from './rng';
export { bootstrapCI, bootstrapBatch, type BootstrapOptions, type BootstrapCIResult, type BatchBootstrapResult, type RepResults } from './bootstrap';
export { nativeStatus } from './native-status';
