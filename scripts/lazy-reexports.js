#!/usr/bin/env node
'use strict';
/**
 * After tsc: makes the re-exports of dist/index.js load their module on first use, so that
 * `require('spearsim')` compiles one small file instead of ~110 modules (what Babel's `lazy`
 * CommonJS option does). tsc emits each `export { a } from './m'` as
 *
 *   var m_1 = require("./m");
 *   Object.defineProperty(exports, "a", { enumerable: true, get: function () { return m_1.a; } });
 *
 * and the getter is the only reader of `m_1`; this rewrites the `require` into a memoised loader
 * and the getters into calls of it. Any other statement that names a module binding means the
 * emitted shape has changed: the build then fails instead of shipping an eager or broken entry.
 * Usage: node scripts/lazy-reexports.js [file]   (default dist/index.js)
 */
const fs = require('node:fs');
const path = require('node:path');

const REQUIRE = /^var (\w+) = require\("(\.{1,2}\/[^"]+)"\);$/;
const GETTER = /^Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return (\w+)\.(\w+); \} \}\);$/;

/** The rewritten source, or an Error naming the first line it cannot account for. */
function lazyReexports(source) {
  const bindings = new Set();
  const out = [];
  for (const [i, line] of source.split('\n').entries()) {
    const req = REQUIRE.exec(line);
    if (req) {
      const [, binding, spec] = req;
      bindings.add(binding);
      out.push(`let ${binding}$m; const ${binding} = () => (${binding}$m ??= require("${spec}"));`);
      continue;
    }
    const get = GETTER.exec(line);
    if (get && bindings.has(get[2])) {
      const [, name, binding, member] = get;
      out.push(`Object.defineProperty(exports, "${name}", { enumerable: true, get: function () { return ${binding}().${member}; } });`);
      continue;
    }
    if (/\brequire\(/.test(line) || [...bindings].some((b) => line.includes(b))) {
      throw new Error(`lazy-reexports: line ${i + 1} is not a plain re-export: ${line}`);
    }
    out.push(line);
  }
  if (bindings.size === 0) throw new Error('lazy-reexports: no re-exports found; has the emitted shape changed?');
  return out.join('\n');
}

if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist', 'index.js'));
  try {
    fs.writeFileSync(file, lazyReexports(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}

module.exports = { lazyReexports };
