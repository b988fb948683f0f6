'use strict';
// The in-run reference workload: a fixed single-threaded pure-JavaScript loop (xorshift numbers,
// a typed-array sort, a strided sum; ~10 ms on the baseline machine). Every benchmark group times
// it side by side with its own workloads, and bench:check compares workload / reference ratios,
// which cancel most of the machine's speed and load.

function refLoop() {
  const n = 1 << 15;
  const a = new Float64Array(n);
  let s = 0x9e3779b9 | 0;
  let acc = 0;
  for (let rep = 0; rep < 4; rep++) {
    for (let i = 0; i < n; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      a[i] = (s >>> 0) / 4294967296;
    }
    a.sort();
    for (let i = 0; i < n; i += 7) acc += a[i] * i;
  }
  return acc;
}

module.exports = { refLoop, REF_NAME: 'ref.js-loop' };
