/**
 * The generator registry: one line per generator (twin of the table in
 * native/generators/registry.cc; the tests check that both list the same generators). Config
 * choices, the GeneratorName type, study stage filters, CLI help and the parity tests all read it
 * through ./table.
 * @module
 */
export { nonparametric } from './nonparametric';
export { copula } from './copula';
export { linear } from './linear';
export { empirical } from './empirical';
export { nullGenerator } from './null';
export { copulaPool } from './copula-pool';
export { linearPool } from './linear-pool';
