// The constants TypeScript and C++ share have one source (lib/kernels/shared-constants.json); the C++
// header is generated from it, and the option schema's maxima are read from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

import { OPTION_SCHEMA } from '../lib/config';
import constants from '../lib/kernels/shared-constants.json';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator = require('../scripts/gen-constants.js') as { render(c: unknown): string; target: string };

describe('shared constants', () => {
  test('native/constants.hpp is the generated view of lib/kernels/shared-constants.json (run scripts/gen-constants.js after editing it)', () => {
    expect(readFileSync(generator.target, 'utf8')).toBe(generator.render(constants));
    expect(generator.target).toBe(join(__dirname, '..', 'native', 'constants.hpp'));
  });

  test('the option schema reads its maxima from them', () => {
    const max = (key: keyof typeof OPTION_SCHEMA) => (OPTION_SCHEMA[key] as { max?: number }).max;
    expect(max('nReps')).toBe(constants.maxReps.value);
    expect(max('nSims')).toBe(constants.maxSims.value);
    expect(max('nBoot')).toBe(constants.maxBoot.value);
    expect(max('nPre')).toBe(constants.maxPre.value);
    expect(max('nCal')).toBe(constants.maxCal.value);
    expect(max('nPerm')).toBe(constants.maxPerm.value);
  });
});
