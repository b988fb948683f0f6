#!/usr/bin/env node
'use strict';
// npm install step. Uses a prebuilt (prebuilds/) or already built (build/Release) addon if one
// loads; otherwise builds from source with cmake-js (offline: headers come from node-api-headers).
// A failed build leaves the package working on the TypeScript fallback, with one message saying
// why and how to fix it, unless SPEARSIM_REQUIRE_NATIVE=1 (CI), which makes it an error.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');

function addonLoads() {
  try {
    require('node-gyp-build')(root);
    return true;
  } catch {
    return false;
  }
}

if (process.env.SPEARSIM_SKIP_BUILD === '1') {
  console.log('spearsim: SPEARSIM_SKIP_BUILD=1, not building the native addon');
} else if (addonLoads()) {
  console.log('spearsim: native addon found (prebuilt or already built)');
} else {
  const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
  const build = spawnSync(process.execPath, [cmakeJs, 'compile', '--log-level', 'warn'], { cwd: root, stdio: 'inherit' });
  if (build.status === 0 && addonLoads()) {
    console.log('spearsim: native addon built from source');
  } else {
    console.warn(
      `spearsim: could not build the native addon on ${process.platform}-${process.arch}, Node ${process.version}. ` +
        'The package works on its TypeScript fallback (same results, slower). To build it, install cmake >= 3.18, ' +
        'a C++17 compiler and OpenMP (Debian: apt-get install cmake g++), then run "npm rebuild spearsim". ' +
        'To choose the fallback explicitly set SPEARSIM_NATIVE=0.',
    );
    if (process.env.SPEARSIM_REQUIRE_NATIVE === '1') process.exit(1);
  }
}
