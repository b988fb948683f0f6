/**
 * The generator table, built from the registry's lines in code order, and lookups.
 * @module
 */
import { rangeError } from '../../errors';
import type { GeneratorEntry, GeneratorStage } from '../generators';
import * as registry from './registry';

/** Name of a registered y generator. */
export type GeneratorName = (typeof registry)[keyof typeof registry]['name'];

let table: readonly GeneratorEntry<GeneratorName>[] | null = null;

/**
 * Every registered generator in code order. Built on first use, not while modules load: the
 * generator files import the kernel twin, which imports this module.
 */
export function generatorTable(): readonly GeneratorEntry<GeneratorName>[] {
  if (table === null) {
    const entries: GeneratorEntry<GeneratorName>[] = Object.values(registry);
    const sorted = [...entries].sort((p, q) => p.code - q.code);
    sorted.forEach((e, i) => {
      if (e.code !== i) throw new Error(`generator registry: ${e.name} has code ${e.code}, expected ${i}`);
    });
    table = Object.freeze(sorted);
  }
  return table;
}

/** Names of every registered generator, in code order. */
export function generatorNames(): GeneratorName[] {
  return generatorTable().map((e) => e.name);
}

/** The entry of a generator name (an unknown name is a range error). */
export function generatorEntry(name: string): GeneratorEntry<GeneratorName> {
  const entry = generatorTable().find((e) => e.name === name);
  if (!entry) throw rangeError('generator', name, `one of ${generatorNames().join(', ')}`);
  return entry;
}

/** Names of the generators a study stage runs. */
export function stageGeneratorNames(stage: GeneratorStage): GeneratorName[] {
  return generatorTable().filter((e) => e.stages.includes(stage)).map((e) => e.name);
}
