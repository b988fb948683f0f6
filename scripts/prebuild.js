#!/usr/bin/env node
'use strict';
// Builds the addon with cmake-js and stores it where node-gyp-build looks for prebuilt binaries:
// prebuilds/<platform>-<arch>/spearsim.napi.node (Node-API, so one binary serves every Node >= 20).
// An install that finds it does not compile.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, [require.resolve('cmake-js/bin/cmake-js'), 'rebuild', '--log-level', 'warn']);
const target = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
fs.mkdirSync(target, { recursive: true });
const out = path.join(target, 'spearsim.napi.node');
fs.copyFileSync(path.join(root, 'build', 'Release', 'spearsim.node'), out);
if (spawnSync('strip', ['--strip-unneeded', out]).status !== 0) console.warn('spearsim: strip not available; prebuild keeps its symbols');
console.log(`spearsim: prebuild written to ${path.relative(root, out)}`);
