import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTION_SCHEMA, SpearsimError, flagName, resolveConfig } from '../lib/index';
import { configFromEnv, parseBytes } from '../lib/config';

const catchError = (fn: () => unknown): SpearsimError => {
  try {
    fn();
  } catch (e) {
    return e as SpearsimError;
  }
  throw new Error('expected an error');
};

describe('configuration schema', () => {
  it('supplies defaults mirroring the reference switches', () => {
    const c = resolveConfig({}, [], {});
    expect(c).toMatchObject({
      native: true, vectorize: true, batchBootstrap: true, calibrationMode: 'multipoint', nCal: 300,
      usePermutationPvalue: true, pvalueMcOnCacheMiss: false, empiricalUsePrecomputedNull: true,
      saveCache: false, seed: 42, nSims: 10000, nReps: 200, nBoot: 1000, nPre: 50000, alpha: 0.05,
    });
    expect(c.threads).toBeGreaterThanOrEqual(1);
    expect(c.memoryLimit).toBeGreaterThanOrEqual(64 * 1024 * 1024);
  });

  it('environment overrides defaults, explicit options override the environment', () => {
    const env = { SPEARSIM_THREADS: '3', SPEARSIM_NATIVE: '0', SPEARSIM_MEMORY_LIMIT: '512MB', SPEARSIM_SEED: '7' };
    expect(resolveConfig({}, [], env)).toMatchObject({ threads: 3, native: false, memoryLimit: 512e6, seed: 7 });
    expect(resolveConfig({ threads: 1, native: 'require' }, [], env)).toMatchObject({ threads: 1, native: 'require' });
    expect(configFromEnv({ SPEARSIM_NATIVE: 'require' })).toEqual({ native: 'require' });
  });

  it('bad environment values name the variable', () => {
    const err = catchError(() => resolveConfig({}, [], { SPEARSIM_THREADS: 'many' }));
    expect(err.code).toBe('ERR_INVALID_TYPE');
    expect(err.message).toMatch(/SPEARSIM_THREADS/);
  });

  it('parses memory sizes', () => {
    expect(parseBytes('m', '512MB')).toBe(512e6);
    expect(parseBytes('m', '2GiB')).toBe(2 * 1024 ** 3);
    expect(parseBytes('m', '64k')).toBe(64000);
    expect(parseBytes('m', '64KiB')).toBe(64 * 1024);
    expect(parseBytes('m', 1000)).toBe(1000);
    expect(catchError(() => parseBytes('memoryLimit', 'lots')).code).toBe('ERR_INVALID_TYPE');
  });

  it('rejects unknown options with a hint for near misses', () => {
    const err = catchError(() => resolveConfig({ nCall: 5 }, [], {}));
    expect(err.code).toBe('ERR_UNKNOWN_OPTION');
    expect(err.message).toMatch(/did you mean nCal/);
  });

  it('every option has a kebab-case flag and a description', () => {
    for (const [key, entry] of Object.entries(OPTION_SCHEMA)) {
      expect(flagName(key)).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(entry.description.length).toBeGreaterThan(3);
    }
    expect(flagName('nCal')).toBe('n-cal');
    expect(flagName('memoryLimit')).toBe('memory-limit');
  });

  it('range errors name option, value and range', () => {
    const err = catchError(() => resolveConfig({ verbose: 5 }, [], {}));
    expect(err).toBeInstanceOf(SpearsimError);
    expect(err.message).toBe('verbose must be an integer in [0, 3]; received 5');
    expect(err).toMatchObject({ code: 'ERR_OUT_OF_RANGE', option: 'verbose', value: 5, expected: 'an integer in [0, 3]' });
  });
});

describe('addon loader without a binary', () => {
  // A copy of the built package with no build/ and no prebuilds/: the addon cannot load.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-noaddon-'));
  const root = path.resolve(__dirname, '..');
  fs.cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  const script = (body: string): { stdout: string; stderr: string } => {
    const file = path.join(dir, 'probe.js');
    fs.writeFileSync(file, `const s = require('./dist/index.js');\n(async () => { ${body} })();`);
    try {
      const stdout = execFileSync(process.execPath, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { stdout, stderr: '' };
    } catch (e) {
      const err = e as { stdout: string; stderr: string };
      return { stdout: err.stdout, stderr: err.stderr };
    }
  };

  it('falls back to TypeScript and says so once, with platform, Node version and the fixes', () => {
    const out = execFileSync(
      process.execPath,
      ['-e', "const s=require('./dist/index.js');(async()=>{await s.bootstrapCI([1,2,3,4],[2,1,4,3],{nBoot:50});const r=await s.bootstrapCI([1,2,3,4],[2,1,4,3],{nBoot:50});console.log(r.provenance.engine)})()"],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out.trim()).toBe('typescript');
    const probe = script("console.log(JSON.stringify(s.nativeStatus()));");
    const status = JSON.parse(probe.stdout) as { available: boolean; message: string };
    expect(status.available).toBe(false);
    expect(status.message).toContain(`${process.platform}-${process.arch}`);
    expect(status.message).toContain(process.version);
    expect(status.message).toMatch(/npm rebuild spearsim/);
    expect(status.message).toMatch(/SPEARSIM_NATIVE=0/);
  });

  it("native: 'require' turns it into an error", () => {
    const probe = script("try { await s.bootstrapCI([1,2,3,4],[2,1,4,3],{native:'require'}); } catch (e) { console.log(e.code); }");
    expect(probe.stdout.trim()).toBe('ERR_NATIVE_UNAVAILABLE');
  });
});

describe('native tests skip without the addon, except where the addon is required', () => {
  // Tests that need the addon skip when it is not built (test/helpers/native.ts); CI builds it and
  // sets SPEARSIM_REQUIRE_NATIVE=1, where a missing addon must fail here instead of skipping quietly.
  it.runIf(process.env.SPEARSIM_REQUIRE_NATIVE === '1')('SPEARSIM_REQUIRE_NATIVE=1: the addon loads', async () => {
    const { hasNative, noNativeReason } = await import('./helpers/native');
    expect(hasNative, noNativeReason).toBe(true);
  });
});
