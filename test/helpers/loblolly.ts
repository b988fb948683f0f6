// R's Loblolly data (package datasets: 84 rows, height in ft and age in yr of 14 loblolly pines
// at ages 3, 5, 10, 15, 20 and 25; Kung 1986, via Pinheiro & Bates 2000), stored as
// test/fixtures/data/loblolly.csv. Heights rise strictly with age across trees, so Spearman's rho
// is fixed by the ties of age alone and every leave-one-out rho is the same.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function loblolly(): { height: number[]; age: number[] } {
  const lines = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'data', 'loblolly.csv'), 'utf8').trim().split('\n').slice(1);
  const rows = lines.map((line) => line.split(',').map(Number));
  return { height: rows.map((r) => r[0]!), age: rows.map((r) => r[1]!) };
}
