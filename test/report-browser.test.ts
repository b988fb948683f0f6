// The HTML reports in a real headless browser (Debian's chromium; .ci/run installs it on CI):
// they load with no console errors and no network request besides the file itself, and every
// plot renders (a screenshot of each plot region has ink in several colours). Where chromium is
// absent the browser checks are skipped with a message; the offline checks on the text still run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { designSampleSize, makeDesign } from '../lib/design';
import { CURVE_PLOT_FILES, designCurves, writeDesignOutputs } from '../lib/report/design';
import { runStudy } from '../lib/study';
import { Browser, type Box, findChromium } from './helpers/chromium';
import { decodePng, inkOf } from './helpers/png';

const chromium = findChromium();
if (!chromium) console.warn('report-browser: chromium is not installed (apt-get install chromium): the browser checks are skipped');

const TINY = { cases: [1, 3], kValues: [4, 5], generators: ['nonparametric', 'copula'] as ('nonparametric' | 'copula')[], nSims: 200, nReps: 10, nBoot: 100, nCal: 50, nPre: 400, verbose: 0 };

let root: string;
let studyReport: string;
let studyFiles: string[];
let designReport: string;
let designFiles: string[];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-report-'));
  studyReport = path.join(root, 'study.html');
  studyFiles = (await runStudy({ ...TINY, outputDir: path.join(root, 'run'), report: studyReport })).files;
  // a 4-level x given as proportions and a 5-point ordinal y
  const design = makeDesign({ x: { proportions: [0.2, 0.3, 0.3, 0.2] }, y: { kind: 'ordinal', proportions: [0.1, 0.2, 0.4, 0.2, 0.1] }, n: [20, 200] });
  const options = { nSims: 400, nPre: 2000, verbose: 0 };
  const answer = await designSampleSize(design, { ...options, rho: 0.35 });
  const curves = await designCurves(answer, options);
  designReport = path.join(root, 'design.html');
  designFiles = writeDesignOutputs(answer, curves, { curveCsv: path.join(root, 'curves.csv'), plotDir: path.join(root, 'plots'), report: designReport });
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** The report is self-contained: no scripts, no external references, plots inline. */
function checkSelfContained(html: string): void {
  expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|@import|url\(/i);
  expect(html).not.toMatch(/href="(?!#)/i);
  expect(html).toMatch(/<svg /);
}

describe('study report (spearsim run --report)', () => {
  it('is written with the run, self-contained, with inputs, answers with their SEs, plots and provenance', () => {
    const html = fs.readFileSync(studyReport, 'utf8');
    checkSelfContained(html);
    for (const heading of ['Inputs', 'Answers', 'Simulated and asymptotic minimum detectable rho', 'Expected confidence intervals', 'All-distinct summary', 'Provenance']) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).toMatch(/-0\.\d{4}±0\.\d{4}/); // a minimum detectable rho with its SE
    expect(html).toContain('<dt>seed</dt><dd>42</dd>');
    expect(fs.readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]); // atomic: no temp file left
    expect(studyFiles).toContain(studyReport);
  });

  it('a report path that is a directory is refused before the run starts', async () => {
    await expect(runStudy({ ...TINY, outputDir: path.join(root, 'bad'), report: root })).rejects.toMatchObject({ code: 'ERR_IO', option: 'report' });
    expect(fs.existsSync(path.join(root, 'bad'))).toBe(false);
  });
});

