// CommonJS consumer: percentile bootstrap CI of Spearman's rho for a small dataset.
const { bootstrapCI } = require('spearsim');

const x = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4];
const y = [2.1, 3.5, 1.2, 4.4, 2.2, 5.0, 6.1, 3.3, 5.5, 7.2, 6.6, 4.9];

bootstrapCI(x, y, { nBoot: 2000, seed: 1 }).then((ci) => {
  console.log(JSON.stringify({ rho: ci.rho, ciLower: ci.ciLower, ciUpper: ci.ciUpper, version: ci.provenance.version }));
});
