// Cold start: `require('spearsim')` compiles only the entry file (its re-exports load their module
// on first use, scripts/lazy-reexports.js), and the CLI answers help and usage errors without
// loading the statistics. Runs the built package (dist/); the figures are in bench/ (group startup).
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../lib/index';

const root = path.resolve(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lazyReexports } = require('../scripts/lazy-reexports.js') as { lazyReexports(source: string): string };

/** Runs `script` in a fresh Node process in the project root; its stdout as JSON. */
function inFreshNode<T>(script: string): T {
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 60000 })) as T;
}

/** The dist/ files a fresh process holds after `body` ran (paths relative to dist/). */
const loadedAfter = (body: string): string[] =>
  inFreshNode<string[]>(
    `(async () => { ${body}; const d = require('path').join(process.cwd(), 'dist') + require('path').sep;` +
      ' process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => f.startsWith(d)).map((f) => f.slice(d.length).split(require("path").sep).join("/")))); })()',
  );

describe('require("spearsim")', () => {
  it('compiles the entry file alone', () => {
    expect(loadedAfter("require('./dist/index.js')")).toEqual(['index.js']);
  });

  it('exports the same names as the source, each the value of the module that defines it', () => {
    const result = inFreshNode<{ names: string[]; undefinedNames: string[]; sameAsModule: boolean }>(
      "const s = require('./dist/index.js'); const names = Object.keys(s).filter((n) => n !== '__esModule').sort();" +
        " const undefinedNames = names.filter((n) => s[n] === undefined);" +
        " process.stdout.write(JSON.stringify({ names, undefinedNames, sameAsModule: s.bootstrapCI === require('./dist/bootstrap.js').bootstrapCI && s.makeDesign === require('./dist/design/index.js').makeDesign }));",
    );
    expect(result.names).toEqual(Object.keys(api).filter((n) => n !== '__esModule').sort());
    expect(result.undefinedNames).toEqual([]);
    expect(result.sameAsModule).toBe(true);
  });

  it('loads on first use only what a call needs: spearman() does not load the study runner, design or reports', () => {
    const loaded = loadedAfter("const s = require('./dist/index.js'); s.spearman([1, 2, 3, 4], [1, 3, 2, 4])");
    expect(loaded).toContain('realdata.js');
    for (const heavy of ['study/index.js', 'design/index.js', 'report/design.js', 'plot.js']) expect(loaded).not.toContain(heavy);
  });
});

describe('the lazy re-export rewrite', () => {
  const emitted = [
    '"use strict";',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    'exports.b = exports.a = void 0;',
    'var m_1 = require("./m");',
    'Object.defineProperty(exports, "a", { enumerable: true, get: function () { return m_1.a; } });',
    'Object.defineProperty(exports, "b", { enumerable: true, get: function () { return m_1.b; } });',
  ];

  it('turns each require into a memoised loader read by the getters', () => {
    const out = lazyReexports(emitted.join('\n'));
    expect(out).not.toMatch(/var m_1 = require/);
    expect(out).toContain('const m_1 = () => (m_1$m ??= require("./m"));');
    expect(out).toContain('get: function () { return m_1().a; }');
    // it runs: the module loads once, on the first read
    let loads = 0;
    const exports: Record<string, unknown> = {};
    const fakeRequire = (): object => (loads++, { a: 1, b: 2 });
    new Function('exports', 'require', out)(exports, fakeRequire);
    expect(loads).toBe(0);
    expect([exports.a, exports.b, exports.a]).toEqual([1, 2, 1]);
    expect(loads).toBe(1);
  });

  it('fails the build on any statement it cannot account for, rather than ship an eager or broken entry', () => {
    expect(() => lazyReexports([...emitted, 'const x = m_1.a + 1;'].join('\n'))).toThrow(/line 7 is not a plain re-export/);
    expect(() => lazyReexports([...emitted, 'const fs = require("fs");'].join('\n'))).toThrow(/not a plain re-export/);
    expect(() => lazyReexports('"use strict";\nexports.a = 1;')).toThrow(/no re-exports found/);
  });
});

describe('the CLI answers without loading the statistics', () => {
  const statistics = ['bootstrap.js', 'realdata.js', 'design/index.js', 'study/index.js', 'power/index.js', 'native.js', 'report/design.js', 'plot.js'];
  const commands = inFreshNode<string[]>(
    "process.stdout.write(JSON.stringify(require('./dist/cli/commands/index.js').COMMANDS.filter((c) => !c.external).map((c) => c.name)))",
  );

  const argvs = [['--help'], ['--version'], ...commands.map((c) => [c, '--help']), ['design', '--bogus'], ['analyze']];
  it.each(argvs.map((argv) => [argv.join(' '), argv] as const))('spearsim %s', (_label, argv) => {
    // the CLI's own output is muted; the list of loaded files is written through the saved writer
    const loaded = loadedAfter(
      'const write = process.stdout.write.bind(process.stdout); process.stdout.write = () => true; process.stderr.write = () => true;' +
        ` await require('./dist/cli/index.js').main(${JSON.stringify(argv)}); process.stdout.write = write`,
    );
    expect(loaded).toContain('cli/index.js');
    expect(loaded.filter((f) => statistics.includes(f))).toEqual([]);
  });
});
