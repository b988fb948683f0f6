/**
 * Types of native/binding/generators_binding.cc (generators, calibration, bootstrap of generated
 * datasets), mirrored one to one.
 * @internal
 * @module
 */
import type { ResolvedPool } from '../kernels/generators';
import type { CancelToken, NativeBootstrapSpec, NativeRepArrays, ProgressCallback } from './native';

/** A generator as the addon reads it (lib/generators.ts nativeGeneratorSpec). */
export interface NativeGeneratorSpec {
  /** Code of the generator's registry entry (lib/kernels/generators/registry.ts). */
  kind: number;
  xTemplate: Float64Array;
  rowMoments: boolean;
  mu: number;
  sigma: number;
  pool?: ResolvedPool;
}

/** A generator at one input: signal = A * mixA + B * mixB; y values or midranks. */
export interface NativeGeneratedSpec {
  generator: NativeGeneratorSpec;
  mixA: number;
  mixB: number;
  values: boolean;
}

/** Probes solved and F(rho) evaluated by one calibration job. */
export interface NativeCalibrationResult {
  /** Generator input per probe; NaN = unreachable. */
  rhoIn: Float64Array;
  /** F at each rhoIn. */
  achieved: Float64Array;
  /** F at each of `rhos`. */
  curve: Float64Array;
  /** Evaluations of F computed. */
  evaluations: number;
}

/** A generator of the native table (native/generators/registry.cc). */
export interface NativeGeneratorEntry {
  name: string;
  code: number;
  needsPool: boolean;
  needsValues: boolean;
}

export interface GeneratorsAddon {
  generatorTable(): NativeGeneratorEntry[];
  generateDatasets(o: NativeGeneratedSpec & { baseKey: bigint; repOffset: number; count: number }): { x: Float64Array; y: Float64Array };
  calibrate(
    o: {
      generator: NativeGeneratorSpec;
      calKey: bigint;
      nCal: number;
      probes: Float64Array;
      rhos: Float64Array;
      maxIter: number;
      tolerance: number;
      hiCap: number;
      memoryLimit: number;
      threads: number;
    },
    token: CancelToken | null,
    onProgress: ProgressCallback,
  ): Promise<NativeCalibrationResult>;
  bootstrapGenerated(
    o: NativeBootstrapSpec & NativeGeneratedSpec & { nReps: number },
    token: CancelToken | null,
    onProgress: ProgressCallback,
  ): Promise<NativeRepArrays>;
}
