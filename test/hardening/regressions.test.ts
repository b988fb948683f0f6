// Regressions found by the hardening fuzz whose failure mode would take the test runner
// down (a V8 fatal error, a study started by mistake), so they run in a child process.
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { FUZZ_CODES, runSnippet, tempDir } from './harness';

const cwd = tempDir('regressions');
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

/** Runs the snippet in a child; it must end (no crash, no timeout) with a JSON string, returned parsed. */
function runToJson(expr: string, timeoutMs = 20000, module?: string): unknown {
  const r = runSnippet(expr, { cwd, timeoutMs, module });
  const detail = `status ${r.status}, signal ${r.signal}, ${r.ms.toFixed(0)} ms\n${r.stderr.slice(0, 800)}`;
  expect(r.signal, detail).toBeNull();
  expect(r.status, detail).toBe(0);
  expect(r.result?.kind, `${detail}\n${JSON.stringify(r.result)}`).toBe('ok');
  return JSON.parse(String((r.result as { value: unknown }).value));
}

describe('crash-class regressions (child process)', () => {
  // both in one child (one ts-node start-up): each check must end in a typed error, promptly
  it('niceTicks with a huge count is a typed error, not a V8 fatal abort; runStudy rejects non-object options instead of starting the full default study', () => {
    // each call's outcome: the error code it rejected with, or 'returned' / 'resolved'
    const outcome = runToJson(
      `(async () => {
        const codeOf = (p) => Promise.resolve().then(p).then(() => 'returned', (e) => (e && e.code) || String(e));
        const ticks = await codeOf(() => M.niceTicks(0, 1, 1e9));
        const runStudy = [];
        for (const o of ['5', 'opts', [], true, null]) runStudy.push(await codeOf(() => L.runStudy(o)));
        return JSON.stringify({ ticks, runStudy });
      })()`,
      10000,
      'plot',
    ) as { ticks: string; runStudy: string[] };
    expect(outcome.ticks).toBe('ERR_OUT_OF_RANGE');
    expect(outcome.runStudy).toHaveLength(5);
    for (const code of outcome.runStudy) {
      expect(FUZZ_CODES.has(code), `runStudy rejected with ${code}`).toBe(true);
      expect(code).not.toBe('ERR_INTERNAL');
    }
    // nothing may have been written in the working directory (a started study writes ./results)
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});
