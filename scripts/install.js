#!/usr/bin/env node
'use strict';
// npm install step. In order:
// 1. A prebuilt addon (prebuilds/<platform>-<arch>/, shipped in the published package) or an
//    already built one (build/Release) that loads: nothing is built or downloaded.
// 2. No addon fits: build from source with cmake-js. In this repository cmake-js is a
//    devDependency (`npm ci` builds the addon as it always did). A consumer does not install
//    cmake-js; when they have cmake and a C++ compiler, the build tools (cmake-js and
//    node-addon-api, at the ranges of package.json's devDependencies) are fetched from the npm
//    registry into a temporary directory for this one build, and removed afterwards.
// 3. No toolchain or a failed build: the package works on its TypeScript fallback (same results,
//    slower), with one message saying why and how to fix it, unless SPEARSIM_REQUIRE_NATIVE=1 (CI),
//    which makes it an error.
// SPEARSIM_SKIP_BUILD=1 skips all of it; SPEARSIM_BUILD_FROM_SOURCE=0 skips step 2.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const where = `${process.platform}-${process.arch}, Node ${process.version}`;

function addonLoads() {
  try {
    require('node-gyp-build')(root);
    return true;
  } catch {
    return false;
  }
}

/** True when `cmd --version` runs (the command exists on PATH). */
function runs(cmd) {
  const r = spawnSync(cmd, ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' });
  return r.status === 0;
}

/** What is missing for a source build, or undefined when cmake and a C++ compiler are there. */
function missingToolchain() {
  const missing = [];
  if (!runs('cmake')) missing.push('cmake');
  const compilers = process.env.CXX ? [process.env.CXX] : process.platform === 'win32' ? ['clang-cl', 'cl'] : ['c++', 'g++', 'clang++'];
  if (process.platform !== 'win32' && !compilers.some(runs)) missing.push('a C++ compiler');
  return missing.length ? missing.join(' and ') : undefined;
}

/** Runs cmake-js compile; `nodePath` lets CMakeLists.txt resolve node-addon-api from fetched tools. */
function compile(cmakeJs, nodePath) {
  const env = nodePath ? { ...process.env, NODE_PATH: [nodePath, process.env.NODE_PATH].filter(Boolean).join(path.delimiter) } : process.env;
  const r = spawnSync(process.execPath, [cmakeJs, 'compile', '--log-level', 'warn'], { cwd: root, stdio: 'inherit', env });
  return r.status === 0 && addonLoads();
}

/** The npm running this install (npm_execpath), else npm on PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && /\.[cm]?js$/.test(cli) && fs.existsSync(cli)) return { cmd: process.execPath, pre: [cli], shell: false };
  return { cmd: 'npm', pre: [], shell: process.platform === 'win32' };
}

/** Fetches cmake-js and node-addon-api into a temporary directory and builds; true on success. */
function buildWithFetchedTools() {
  const dev = require(path.join(root, 'package.json')).devDependencies ?? {};
  const wanted = ['cmake-js', 'node-addon-api'].map((name) => `${name}@${dev[name] ?? 'latest'}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-build-tools-'));
  try {
    console.log(`spearsim: no prebuilt addon for ${where}; fetching ${wanted.join(', ')} to build it from source`);
    const npm = npmCommand();
    // --global=false and --prefix: the tools never land in the consumer's project or global prefix
    const fetched = spawnSync(
      npm.cmd,
      [...npm.pre, 'install', '--global=false', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel', 'error', ...wanted],
      { cwd: dir, stdio: 'inherit', shell: npm.shell },
    );
    if (fetched.status !== 0) return false;
    const modules = path.join(dir, 'node_modules');
    return compile(path.join(modules, 'cmake-js', 'bin', 'cmake-js'), modules);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds from source if it can; returns why not, or undefined on success. */
function buildFromSource() {
  let localCmakeJs;
  try {
    localCmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
  } catch {
    localCmakeJs = undefined;
  }
  if (localCmakeJs) return compile(localCmakeJs) ? undefined : 'the source build failed';
  if (process.env.SPEARSIM_BUILD_FROM_SOURCE === '0') return 'SPEARSIM_BUILD_FROM_SOURCE=0';
  const missing = missingToolchain();
  if (missing) return `no prebuilt addon fits and ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not on PATH`;
  return buildWithFetchedTools() ? undefined : 'the source build failed';
}

if (process.env.SPEARSIM_SKIP_BUILD === '1') {
  console.log('spearsim: SPEARSIM_SKIP_BUILD=1, not building the native addon');
} else if (addonLoads()) {
  console.log('spearsim: native addon found (prebuilt or already built)');
} else {
  const why = buildFromSource();
  if (why === undefined) {
    console.log('spearsim: native addon built from source');
  } else {
    console.warn(
      `spearsim: could not build the native addon on ${where} (${why}). ` +
        'The package works on its TypeScript fallback (same results, slower). To build it, install cmake >= 3.18, ' +
        'a C++17 compiler and OpenMP (Debian: apt-get install cmake g++), then run "npm rebuild spearsim" ' +
        '(the build tools are fetched from the npm registry for that build). ' +
        'To choose the fallback explicitly set SPEARSIM_NATIVE=0. See docs/troubleshooting.md.',
    );
    if (process.env.SPEARSIM_REQUIRE_NATIVE === '1') process.exit(1);
  }
}
