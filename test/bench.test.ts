import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');

describe('bench/run.js', () => {
  it('writes one JSON object with the documented shape (--quick --only smoke --json)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spearsim-bench-'));
    const out = path.join(dir, 'smoke.json');
    // --no-build when dist/ exists: the shape test must not pay for (or race) a rebuild
    const build = existsSync(path.join(root, 'dist', 'index.js')) ? ['--no-build'] : [];
    const r = spawnSync(process.execPath, ['bench/run.js', '--quick', '--only', 'smoke', '--runs', '3', '--json', '--out', out, ...build], {
      cwd: root,
      encoding: 'utf8',
      timeout: 14000,
    });
    try {
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const res = JSON.parse(lines[0]!);
      expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(res);

      const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
      expect(res.schema).toBe('spearsim-bench/1');
      expect(res.package.version).toBe(pkg.version);
      expect(res.mode).toBe('quick');
      expect(res.machine.cores).toBeGreaterThanOrEqual(1);
      expect(typeof res.machine.cpuModel).toBe('string');
      expect(Array.isArray(res.machine.cpuFeatures.present)).toBe(true);
      expect(res.machine.loadAvgStart).toHaveLength(3);
      expect(typeof res.native.available).toBe('boolean');

      const w = res.workloads['smoke.native'];
      expect(w.status).toBe('ok');
      expect(w.runs).toBe(3);
      expect(w.samples_ms).toHaveLength(3);
      expect(w.min_ms).toBeLessThanOrEqual(w.median_ms);
      expect(w.median_ms).toBeLessThanOrEqual(w.max_ms);
      expect(w.min_ms).toBeGreaterThan(0);
      expect(w.threads).toBeGreaterThanOrEqual(1);
      expect(w.peakRssMB).toBeGreaterThan(10);
      expect(w.refRatio).toBeGreaterThan(0);
      expect(typeof w.timing).toBe('string');
      expect(res.groups.smoke.status).toBe('ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 15000);
});