describe('design report and curves (spearsim design --report --curve-csv --plot-dir)', () => {
  it('writes the curves CSV, both plots and a self-contained report', () => {
    expect(designFiles).toEqual([path.join(root, 'curves.csv'), path.join(root, 'plots', CURVE_PLOT_FILES.byN), path.join(root, 'plots', CURVE_PLOT_FILES.byRho), designReport]);
    const csv = fs.readFileSync(path.join(root, 'curves.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('curve,n,rho,x_counts,y_counts,power,power_se,asymptotic_power');
    expect(csv.filter((l) => l.startsWith('n,')).length).toBeGreaterThanOrEqual(11);
    expect(csv.filter((l) => l.startsWith('rho,')).length).toBe(13);
    const html = fs.readFileSync(designReport, 'utf8');
    checkSelfContained(html);
    for (const heading of ['Inputs', 'Answer', 'Power curves', 'Provenance']) expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toMatch(/power at n<\/dt><dd>0\.\d{4}±0\.\d{4}/);
    const byN = fs.readFileSync(path.join(root, 'plots', CURVE_PLOT_FILES.byN), 'utf8');
    expect(byN).toContain('sample size n');
    expect(byN).toMatch(/answer n = \d+/);
    expect(byN).toContain('<polygon'); // the 95 % Monte Carlo band
  });
});

describe('spearsim design --curve-csv --plot-dir --report', () => {
  it('writes the three outputs and lists them in the one JSON object', () => {
    const out = path.join(root, 'cli');
    const args = [
      'design', '--counts', '12,18,18,12', '--y-levels', '0.1,0.2,0.4,0.2,0.1', '--rho', '0.3', '--solve', 'mdr', '--n-sims', '300', '--n-pre', '1000', '--verbose', '0',
      '--curve-csv', path.join(out, 'c.csv'), '--plot-dir', path.join(out, 'plots'), '--report', path.join(out, 'r.html'), '--json',
    ];
    const doc = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, '..', 'bin', 'spearsim.js'), ...args], { encoding: 'utf8' })) as { files: string[]; minDetectableRho: number };
    expect(doc.files).toEqual([path.join(out, 'c.csv'), path.join(out, 'plots', 'power_vs_n.svg'), path.join(out, 'plots', 'power_vs_rho.svg'), path.join(out, 'r.html')]);
    for (const f of doc.files) expect(fs.statSync(f).size).toBeGreaterThan(500);
    expect(fs.readFileSync(path.join(out, 'plots', 'power_vs_rho.svg'), 'utf8')).toContain(`min detectable rho = ${doc.minDetectableRho.toFixed(4)}`);
  });
});

describe.skipIf(!chromium)('in headless chromium', () => {
  let browser: Browser;
  beforeAll(() => {
    browser = Browser.launch(chromium!);
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function checkInBrowser(file: string, expectedPlots: number): Promise<void> {
    const url = pathToFileURL(file).href;
    const { session, log } = await browser.open(url, 1280, 900);
    expect(log.errors).toEqual([]);
    expect(log.requests.filter((r) => r !== url)).toEqual([]);
    const boxes = await browser.evaluate<Box[]>(
      session,
      `[...document.querySelectorAll('figure.plot svg')].map((e) => { const r = e.getBoundingClientRect(); return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height }; })`,
    );
    expect(boxes).toHaveLength(expectedPlots);
    for (const [i, box] of boxes.entries()) {
      expect(box.width).toBeGreaterThan(200);
      expect(box.height).toBeGreaterThan(150);
      const png = await browser.screenshot(session, box);
      const shot = path.join(root, `${path.basename(file, '.html')}-plot-${i}.png`);
      fs.writeFileSync(shot, png);
      const image = decodePng(png);
      const ink = inkOf(image);
      // a drawn plot: axes, text and coloured series (a blank or failed SVG is white or one colour)
      expect(ink.fraction, `${shot}: ink`).toBeGreaterThan(0.01);
      expect(ink.colours, `${shot}: colours`).toBeGreaterThanOrEqual(4);
    }
    const height = await browser.evaluate<number>(session, 'document.documentElement.scrollHeight');
    const full = await browser.screenshot(session, { x: 0, y: 0, width: 1280, height: Math.min(height, 8000) });
    const keep = process.env.SPEARSIM_REPORT_SCREENSHOT_DIR;
    if (keep) fs.writeFileSync(path.join(keep, `${path.basename(file, '.html')}.png`), full);
    expect(inkOf(decodePng(full)).fraction).toBeGreaterThan(0.01);
  }

  it('the study report loads without errors or requests, and both plots render', async () => {
    await checkInBrowser(studyReport, 2);
  });

  it('the design report loads without errors or requests, and both curves render', async () => {
    await checkInBrowser(designReport, 2);
  });
});
