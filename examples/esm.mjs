// ES module consumer: the same CI, with top-level await.
import { bootstrapCI } from 'spearsim';

const x = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4];
const y = [2.1, 3.5, 1.2, 4.4, 2.2, 5.0, 6.1, 3.3, 5.5, 7.2, 6.6, 4.9];

const ci = await bootstrapCI(x, y, { nBoot: 2000, seed: 1 });
console.log(JSON.stringify({ rho: ci.rho, ciLower: ci.ciLower, ciUpper: ci.ciUpper, version: ci.provenance.version }));
