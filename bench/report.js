#!/usr/bin/env node
'use strict';
// Markdown report of benchmark results (for bench/README.md "Current figures" or a PR comment):
//   node bench/report.js [--fastest] bench/results/A.json [B.json ...]
// With several files, each group (its workloads, comparisons and targets) comes from one run: the
// last that ran it, or with --fastest the one where it ran fastest (least disturbed by other
// processes). The scaling analysis is recomputed over the merged cells.
const fs = require('node:fs');
const { fmtMs, round } = require('./common');

/** The group a comparison or target of run r belongs to (older results files lack the field). */
function groupOf(r, item) {
  if (item.group) return item.group;
  if (item.workload && r.workloads[item.workload]) return r.workloads[item.workload].group;
  if (item.fast && r.workloads[item.fast]) return r.workloads[item.fast].group;
  const c = r.comparisons.find((x) => x.name === item.id);
  if (c && r.workloads[c.fast]) return r.workloads[c.fast].group;
  return /^parallel efficiency/.test(item.id || '') ? 'W1' : undefined;
}

/**
 * Merges runs group by group: `last` takes each group from the last file that ran it; `fastest`
 * from the file where its workloads' medians sum lowest (the least disturbed run of that group on
 * a shared machine). Workloads, comparisons and targets of a group always come from one run.
 */
function load(files, pick = 'last') {
  const runs = files.map((f) => ({ file: f, r: JSON.parse(fs.readFileSync(f, 'utf8')) }));
  const chosen = {};
  for (const run of runs) {
    for (const [name, g] of Object.entries(run.r.groups)) {
      if (g.status !== 'ok') {
        if (!chosen[name]) chosen[name] = run;
        continue;
      }
      const cost = Object.values(run.r.workloads).filter((w) => w.group === name && w.status === 'ok').reduce((a, w) => a + w.median_ms, 0);
      const prev = chosen[name];
      if (!prev || pick === 'last' || prev.r.groups[name].status !== 'ok' || cost < prev.cost) chosen[name] = { ...run, cost };
    }
  }
  const workloads = {};
  const comparisons = [];
  const targets = [];
  for (const [group, run] of Object.entries(chosen)) {
    const r = run.r;
    for (const [name, w] of Object.entries(r.workloads)) if (w.group === group) workloads[name] = { ...w, from: run.file, busy: r.groups[group].cpusBusyBefore };
    comparisons.push(...r.comparisons.filter((c) => groupOf(r, c) === group));
    targets.push(...r.targets.filter((t) => groupOf(r, t) === group));
  }
  const { groups } = require('./workloads');
  const groupsById = Object.fromEntries(groups.map((g) => [g.name, g]));
  const hasScaling = Object.values(workloads).some((w) => groupsById[w.group] && groupsById[w.group].scaling);
  const scaling = hasScaling ? require('./run').scalingAnalysis(workloads, groupsById) : null;
  return { runs, workloads, comparisons, targets, scaling };
}

function md(header, rows) {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function report(files, pick = 'last') {
  const { runs, workloads, comparisons, targets, scaling } = load(files, pick);
  const out = [];
  for (const [i, { file, r }] of runs.entries()) {
    const m = r.machine;
    out.push(
      `- run ${i + 1}, \`${file}\`: spearsim ${r.package.version}, ${r.mode} mode, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${m.cpuModel}, ${m.cores} cores ` +
        `(${m.cpuFeatures.present.join(', ')}), Node ${m.node}, ${r.options.threads} threads, load ${m.loadAvgStart.join(' / ')} -> ${m.loadAvgEnd.join(' / ')}, ` +
        `native ${r.native.available ? 'yes' : 'no'}, ${r.durationS} s`,
    );
  }
  out.push('', md(
    ['workload', 'threads', 'median', 'min', 'max', 'runs', 'cpu/wall', 'W1-equiv', 'x ref', 'peak RSS MB', 'CPUs busy before', ...(runs.length > 1 ? ['run'] : [])],
    Object.entries(workloads).map(([name, w]) =>
      w.status === 'ok'
        ? [`\`${name}\``, w.threads, fmtMs(w.median_ms), fmtMs(w.min_ms), fmtMs(w.max_ms), w.runs, round(w.cpuUse, 2), w.equivalent_ms ? fmtMs(w.equivalent_ms) : '', round(w.refRatio, 3), round(w.peakRssMB, 0), w.busy === null || w.busy === undefined ? '' : `${Math.round(w.busy * 100)}%`, ...(runs.length > 1 ? [runs.findIndex((x) => x.file === w.from) + 1] : [])]
        : [`\`${name}\``, w.threads, w.status, '', '', '', '', '', '', '', '', ...(runs.length > 1 ? [runs.findIndex((x) => x.file === w.from) + 1] : [])],
    ),
  ));
  if (comparisons.length) {
    out.push('', md(['comparison (per unit, same child)', 'ratio of medians', 'paired median', 'efficiency'], comparisons.map((c) => [c.name, c.ratioOfMedians ? `${c.ratioOfMedians.toFixed(2)}x` : '-', c.pairedMedian ? `${c.pairedMedian.toFixed(2)}x` : '-', c.parallelEfficiency ? c.parallelEfficiency.toFixed(3) : ''])));
  }
  if (scaling) {
    out.push('', md(['scaling cell', 'median (wall)', 'CPU', 'cpu/wall', 'ns / value', 'ns / value / n', 'CPU ns / value / n', 'peak RSS MB', 'above loaded pkg MB', 'stored input MB'], scaling.cells.map((c) => [c.workload, fmtMs(c.median_ms), fmtMs(c.cpu_ms), c.cpuPerWall, c.nsPerValue, c.nsPerValuePerN, c.cpuNsPerValuePerN, c.peakRssMB, c.excessRssMB, c.inputMB])));
    const slopes = [
      ...Object.entries(scaling.timeVsRepsTimesResamples).map(([k, v]) => [`time vs reps x resamples, ${k}`, v.fitSlope, v.cpuFitSlope]),
      ...Object.entries(scaling.timeVsN).map(([k, v]) => [`time vs n, ${k}`, v.fitSlope, v.cpuFitSlope]),
    ];
    out.push('', md(['growth (log-log slope, 1 = linear)', 'wall', 'CPU'], slopes));
    out.push('', scaling.departures.length ? `Departures: ${scaling.departures.map((d) => `${d.where} (${d.cpuSlope !== undefined ? `CPU slope ${d.cpuSlope}, wall ${d.timeSlope}` : `${d.excessRssMB} MB`}: ${d.note})`).join('; ')}.` : 'Departures: none.');
    if (scaling.notes.length) out.push('', 'Notes:', '', ...scaling.notes.map((n) => `- ${n}`));
  }
  if (targets.length) {
    const v = (p) => (p === true ? 'PASS' : p === false ? 'FAIL' : 'n/a');
    out.push('', md(['target', 'measured (median)', 'target', 'result', 'best round', 'at best'], targets.map((t) => [t.description || t.id, t.value ?? '-', `${t.op} ${t.target}`, v(t.pass), t.valueMin ?? '', t.passAtMin === undefined ? '' : v(t.passAtMin)])));
  }
  return out.join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const pick = args.includes('--fastest') ? 'fastest' : 'last';
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    process.stderr.write('usage: node bench/report.js [--fastest] results.json [more.json ...]\n  --fastest  take each group from the run where it was fastest (least disturbed), else from the last run\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(`${report(files, pick)}\n`);
  }
}

module.exports = { report, load };
