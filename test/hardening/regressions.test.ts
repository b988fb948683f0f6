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
  it('niceTicks with a huge count is a typed error, not a V8 fatal abort', () => {
    // niceTicks is internal now (plots call it); the regression still guards it
    expectTypedError('M.niceTicks(0, 1, 1e9)', 8000, 'plot');
  });

  it('runStudy rejects non-object options instead of starting the full default study', () => {
    // all in one child: each call must reject at once (a regression starts a study and times out)
    expectTypedError(`Promise.all(['5', 'opts', [], true, null].map((o) => L.runStudy(o).then(() => { throw new Error('runStudy(' + JSON.stringify(o) + ') resolved'); }, (e) => { if (!e || !e.code || e.code === 'ERR_INTERNAL') throw e; }))).then(() => { throw Object.assign(new Error('all rejected with codes'), { code: 'ERR_INVALID_TYPE' }); })`, 8000);
    // nothing may have been written in the working directory
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});
