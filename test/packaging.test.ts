// What `npm pack` publishes (issue 6): the file list, and the packaging lints publint and
// @arethetypeswrong/cli on the packed tarball. Packs the current dist/ (built by `npm ci` /
// `npm run build:ts`) with --ignore-scripts, so the test does not rebuild anything.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-pack-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface PackFile { path: string; size: number }
let files: string[] = [];
let tarball = '';

beforeAll(() => {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [info] = JSON.parse(out) as Array<{ filename: string; files: PackFile[] }>;
  files = info!.files.map((f) => f.path).sort();
  tarball = path.join(tmp, info!.filename);
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
    // every native source the build globs (CMakeLists.txt: native/*.cc, native/binding/*.cc) and every header
    const nativeSources = [...fs.readdirSync(path.join(root, 'native')).map((f) => `native/${f}`), ...fs.readdirSync(path.join(root, 'native', 'binding')).map((f) => `native/binding/${f}`)]
      .filter((f) => /\.(cc|hpp)$/.test(f));
    for (const f of nativeSources) expect(files, f).toContain(f);
  });

  it('ships the prebuilt addon when one was built (npm run prebuild)', () => {
    const prebuild = `prebuilds/${process.platform}-${process.arch}/spearsim.napi.node`;
    if (fs.existsSync(path.join(root, prebuild))) expect(files).toContain(prebuild);
    expect(files.filter((f) => f.startsWith('prebuilds/')).every((f) => /^prebuilds\/[a-z0-9]+-[a-z0-9]+\/[\w.]+\.node$/.test(f))).toBe(true);
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

describe('packaging lints on the tarball', () => {
  it('publint: no errors, warnings or suggestions', () => {
    const out = execFileSync(bin('publint'), ['run', tarball, '--level', 'suggestion', '--strict'], { cwd: tmp, encoding: 'utf8' });
    expect(out).not.toMatch(/Errors:|Warnings:|Suggestions:/);
    expect(out).toMatch(/All good/);
  });

  it('@arethetypeswrong/cli: types resolve for node10, node16 (CJS and ESM) and bundler', () => {
    let out: string;
    try {
      out = execFileSync(bin('attw'), [tarball, '--format', 'json'], { cwd: tmp, encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout); // exits 1 on problems; the JSON says which
    }
    const report = JSON.parse(out) as { analysis: { problems: unknown[]; entrypoints: Record<string, { resolutions: Record<string, unknown> }> } };
    expect(report.analysis.problems).toEqual([]);
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
