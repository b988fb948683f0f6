// Memory (slow tier): under a small memoryLimit, large runs either complete within it —
// peak RSS growth over the warmed-up baseline measured by the child itself
// (process.resourceUsage().maxRSS) — or fail up front with ERR_MEMORY_LIMIT, quickly. No child is
// ever killed (by the OS or by the timeout).
//
// Bound: growth <= memoryLimit x 1.15 + 48 MB. The slack covers what memoryLimit does not budget:
// V8's heap growth for the per-rep JS result arrays and glibc's per-thread malloc arenas.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '..', '..');
const MB = 1024 * 1024;
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-memory-'));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

function runCase(name: string, memoryLimit: number, timeoutMs = 600000): { baselineKB: number; maxRSSKB: number; outcome: string; seconds: number } {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '-r', path.join(REPO, 'node_modules', 'ts-node', 'register', 'transpile-only'), path.join(__dirname, 'helpers', 'memory-child.ts'), name, String(memoryLimit), outDir],
    { env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') }, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 24 },
  );
  expect(r.signal, `${name} was killed (${r.signal}); stderr: ${r.stderr.slice(-800)}`).toBeNull();
  expect(r.status, r.stderr.slice(-800)).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const LIMIT = 256 * MB;
const bound = (limit: number): number => limit * 1.15 + 48 * MB;

describe('large runs complete within memoryLimit', () => {
  for (const name of ['ci-million-reps', 'stored-batch', 'power-repeated', 'power-search-large', 'null-large', 'calibration-large', 'study-grid']) {
    it(name, () => {
      const r = runCase(name, LIMIT);
      const growth = (r.maxRSSKB - r.baselineKB) * 1024;
      console.log(`${name}: ${r.outcome} in ${r.seconds.toFixed(1)} s, baseline ${(r.baselineKB / 1024).toFixed(0)} MB, peak ${(r.maxRSSKB / 1024).toFixed(0)} MB, growth ${(growth / MB).toFixed(0)} MB (limit ${LIMIT / MB} MB)`); // eslint-disable-line no-console
      expect(r.outcome).toBe('ok');
      expect(growth, `peak RSS growth ${(growth / MB).toFixed(0)} MB`).toBeLessThanOrEqual(bound(LIMIT));
    }, 900000);
  }
});

describe('runs that cannot fit fail up front', () => {
  for (const name of ['too-large-ci', 'too-large-null', 'too-large-calibration', 'too-large-stored']) {
    it(name, () => {
      const r = runCase(name, 64 * MB, 120000);
      expect(r.outcome).toBe('ERR_MEMORY_LIMIT');
      expect(r.seconds, 'fails before doing the work').toBeLessThan(2);
      expect((r.maxRSSKB - r.baselineKB) * 1024).toBeLessThan(32 * MB);
    });
  }
});
