#!/usr/bin/env node
'use strict';
require('../dist/cli/closed-output.js').guardStandardStreams();
require('../dist/cli/index.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
