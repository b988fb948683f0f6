/**
 * Self-contained HTML reports: one file with inline CSS and inline SVG plots, no scripts and no
 * external assets, so it opens offline in any browser and prints as is. Written atomically.
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpearsimError } from '../errors';
import { writeFileAtomic } from '../internal/files';
import type { Provenance } from '../provenance';

/** A titled part of a report (its body is HTML built with the helpers below). */
export interface ReportSection {
  /** Heading. */
  title: string;
  /** Body HTML. */
  html: string;
}

/** HTML-escapes text. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A table; cells that look numeric are right-aligned. */
export function htmlTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, caption?: string): string {
  const numeric = (cell: string): boolean => /^[[\-+]?\d/.test(cell) && !/[a-z]/i.test(cell);
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td${numeric(c) ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table"><table>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ''}<thead>${head}</thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** A definition list of label/value pairs. */
export function htmlFacts(facts: ReadonlyArray<readonly [string, string]>): string {
  return `<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** A plot: inline SVG (from lib/plot.ts, which escapes its text) with a caption. */
export function htmlFigure(svg: string, caption: string): string {
  const inline = svg.replace(/^<\?xml[^>]*>\s*/, '').trim();
  if (!inline.startsWith('<svg')) throw new SpearsimError('ERR_INTERNAL', 'a report figure must be an SVG document');
  return `<figure class="plot">${inline}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** A paragraph of text. */
export function htmlParagraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}

/** A bulleted list of text items. */
export function htmlList(items: readonly string[]): string {
  return `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
}

/** The provenance section: seed, version, engine, extra facts, and the full configuration. */
export function provenanceSection(prov: Provenance, extra: ReadonlyArray<readonly [string, string]> = []): ReportSection {
  const facts: Array<readonly [string, string]> = [['seed', String(prov.seed)], ['spearsim version', prov.version], ['engine', prov.engine], ...extra];
  return {
    title: 'Provenance',
    html: `${htmlFacts(facts)}<details><summary>Configuration</summary><pre>${escapeHtml(JSON.stringify(prov.config, null, 1))}</pre></details>`,
  };
}

const STYLE = `
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1280px; padding: 0 16px; color: #222; background: #fff; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 32px; }
p.sub { color: #555; margin-top: 0; }
div.table { overflow-x: auto; }
table { border-collapse: collapse; font-size: 12px; margin: 8px 0; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; white-space: nowrap; } th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #fafafa; }
figure.plot { margin: 16px 0; } figure.plot svg { max-width: 100%; height: auto; display: block; border: 1px solid #eee; }
figcaption { font-size: 12px; color: #555; margin-top: 4px; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; font-size: 13px; } dl.facts dt { font-weight: bold; }
pre { font-size: 11px; background: #f7f7f7; padding: 8px; overflow-x: auto; }
`;

/** The whole document. */
export function htmlPage(title: string, subtitle: string, sections: readonly ReportSection[]): string {
  const body = sections.map((s) => `<section>\n<h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join('\n');
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n<p class="sub">${escapeHtml(subtitle)}</p>\n${body}\n</body>\n</html>\n`
  );
}

/**
 * Checks a report path before the work that fills it starts: an existing directory or other
 * non-regular file there is an error now, not after a long run.
 */
export function checkReportTarget(file: string): string {
  const target = path.resolve(file);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    return target; // absent: created by writeReport
  }
  if (!stat.isFile()) throw new SpearsimError('ERR_IO', `report ${target} exists and is not a regular file`, { option: 'report', value: file, expected: 'a file path (.html)' });
  return target;
}

/** Writes a report atomically (temp file + rename); returns its absolute path. */
export function writeReport(file: string, html: string): string {
  const target = checkReportTarget(file);
  try {
    writeFileAtomic(target, html);
  } catch (e) {
    throw new SpearsimError('ERR_IO', `cannot write the report ${target}: ${(e as Error).message}`, { option: 'report', value: file, cause: e });
  }
  return target;
}
