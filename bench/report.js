#!/usr/bin/env node
'use strict';
// Markdown report of benchmark results (for bench/README.md "Current figures" or a PR comment):
//   node bench/report.js bench/results/A.json [B.json ...]
// With several files, later files' workloads (and their comparisons, targets) replace earlier ones
// of the same name — e.g. a re-run of the groups that were disturbed by other processes.
const fs = require('node:fs');
const { fmtMs, round } = require('./common');

function load(files) {
  const runs = files.map((f) => ({ file: f, r: JSON.parse(fs.readFileSync(f, 'utf8')) }));
  const workloads = {};
  const comparisons = {};
  const targets = {};
  let scaling = null;
  for (const { file, r } of runs) {
    for (const [name, w] of Object.entries(r.workloads)) workloads[name] = { ...w, from: file, busy: r.groups[w.group] && r.groups[w.group].cpusBusyBefore };
    for (const c of r.comparisons) comparisons[c.name] = c;
    for (const t of r.targets) targets[t.id + t.description] = t;
    if (r.scaling) scaling = r.scaling;
  }
  return { runs, workloads, comparisons: Object.values(comparisons), targets: Object.values(targets), scaling };
}

function md(header, rows) {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function report(files) {
  const { runs, workloads, comparisons, targets, scaling } = load(files);
  const out = [];
  for (const { file, r } of runs) {
    const m = r.machine;
    out.push(
      `- \`${file}\`: spearsim ${r.package.version}, ${r.mode} mode, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${m.cpuModel}, ${m.cores} cores ` +
        `(${m.cpuFeatures.present.join(', ')}), Node ${m.node}, ${r.options.threads} threads, load ${m.loadAvgStart.join(' / ')} -> ${m.loadAvgEnd.join(' / ')}, ` +
        `native ${r.native.available ? 'yes' : 'no'}, ${r.durationS} s`,
    );
  }
  out.push('', md(
    ['workload', 'threads', 'median', 'min', 'max', 'runs', 'cpu/wall', 'W1-equiv', 'x ref', 'peak RSS MB', 'CPUs busy before'],
    Object.entries(workloads).map(([name, w]) =>
      w.status === 'ok'
        ? [`\`${name}\``, w.threads, fmtMs(w.median_ms), fmtMs(w.min_ms), fmtMs(w.max_ms), w.runs, round(w.cpuUse, 2), w.equivalent_ms ? fmtMs(w.equivalent_ms) : '', round(w.refRatio, 3), round(w.peakRssMB, 0), w.busy === null || w.busy === undefined ? '' : `${Math.round(w.busy * 100)}%`]
        : [`\`${name}\``, w.threads, w.status, '', '', '', '', '', '', '', ''],
    ),
  ));
  if (comparisons.length) {
    out.push('', md(['comparison (per unit, same child)', 'ratio of medians', 'paired median', 'efficiency'], comparisons.map((c) => [c.name, c.ratioOfMedians ? `${c.ratioOfMedians.toFixed(2)}x` : '-', c.pairedMedian ? `${c.pairedMedian.toFixed(2)}x` : '-', c.parallelEfficiency ? c.parallelEfficiency.toFixed(3) : ''])));
  }
  if (scaling) {
    out.push('', md(['scaling cell', 'median', 'ns / value', 'ns / value / n', 'peak RSS MB', 'above loaded pkg MB', 'stored input MB'], scaling.cells.map((c) => [c.workload, fmtMs(c.median_ms), c.nsPerValue, c.nsPerValuePerN, c.peakRssMB, c.excessRssMB, c.inputMB])));
    const slopes = [
      ...Object.entries(scaling.timeVsRepsTimesResamples).map(([k, v]) => [`time vs reps x resamples, ${k}`, v.fitSlope]),
      ...Object.entries(scaling.timeVsN).map(([k, v]) => [`time vs n, ${k}`, v.fitSlope]),
    ];
    out.push('', md(['growth', 'log-log slope'], slopes));
    out.push('', scaling.departures.length ? `Departures: ${scaling.departures.map((d) => `${d.where} (${d.timeSlope ?? `${d.excessRssMB} MB`}: ${d.note})`).join('; ')}.` : 'Departures: none.');
  }
  if (targets.length) {
    const v = (p) => (p === true ? 'PASS' : p === false ? 'FAIL' : 'n/a');
    out.push('', md(['target', 'measured (median)', 'target', 'result', 'best round', 'at best'], targets.map((t) => [t.description || t.id, t.value ?? '-', `${t.op} ${t.target}`, v(t.pass), t.valueMin ?? '', t.passAtMin === undefined ? '' : v(t.passAtMin)])));
  }
  return out.join('\n');
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write('usage: node bench/report.js results.json [more.json ...]\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(`${report(files)}\n`);
  }
}

module.exports = { report };
