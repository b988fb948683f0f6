// The packed tarball installed the way a user installs it: into a fresh project, from npm's cache
// (the registry only for metadata the cache lacks), with install scripts on and NO compiler or
// cmake on PATH. The install must find the prebuilt addon
// (prebuilds/<platform>-<arch>/spearsim.napi.<libc>.node and its OpenMP runtime, written by
// `npm run prebuild`) instead of compiling, and must not fetch the build tools; the API, ESM import
// and CLI must work from there. Then, with the prebuild removed, the installer must fall back to
// TypeScript with its message.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
// the C library as node-gyp-build decides it (Alpine is musl)
const libc = fs.existsSync('/etc/alpine-release') ? 'musl' : 'glibc';
const prebuildName = `spearsim.napi.${libc}.node`;
const prebuild = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, prebuildName);

/** Newest modification time of the native sources and build description. */
function newestNativeSource(): number {
  const sources = fs.readdirSync(path.join(root, 'native'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(cc|hpp)$/.test(f)).map((f) => path.join(root, 'native', f));
  return Math.max(...[...sources, path.join(root, 'CMakeLists.txt')].map((f) => fs.statSync(f).mtimeMs));
}

function whyImpossible(): string | undefined {
  if (process.platform !== 'linux') return `the no-compiler PATH is built for Linux (this is ${process.platform})`;
  if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) return 'dist/ is not built (run npm run build:ts)';
  if (!fs.existsSync(prebuild)) return `no prebuild at ${path.relative(root, prebuild)} (run npm run prebuild)`;
  if (fs.statSync(prebuild).mtimeMs < newestNativeSource()) return 'the prebuild is older than native/ (run npm run prebuild)';
  if (!fs.existsSync('/bin/sh')) return 'npm needs /bin/sh to run install scripts';
  return undefined;
}

/** The npm CLI script, run with this node (so PATH need not contain npm's own directory). */
function npmCli(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'npm');
    if (fs.existsSync(candidate)) {
      const real = fs.realpathSync(candidate);
      if (real.endsWith('.js')) return real;
      const beside = path.join(path.dirname(real), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
      if (fs.existsSync(beside)) return beside;
    }
  }
  return undefined;
}

const reason = whyImpossible();
const npm = npmCli();
const skip = reason ?? (npm ? undefined : 'npm-cli.js not found on PATH');
if (skip) console.warn(`prebuild-install test skipped: ${skip}`);

