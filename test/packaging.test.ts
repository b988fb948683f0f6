// What `npm pack` publishes: the file list, and the packaging lints publint and
// @arethetypeswrong/cli on the packed tarball (the functions of `npm run lint:package`). Packs the
// current dist/ (built by `npm ci` / `npm run build:ts`) with --ignore-scripts, so the test does
// not rebuild anything.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-pack-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lint = require('../scripts/lint-package.js') as {
  pack(dir: string): { tarball: string; files: string[] };
  publint(tarball: string): { ok: boolean; output: string };
  attw(tarball: string): { ok: boolean; report: { analysis: { problems: unknown[]; entrypoints: Record<string, { resolutions: Record<string, unknown> }> } } };
};
let files: string[] = [];
let tarball = '';

beforeAll(() => {
  ({ tarball, files } = lint.pack(tmp));
});

describe('npm pack contents', () => {
  it('has the built package, native sources, build files, installer, CLI and docs', () => {
    for (const f of [
      'package.json', 'README.md', 'CMakeLists.txt', 'scripts/install.js', 'bin/spearsim.js',
      'dist/index.js', 'dist/index.d.ts', 'dist/index.mjs', 'dist/index.d.mts', 'dist/cli/index.js', 'dist/realdata.js', 'dist/csv.js',
      'native/bootstrap.cc', 'native/bootstrap.hpp', 'native/ranks.hpp', 'native/binding/addon.cc', 'native/binding/async.hpp',
      'docs/methods.md', 'docs/performance.md', 'docs/reproducibility.md', 'docs/troubleshooting.md',
    ]) {
      expect(files, f).toContain(f);
    }
    // every native source the build globs (CMakeLists.txt) and every header, in every folder of native/
    const nativeSources = fs.readdirSync(path.join(root, 'native'), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(cc|hpp)$/.test(f)).map((f) => `native/${f.split(path.sep).join('/')}`);
    for (const f of nativeSources) expect(files, f).toContain(f);
  });

  it('ships the prebuilt addon and its OpenMP runtime when one was built (npm run prebuild)', () => {
    const dir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
    const built = fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : [];
    for (const f of built) expect(files).toContain(`prebuilds/${process.platform}-${process.arch}/${f.split(path.sep).join('/')}`);
    // node-gyp-build's layout: prebuilds/<platform>-<arch>/<name>.napi[.<libc>].node; runtimes beside
    // the addon (macOS, Windows) or in a directory per C library (Linux, the addon's RUNPATH)
    const shipped = files.filter((f) => f.startsWith('prebuilds/'));
    const layout = /^prebuilds\/[a-z0-9]+-[a-z0-9]+\/(spearsim\.napi(\.(glibc|musl))?\.node|(glibc|musl)\/libgomp\.so\.1|libomp\.(dylib|dll))$/;
    expect(shipped.filter((f) => !layout.test(f))).toEqual([]);
    for (const f of shipped.filter((f) => /\.(glibc|musl)\.node$/.test(f))) {
      const libc = /\.(glibc|musl)\.node$/.exec(f)![1];
      expect(shipped, `${f} ships its OpenMP runtime`).toContain(`${path.posix.dirname(f)}/${libc}/libgomp.so.1`);
    }
  });

  it('consumers get no build tools: cmake-js and the Node-API headers are devDependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string>;
    };
    for (const tool of ['cmake-js', 'node-addon-api', 'node-api-headers']) {
      expect(pkg.dependencies[tool], tool).toBeUndefined();
      expect(pkg.devDependencies[tool], tool).toBeDefined();
    }
    expect(pkg.scripts.install).toBe('node scripts/install.js');
  });

  it('has no tests, fixtures, build output, scratch, benchmarks, CI or generator scripts', () => {
    const junk = files.filter((f) =>
      /^(test|build|build-[^/]*|\.scratch|bench|node_modules|coverage|results|examples|\.github|\.ci|scripts\/golden|docs\/api)\//.test(f) ||
      /\.(tgz|wip|tmp|log|o|orig)$/.test(f) || /(^|\/)\.[^/]+$/.test(f) || /fixtures/.test(f),
    );
    expect(junk).toEqual([]);
    expect(files.filter((f) => f.startsWith('scripts/'))).toEqual(['scripts/install.js']);
  });

  it('every compiled file in dist/ comes from a current lib/ source (no stale outputs)', () => {
    const stale = files
      .filter((f) => f.startsWith('dist/') && !/^dist\/index\.d?\.?mjs$|^dist\/index\.d\.mts$/.test(f))
      .map((f) => f.slice('dist/'.length).replace(/(\.d)?\.(js|ts)(\.map)?$/, ''))
      .filter((base) => !fs.existsSync(path.join(root, 'lib', `${base}.ts`)) && !fs.existsSync(path.join(root, 'lib', base)));
    expect(stale).toEqual([]);
  });
});

describe('packaging lints on the tarball (npm run lint:package)', () => {
  it('publint: no errors, warnings or suggestions', () => {
    const { ok, output } = lint.publint(tarball);
    expect(output).toMatch(/All good/);
    expect(ok, output).toBe(true);
  });

  it('@arethetypeswrong/cli: types resolve for node10, node16 (CJS and ESM) and bundler', () => {
    const { ok, report } = lint.attw(tarball);
    expect(report.analysis.problems).toEqual([]);
    expect(ok).toBe(true);
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(['.', './package.json']);
    expect(Object.keys(report.analysis.entrypoints['.']!.resolutions).sort()).toEqual(['bundler', 'node10', 'node16-cjs', 'node16-esm']);
  });
});

describe('API reference', () => {
  it('typedoc builds with every export documented (warnings are errors, typedoc.json)', () => {
    const out = fs.mkdtempSync(path.join(tmp, 'api-'));
    // exits non-zero on any warning, e.g. an export whose doc comment went missing
    execFileSync(bin('typedoc'), ['--out', out], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(fs.existsSync(path.join(out, 'index.html'))).toBe(true);
  }, 120_000);
});
