// ES module consumer: the same analysis with top-level await.
import { spearman, spearmanTest, bootstrapCI } from 'spearsim';

const x = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4];
const y = [2.1, 3.5, 1.2, 4.4, 2.2, 5.0, 6.1, 3.3, 5.5, 7.2, 6.6, 4.9];

const rho = spearman(x, y);
const test = await spearmanTest(x, y, { method: 'permutation', alternative: 'two-sided' });
const ci = await bootstrapCI(x, y, { nBoot: 2000, seed: 1 });
const bca = await bootstrapCI(x, y, { nBoot: 2000, seed: 1, method: 'bca' });
console.log(JSON.stringify({
  rho, pValue: test.pValue, permutation: test.permutation.kind,
  ciLower: ci.ciLower, ciUpper: ci.ciUpper, bcaLower: bca.ciLower, bcaUpper: bca.ciUpper, version: ci.provenance.version,
}));
