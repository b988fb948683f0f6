#!/usr/bin/env node
// W1 on the C++ kernel alone, 1 vs 2 threads (bench/native/w1_kernel.cc), to separate the kernel's
// own parallel speedup from what the Node job around it adds. Needs g++ with OpenMP.
//   node bench/native-kernel.js [--calls 30]   -> one JSON object on stdout
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const callsAt = process.argv.indexOf('--calls');
const calls = callsAt > 0 ? Number(process.argv[callsAt + 1]) : 30;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-kernel-'));
try {
  const exe = path.join(dir, 'w1_kernel');
  // the flags of the distributed build (CMakeLists.txt)
  const sources = ['bench/native/w1_kernel.cc', 'native/bootstrap.cc', 'native/index_stream.cc', 'native/simd.cc'];
  execFileSync('g++', ['-O3', '-ffp-contract=off', '-std=c++17', '-fopenmp', `-I${path.join(root, 'native')}`,
    ...sources.map((f) => path.join(root, f)), '-o', exe], { stdio: ['ignore', 'inherit', 'inherit'] });
  process.stdout.write(execFileSync(exe, [String(calls)], { encoding: 'utf8' }));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
