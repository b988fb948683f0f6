#!/usr/bin/env node
/**
 * Checks that a study run's CSV tables keep the columns of a reference run byte for byte:
 * `node scripts/compare-tables.js REFERENCE_DIR NEW_DIR`. Columns the new tables added (such as the
 * Monte Carlo error `*_se` columns) are dropped, the rest is written in the reference's column
 * order and compared byte for byte with the reference file. Exits 1 on any difference. With a
 * third argument, the stripped tables are also written there (for `cmp`).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Splits a CSV line into raw fields, keeping quotes (so re-joining gives the same bytes). */
function fields(line) {
  const out = [];
  let field = '';
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  out.push(field);
  return out;
}

function compare(referenceFile, newFile, strippedDir) {
  const reference = fs.readFileSync(referenceFile, 'utf8');
  const lines = fs.readFileSync(newFile, 'utf8').split('\n');
  const header = fields(lines[0]);
  const wanted = fields(reference.split('\n')[0]);
  const missing = wanted.filter((c) => !header.includes(c));
  if (missing.length > 0) return `${path.basename(newFile)}: columns ${missing.join(', ')} are missing`;
  const index = wanted.map((c) => header.indexOf(c));
  const stripped = lines.map((line) => (line === '' ? line : index.map((i) => fields(line)[i]).join(','))).join('\n');
  if (strippedDir) fs.writeFileSync(path.join(strippedDir, path.basename(newFile)), stripped);
  if (stripped !== reference) {
    const a = reference.split('\n');
    const b = stripped.split('\n');
    const row = a.findIndex((l, i) => l !== b[i]);
    return `${path.basename(newFile)}: differs at line ${row + 1}\n  reference: ${a[row]}\n  new:       ${b[row]}`;
  }
  const added = header.filter((c) => !wanted.includes(c));
  console.log(`${path.basename(newFile)}: ${wanted.length} columns identical over ${rowCount(lines)} rows${added.length ? `; added ${added.join(', ')}` : ''}`);
  return null;
}

function rowCount(lines) {
  return lines.filter((l) => l !== '').length - 1;
}

const [referenceDir, newDir, strippedDir] = process.argv.slice(2);
if (!referenceDir || !newDir) {
  console.error('usage: node scripts/compare-tables.js REFERENCE_DIR NEW_DIR [STRIPPED_DIR]');
  process.exit(2);
}
const tables = fs.readdirSync(referenceDir).filter((f) => f.endsWith('.csv')).sort();
if (strippedDir) fs.mkdirSync(strippedDir, { recursive: true });
const failures = tables.map((t) => compare(path.join(referenceDir, t), path.join(newDir, t), strippedDir)).filter((m) => m !== null);
for (const m of failures) console.error(m);
process.exit(failures.length > 0 ? 1 : 0);
