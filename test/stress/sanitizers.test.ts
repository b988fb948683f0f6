// Sanitizer and valgrind runs of the addon (slow tier): scripts/sanitize.sh (ASan + UBSan
// build in build-asan/, whole-library workload + native fuzz) and scripts/valgrind.sh (normal
// build in build-valgrind/, memcheck, fails on definite leaks or memory errors in the addon).
// Each is skipped, with the reason, when its tools are missing.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '..', '..');
const has = (cmd: string, args: string[] = ['--version']): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const libasan = spawnSync('gcc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout?.trim() ?? '';
const CAN_ASAN = process.platform === 'linux' && has('gcc') && libasan.startsWith('/');
const CAN_VALGRIND = process.platform === 'linux' && has('valgrind');

function run(script: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync('bash', [path.join(REPO, 'scripts', script), ...args], { cwd: REPO, encoding: 'utf8', timeout: 25 * 60 * 1000, maxBuffer: 1 << 26 });
  const out = `${r.stdout}\n${r.stderr}`;
  console.log(`${script}:\n${out.split('\n').filter((l) => /^(sanitize|valgrind):|"ok"/.test(l)).join('\n').slice(0, 4000)}`); // eslint-disable-line no-console
  return { status: r.status, out };
}

describe('sanitizers', () => {
  it.skipIf(!CAN_ASAN)('ASan + UBSan: the workload and 3000 fuzzed native calls run clean', () => {
    const r = run('sanitize.sh', ['--fuzz', '3000']);
    expect(r.out).not.toMatch(/ERROR: AddressSanitizer|runtime error:/);
    expect(r.status, r.out.slice(-3000)).toBe(0);
  });

  it.skipIf(!CAN_VALGRIND)('valgrind memcheck: 0 definite leaks and 0 memory errors in the addon', () => {
    const r = run('valgrind.sh', ['--fuzz', '300']);
    expect(r.status, r.out.slice(-3000)).toBe(0);
    expect(r.out).toMatch(/0 definite leaks and 0 memory errors in the addon/);
  });
});
