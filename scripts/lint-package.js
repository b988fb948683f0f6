#!/usr/bin/env node
'use strict';
// Lints the package as npm would publish it: packs the working tree (--ignore-scripts, so the
// current dist/ and prebuilds/ are taken as they are) and runs publint (every level, strict) and
// @arethetypeswrong/cli on the tarball. `npm run lint:package`; test/packaging.test.ts uses the
// same functions. Exits 1 when either tool reports a problem.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Packs the package into `dir`; returns the tarball's path and the packed file list. */
function pack(dir) {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], shell: process.platform === 'win32',
  });
  const [info] = JSON.parse(out);
  return { tarball: path.join(dir, info.filename), files: info.files.map((f) => f.path).sort() };
}

/** publint on a tarball: { ok, output }; ok when it reports no error, warning or suggestion. */
function publint(tarball) {
  const r = spawnSync(bin('publint'), ['run', tarball, '--level', 'suggestion', '--strict'], { cwd: path.dirname(tarball), encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`;
  return { ok: r.status === 0 && !/Errors:|Warnings:|Suggestions:/.test(output), output };
}

/** @arethetypeswrong/cli on a tarball: { ok, report } with attw's JSON analysis. */
function attw(tarball) {
  // exits 1 on problems; the JSON says which
  const r = spawnSync(bin('attw'), [tarball, '--format', 'json'], { cwd: path.dirname(tarball), encoding: 'utf8' });
  const report = JSON.parse(r.stdout);
  return { ok: report.analysis.problems.length === 0, report };
}

module.exports = { pack, publint, attw };

if (require.main === module) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-lint-'));
  try {
    const { tarball, files } = pack(dir);
    console.log(`${path.basename(tarball)}: ${files.length} files`);
    const p = publint(tarball);
    console.log(`publint: ${p.output.trim()}`);
    const a = attw(tarball);
    const resolutions = Object.entries(a.report.analysis.entrypoints).map(([entry, e]) => `${entry} (${Object.keys(e.resolutions).join(', ')})`);
    console.log(`attw: ${a.ok ? 'no problems' : JSON.stringify(a.report.analysis.problems, null, 2)}; entrypoints ${resolutions.join('; ')}`);
    process.exitCode = p.ok && a.ok ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
