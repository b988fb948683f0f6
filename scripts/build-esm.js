#!/usr/bin/env node
'use strict';
// After tsc: an ESM entry (dist/index.mjs) re-exporting the CommonJS build by name, and its types.
const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(__dirname, '..', 'dist');
const names = Object.keys(require(path.join(dist, 'index.js'))).filter((n) => n !== '__esModule' && n !== 'default');
fs.writeFileSync(
  path.join(dist, 'index.mjs'),
  `import cjs from './index.js';\nexport const { ${names.join(', ')} } = cjs;\nexport default cjs;\n`,
);
fs.writeFileSync(path.join(dist, 'index.d.mts'), "export * from './index.js';\nimport * as spearsim from './index.js';\nexport default spearsim;\n");
