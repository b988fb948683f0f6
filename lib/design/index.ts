/**
 * Planning your own study: a design (any n, x tie structure, y model) and the questions asked of
 * it. docs/methods.md, "Planning your own study".
 * @module
 */
export { makeDesign, designAtN, smallestDesignN, DEFAULT_MAX_SEARCH_N } from './design';
export { roundedCounts, PROPORTION_SUM_TOLERANCE } from './margins';
export { readPilotColumn, MAX_PILOT_BYTES, type PilotColumn } from './pilot';
export { designPowerGrid, clearDesignCaches, type DesignOptions } from './evaluate';
export { designPower, designMinDetectableRho, designSampleSize, designCi, designCiWidth, MDR_TOLERANCE } from './solve';
export type * from './types';
