import { test } from 'vitest';
import { noncentralTSf, normalCdf, erfc } from '/work/main/lib/noncentral-t';
import fx from '/work/main/test/fixtures/noncentral_t.json';
test('x', () => {
  for (const r of fx.nct) if (r.t === 5 && r.nc === -6) console.log(r.df, r.sf, r.scipy, noncentralTSf(r.t, r.df, r.nc));
  console.log(normalCdf(-11), erfc(11/Math.SQRT2)/2, normalCdf(-20));
});
