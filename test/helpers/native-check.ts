// Compiles and runs a C++ check program of test/native-src/ against the addon's sources, with the
// flags of the distributed build (CMakeLists.txt: -O3, -ffp-contract=off, C++17, OpenMP), so the
// program computes what the addon computes.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Whether g++ is on PATH (the checks skip, saying so, where it is not). */
export const haveGxx = spawnSync('g++', ['--version']).status === 0;

/**
 * Builds test/native-src/`source` with the given native/ sources and returns its stdout.
 * `args` are the program's arguments.
 */
export function runNativeCheck(source: string, nativeSources: string[] = [], args: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'spearsim-native-check-'));
  try {
    const exe = join(dir, source.replace(/\.cc$/, ''));
    execFileSync('g++', [
      '-O3', '-ffp-contract=off', '-std=c++17', '-Wall', '-Wextra', '-Werror', '-fopenmp', `-I${join(root, 'native')}`,
      join(root, 'test', 'native-src', source), ...nativeSources.map((f) => join(root, 'native', f)), '-o', exe,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    return execFileSync(exe, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
