/**
 * The p-value methods of spearmanTest, one file each; adding a closed-form one is a file and a
 * line here. The `method` choices, the CLI's test table and the tests come from this table
 * (docs/methods.md, "Real data").
 * @module
 */
import { asymptoticMethod } from './asymptotic';
import { exactMethod } from './exact';
import { permutationMethod } from './permutation';
import { tMethod } from './t';
import type { PvalueMethodSpec } from './variant';

/** The registered p-value methods, in code order (permutation, the default, first). */
export const PVALUE_METHOD_REGISTRY = [permutationMethod, exactMethod, tMethod, asymptoticMethod] as const;

/** How spearmanTest computes its p-value: a registered method name. */
export type TestMethod = (typeof PVALUE_METHOD_REGISTRY)[number]['name'];

/** The method names, in table order. */
export const TEST_METHODS = PVALUE_METHOD_REGISTRY.map((m) => m.name) as readonly TestMethod[];

/** The registered method of a name. */
export function pvalueMethodOf(name: TestMethod): PvalueMethodSpec {
  return PVALUE_METHOD_REGISTRY.find((m) => m.name === name)!;
}

export type { Alternative, ClosedFormPvalue, PvalueMethodSpec } from './variant';