describe.skipIf(skip !== undefined)('tarball install without a compiler (prebuilt addon)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-install-'));
  const project = path.join(tmp, 'consumer');
  const fakeBin = path.join(tmp, 'bin');
  // only node and sh: no cc, c++, g++, make, cmake
  // a user's environment: CI's SPEARSIM_REQUIRE_NATIVE (fail an install without the addon) is not theirs
  const env = {
    ...process.env, PATH: fakeBin, SPEARSIM_NATIVE: undefined, SPEARSIM_VERBOSE: undefined, SPEARSIM_REQUIRE_NATIVE: undefined,
    SPEARSIM_SKIP_BUILD: undefined, npm_config_loglevel: 'warn',
  };
  let installLog = '';
  let cacheProblem: string | undefined;
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  beforeAll(() => {
    fs.mkdirSync(fakeBin);
    fs.symlinkSync(process.execPath, path.join(fakeBin, 'node'));
    fs.symlinkSync('/bin/sh', path.join(fakeBin, 'sh'));
    for (const tool of ['cc', 'c++', 'g++', 'gcc', 'clang', 'make', 'cmake']) {
      expect(spawnSync('sh', ['-c', `command -v ${tool}`], { env }).status, `${tool} must not be on the test PATH`).not.toBe(0);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { tarball } = (require('../scripts/lint-package.js') as { pack(dir: string): { tarball: string } }).pack(tmp);
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    // offline first; `npm ci` caches the dependencies' tarballs but not always the metadata that
    // resolving their ranges needs, so a miss retries preferring the cache (the npm registry is
    // the one network this project may use; nothing else is downloaded either way)
    const installWith = (mode: string) => {
      const r = spawnSync(
        process.execPath,
        [npm!, 'install', mode, '--no-audit', '--no-fund', '--ignore-scripts=false', '--foreground-scripts', tarball],
        { cwd: project, env, encoding: 'utf8', timeout: 120000 },
      );
      installLog = `${r.stdout}\n${r.stderr}`;
      return r.status;
    };
    let status = installWith('--offline');
    if (status !== 0 && /ENOTCACHED/.test(installLog)) status = installWith('--prefer-offline');
    if (status !== 0 && /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ENETUNREACH/.test(installLog)) {
      cacheProblem = 'a dependency is neither in the npm cache nor reachable on the registry';
    } else {
      expect(status, installLog).toBe(0);
    }
  }, 240000);

  const node = (args: string[]): string => execFileSync(process.execPath, args, { cwd: project, env, encoding: 'utf8', timeout: 60000 });

  it('installs offline and finds the prebuilt addon instead of compiling', (ctx) => {
    if (cacheProblem) ctx.skip(cacheProblem);
    expect(installLog).toMatch(/spearsim: native addon found \(prebuilt or already built\)/);
    const pkg = path.join(project, 'node_modules', 'spearsim');
    expect(fs.existsSync(path.join(pkg, 'build'))).toBe(false); // nothing was compiled
    expect(fs.existsSync(path.join(pkg, 'prebuilds', `${process.platform}-${process.arch}`, prebuildName))).toBe(true);
    // the build tools are devDependencies: a consumer with a prebuild never downloads them
    for (const tool of ['cmake-js', 'node-addon-api', 'node-api-headers']) {
      expect(fs.existsSync(path.join(project, 'node_modules', tool)), `${tool} installed`).toBe(false);
    }
    expect(installLog).not.toMatch(/fetching cmake-js/);
    const status = JSON.parse(node(['-e', `const s = require('spearsim').nativeStatus();
      const maps = require('fs').readFileSync('/proc/self/maps', 'utf8').split('\\n');
      const gomp = maps.map((l) => l.split(' ').pop()).find((f) => /libgomp\\.so/.test(f));
      console.log(JSON.stringify({ ...s, gomp }));`])) as { available: boolean; openmp?: number; gomp?: string };
    expect(status.available).toBe(true);
    expect(status.openmp).toBeGreaterThan(0);
    // the OpenMP runtime shipped with the prebuild, not the system's (the addon's RUNPATH)
    expect(status.gomp).toBe(fs.realpathSync(path.join(pkg, 'prebuilds', `${process.platform}-${process.arch}`, libc, 'libgomp.so.1')));
  });

  it('the API (CommonJS and ESM) and the CLI work from the installed package', (ctx) => {
    if (cacheProblem) ctx.skip(cacheProblem);
    const cjs = JSON.parse(
      node(['-e', `const s = require('spearsim');
        s.bootstrapCI([1,1,2,2,3,3,4,4], [2,1,4,3,6,5,8,9], { nBoot: 500, seed: 3, native: 'require', method: 'bca' })
          .then((r) => console.log(JSON.stringify({ rho: s.spearman([1,1,2,2,3,3,4,4], [2,1,4,3,6,5,8,9]), engine: r.provenance.engine, lo: r.ciLower })));`]),
    ) as { rho: number; engine: string; lo: number };
    expect(cjs.engine).toBe('native');
    expect(cjs.rho).toBeGreaterThan(0.9);
    const esm = node(['--input-type=module', '-e', "import { spearman, VERSION } from 'spearsim'; console.log(spearman([1,2,3,4],[1,3,2,4]), VERSION);"]);
    expect(esm.trim()).toMatch(/^0\.8 \d+\.\d+\.\d+/);
    fs.writeFileSync(path.join(project, 'data.csv'), 'dose,resp\n1,2.5\n1,3.1\n2,2.9\n2,4.4\n3,5.0\n3,4.1\n4,6.2\n4,5.5\n');
    const cli = JSON.parse(node([path.join('node_modules', '.bin', 'spearsim'), 'analyze', 'data.csv', '--x', 'dose', '--y', 'resp', '--n-boot', '500', '--json'])) as {
      n: number; tests: Array<{ method: string; pValue: number }>;
    };
    expect(cli.n).toBe(8);
    expect(cli.tests.map((t) => t.method)).toEqual(['permutation', 't', 'asymptotic']);
  });

  it('without the prebuild and without a compiler: the TypeScript fallback, with one message saying why and how to fix it', (ctx) => {
    if (cacheProblem) ctx.skip(cacheProblem);
    const pkg = path.join(project, 'node_modules', 'spearsim');
    fs.rmSync(path.join(pkg, 'prebuilds'), { recursive: true });
    const rerun = spawnSync(process.execPath, [path.join(pkg, 'scripts', 'install.js')], { cwd: pkg, env, encoding: 'utf8', timeout: 60000 });
    expect(rerun.status).toBe(0);
    expect(rerun.stderr).toMatch(/could not build the native addon.*TypeScript fallback.*cmake >= 3\.18/s);
    const out = node(['-e', `const s = require('spearsim');
      s.bootstrapCI([1,1,2,2,3,3,4,4], [2,1,4,3,6,5,8,9], { nBoot: 200, seed: 3 }).then((r) => console.log(r.provenance.engine));`]);
    expect(out.trim()).toBe('typescript');
  });
});
