// Regressions found by the hardening fuzz (issue 7) whose failure mode would take the test runner
// down (a V8 fatal error, a study started by mistake), so they run in a child process.
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { FUZZ_CODES, runSnippet, tempDir } from './harness';

const cwd = tempDir('regressions');
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

/** The snippet must end (no crash, no timeout) in a typed error. */
function expectTypedError(expr: string, timeoutMs = 20000, module?: string): void {
  const r = runSnippet(expr, { cwd, timeoutMs, module });
  const detail = `status ${r.status}, signal ${r.signal}, ${r.ms.toFixed(0)} ms\n${r.stderr.slice(0, 800)}`;
  expect(r.signal, detail).toBeNull();
  expect(r.status, detail).toBe(0);
  expect(r.result?.kind, detail).toBe('error');
  if (r.result?.kind === 'error') expect(FUZZ_CODES.has(String(r.result.code)), `${r.result.name} ${r.result.code}: ${r.result.message}`).toBe(true);
}

describe('crash-class regressions (child process)', () => {
  // both in one child (one ts-node start-up): each check must end in a typed error, promptly
  it('niceTicks with a huge count is a typed error, not a V8 fatal abort; runStudy rejects non-object options instead of starting the full default study', () => {
    expectTypedError(
      `(async () => {
        const ticks = await Promise.resolve().then(() => M.niceTicks(0, 1, 1e9)).then(() => 'returned', (e) => e.code);
        if (ticks !== 'ERR_OUT_OF_RANGE') throw new Error('niceTicks(0, 1, 1e9): ' + ticks);
        for (const o of ['5', 'opts', [], true, null]) {
          const code = await L.runStudy(o).then(() => 'resolved', (e) => e && e.code);
          if (!code || code === 'resolved' || code === 'ERR_INTERNAL') throw new Error('runStudy(' + JSON.stringify(o) + '): ' + code);
        }
        throw Object.assign(new Error('every check ended in a typed error'), { code: 'ERR_INVALID_TYPE' });
      })()`,
      10000,
      'plot',
    );
    // nothing may have been written in the working directory (a started study writes ./results)
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});
