// The HTML reports in a real headless browser (Debian's chromium; .ci/run installs it on CI):
// they load with no console errors and no network request besides the file itself, and every
// plot renders (a screenshot of each plot region has ink in several colours). Where chromium is
// absent the browser checks are skipped with a message; the offline checks on the text still run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStudy } from '../lib/study';
import { Browser, type Box, findChromium } from './helpers/chromium';
import { decodePng, inkOf } from './helpers/png';

const chromium = findChromium();
if (!chromium) console.warn('report-browser: chromium is not installed (apt-get install chromium): the browser checks are skipped');

const TINY = { cases: [1, 3], kValues: [4, 5], generators: ['nonparametric', 'copula'] as ('nonparametric' | 'copula')[], nSims: 200, nReps: 10, nBoot: 100, nCal: 50, nPre: 400, verbose: 0 };

let root: string;
let studyReport: string;
let studyFiles: string[];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-report-'));
  studyReport = path.join(root, 'study.html');
  studyFiles = (await runStudy({ ...TINY, outputDir: path.join(root, 'run'), report: studyReport })).files;
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
});
