'use strict';
// The bootstrap a user would write by hand: for every resample draw n indices, gather x[idx] and
// y[idx], compute midranks by sorting, take the Pearson correlation of the midranks, and finally
// the percentile interval. No tricks — this is the "naive loop" baseline of the benchmarks.

/** Midranks (average ranks of ties, 1-based) of the values in a. */
function midranks(a) {
  const n = a.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((i, j) => a[i] - a[j]);
  const ranks = new Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && a[order[j + 1]] === a[order[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]] = r;
    i = j + 1;
  }
  return ranks;
}

function pearson(a, b) {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

function spearman(x, y) {
  return pearson(midranks(x), midranks(y));
}

/** Type-7 percentile of sorted values. */
function percentile(sorted, q) {
  const h = (sorted.length - 1) * q;
  const f = Math.floor(h);
  return f + 1 < sorted.length ? sorted[f] + (h - f) * (sorted[f + 1] - sorted[f]) : sorted[f];
}

/** Percentile bootstrap CI of Spearman's rho of one dataset, the hand-written way. */
function naiveBootstrapCI(x, y, nBoot, alpha = 0.05, random = Math.random) {
  const n = x.length;
  const rhos = [];
  const xs = new Array(n);
  const ys = new Array(n);
  for (let b = 0; b < nBoot; b++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(random() * n);
      xs[i] = x[k];
      ys[i] = y[k];
    }
    const rho = spearman(xs, ys);
    if (!Number.isNaN(rho)) rhos.push(rho);
  }
  rhos.sort((a, b) => a - b);
  return { lo: percentile(rhos, alpha / 2), hi: percentile(rhos, 1 - alpha / 2), valid: rhos.length };
}

/** The batch: one CI per dataset (x[r], y[r] are plain arrays). */
function naiveBootstrapBatch(x, y, nBoot, alpha = 0.05) {
  const out = [];
  for (let r = 0; r < x.length; r++) out.push(naiveBootstrapCI(x[r], y[r], nBoot, alpha));
  return out;
}

module.exports = { midranks, pearson, spearman, naiveBootstrapCI, naiveBootstrapBatch };
