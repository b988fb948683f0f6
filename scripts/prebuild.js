#!/usr/bin/env node
'use strict';
// Builds the addon with cmake-js from scratch and stores it where node-gyp-build looks for prebuilt
// binaries: prebuilds/<platform>-<arch>/spearsim.napi[.<libc>].node. Node-API, so one binary serves
// every Node >= 20; on Linux the file carries its C library (glibc or musl), because node-gyp-build
// picks among libc-tagged files and a glibc binary does not load on Alpine. An install that finds a
// matching file does not compile (scripts/install.js).
//
// cmake-js writes build-prebuild/Release/spearsim.node; prebuildify and prebuild-install drive
// node-gyp, not cmake-js, so this script does their part: it names, strips and places the binary.
//
// The OpenMP runtime travels with the addon where a consumer may lack it:
// - Linux: libgomp.so.1 in prebuilds/linux-<arch>/<libc>/, found through the addon's RUNPATH
//   $ORIGIN/<libc> (CMakeLists.txt, SPEARSIM_RUNTIME_DIR). libgomp cannot be linked statically into
//   a shared object (initial-exec TLS), so it is copied; glibc and musl builds need their own copy.
//   When a process has already loaded a libgomp.so.1 the loader reuses it (same soname).
// - macOS: libomp.dylib (Homebrew's, as the release workflow installs it) beside the addon, the
//   addon's reference rewritten to @loader_path.
// - Windows: libomp.dll (LLVM's, for clang-cl; the build copies it beside the addon) beside the
//   addon; Node loads addons with LOAD_WITH_ALTERED_SEARCH_PATH, so that directory is searched.
// Pass --no-runtime to skip the copy (the addon then needs the system's OpenMP runtime).
//
// The build goes to build-prebuild/ (not build/), so a development build and tests running from
// build/Release are not disturbed. Run it again whenever native/ changes, before `npm pack`.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const outDir = 'build-prebuild';
const withRuntime = !process.argv.includes('--no-runtime');

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.status !== 0) process.exit(r.status ?? 1);
  return r;
}

function output(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout : '';
}

/** glibc or musl, the way node-gyp-build decides it (Alpine is musl), unless LIBC says otherwise. */
function libc() {
  if (process.env.LIBC) return process.env.LIBC;
  return fs.existsSync('/etc/alpine-release') ? 'musl' : 'glibc';
}

/** Copies to a temporary name and renames: a process loading the prebuild never sees half a file. */
function publish(from, to) {
  fs.copyFileSync(from, `${to}.tmp`);
  fs.renameSync(`${to}.tmp`, to);
}

/** The file a Linux shared object resolves `soname` to, from ldd. */
function linuxDependency(binary, soname) {
  const line = output('ldd', [binary]).split('\n').find((l) => l.trim().startsWith(soname));
  const match = line && /=>\s*(\S+)/.exec(line);
  return match && fs.existsSync(match[1]) ? fs.realpathSync(match[1]) : undefined;
}

/** Ships the OpenMP runtime beside the addon (see the header); returns the files written. */
function shipRuntime(addon, target, built) {
  if (process.platform === 'linux') {
    const gomp = linuxDependency(addon, 'libgomp.so.1');
    if (!gomp) throw new Error(`ldd does not show libgomp.so.1 for ${addon}`);
    fs.mkdirSync(path.join(target, libc()), { recursive: true });
    publish(gomp, path.join(target, libc(), 'libgomp.so.1'));
    return [`${libc()}/libgomp.so.1`];
  }
  if (process.platform === 'darwin') {
    const line = output('otool', ['-L', addon]).split('\n').map((l) => l.trim()).find((l) => /libomp\.dylib/.test(l));
    const from = line && line.split(' ')[0];
    if (!from || !fs.existsSync(from)) throw new Error(`otool -L does not show an existing libomp.dylib for ${addon}`);
    publish(from, path.join(target, 'libomp.dylib'));
    run('install_name_tool', ['-id', '@loader_path/libomp.dylib', path.join(target, 'libomp.dylib')]);
    run('install_name_tool', ['-change', from, '@loader_path/libomp.dylib', addon]);
    return ['libomp.dylib'];
  }
  if (process.platform === 'win32') {
    // CMakeLists.txt copies LLVM's libomp.dll beside the built addon
    const from = path.join(path.dirname(built), 'libomp.dll');
    if (!fs.existsSync(from)) throw new Error(`no libomp.dll beside ${built}`);
    publish(from, path.join(target, 'libomp.dll'));
    return ['libomp.dll'];
  }
  return [];
}

const cmakeArgs = process.argv.slice(2).filter((a) => a !== '--no-runtime');
if (process.platform === 'linux' && withRuntime) cmakeArgs.push(`--CDSPEARSIM_RUNTIME_DIR=${libc()}`);
run(process.execPath, [require.resolve('cmake-js/bin/cmake-js'), 'rebuild', '--out', outDir, '--log-level', 'warn', ...cmakeArgs]);
const built = path.join(root, outDir, 'Release', 'spearsim.node');
const target = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
const name = process.platform === 'linux' ? `spearsim.napi.${libc()}.node` : 'spearsim.napi.node';
fs.mkdirSync(target, { recursive: true });
// a previous prebuild for another C library may sit in the same directory; this one replaces only its own file
const staging = path.join(root, outDir, name);
fs.copyFileSync(built, staging);
if (process.platform !== 'win32' && spawnSync('strip', process.platform === 'darwin' ? ['-x', staging] : ['--strip-unneeded', staging]).status !== 0) {
  console.warn('spearsim: strip not available; prebuild keeps its symbols');
}
const runtime = withRuntime ? shipRuntime(staging, target, built) : [];
publish(staging, path.join(target, name));
console.log(`spearsim: prebuild written to ${path.relative(root, path.join(target, name))}${runtime.length ? ` with ${runtime.join(', ')}` : ''}`);
