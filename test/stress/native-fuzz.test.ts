// The native addon's own argument checks under fuzz (slow tier): test/native-checks/
// fuzz-addon.js calls every binding with mutated arguments (huge sizes included) and random
// cancellations. Each run is a child process under `ulimit -v` so that an allocation the checks
// let through becomes std::bad_alloc (ERR_MEMORY_LIMIT) instead of a machine-wide OOM kill.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '..', '..');
const VMEM_KB = 6_000_000; // 6 GB of address space: plenty for node + the addon, far below the fuzz's 16+ GB asks

function fuzz(extra: string[]): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const cmd = `ulimit -v ${VMEM_KB}; exec node --expose-gc test/native-checks/fuzz-addon.js ${extra.join(' ')}`;
  const r = spawnSync('bash', ['-c', cmd], { cwd: REPO, encoding: 'utf8', timeout: 3 * 60 * 1000, killSignal: 'SIGKILL', maxBuffer: 1 << 26 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(process.platform !== 'linux')('native fuzz', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: 4000 calls, no crash`, () => {
      const r = fuzz(['--iterations', '4000', '--seed', String(seed)]);
      const summary = r.stdout.trim().split('\n').pop() ?? '';
      console.log(`seed ${seed}: ${summary}`); // eslint-disable-line no-console
      expect(r.signal, r.stderr.slice(-2000)).toBeNull();
      expect(r.status, r.stderr.slice(-2000)).toBe(0);
      expect(JSON.parse(summary).ok).toBe(true);
    });
  }

  it('handles of the wrong kind (a cancel token as a power set and vice versa) are rejected, not dereferenced', () => {
    const r = fuzz(['--iterations', '600', '--seed', '7', '--handles']);
    expect(r.signal, r.stderr.slice(-2000)).toBeNull();
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
  });
});
