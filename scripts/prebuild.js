#!/usr/bin/env node
'use strict';
// Builds the addon with cmake-js from scratch and stores it where node-gyp-build looks for prebuilt
// binaries: prebuilds/<platform>-<arch>/spearsim.napi.node (Node-API, so one binary serves every
// Node >= 20). An install that finds it does not compile.
//
// The build goes to build-prebuild/ (not build/), so a development build and tests running from
// build/Release are not disturbed. Run it again whenever native/ changes, before `npm pack`.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const outDir = 'build-prebuild';
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, [require.resolve('cmake-js/bin/cmake-js'), 'rebuild', '--out', outDir, '--log-level', 'warn']);
const target = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
fs.mkdirSync(target, { recursive: true });
const out = path.join(target, 'spearsim.napi.node');
// copy to a temporary name and rename: a process loading the prebuild never sees half a file
fs.copyFileSync(path.join(root, outDir, 'Release', 'spearsim.node'), `${out}.tmp`);
if (spawnSync('strip', ['--strip-unneeded', `${out}.tmp`]).status !== 0) console.warn('spearsim: strip not available; prebuild keeps its symbols');
fs.renameSync(`${out}.tmp`, out);
console.log(`spearsim: prebuild written to ${path.relative(root, out)}`);
