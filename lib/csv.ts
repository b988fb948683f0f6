/**
 * A small CSV reader for real datasets: a header row, comma- or tab-separated fields (detected from
 * the header), RFC 4180 quoting ("a, b" and "" for a quote inside quotes, line breaks inside
 * quotes), CRLF or LF line ends, an optional UTF-8 byte-order mark; blank lines are skipped.
 * @module
 */
import * as fs from 'node:fs';
import { nearestName } from './config';
import { SpearsimError, rangeError, typeError } from './errors';

/** Field separators the reader understands. */
export type Delimiter = ',' | '\t';

/** A parsed CSV file. */
export interface CsvTable {
  /** Column names from the header row. */
  header: string[];
  /** Data rows (strings as written, unquoted), each as long as the header. */
  rows: string[][];
  /** 1-based line number of each row's start in the file, for messages. */
  lines: number[];
  delimiter: Delimiter;
}

/** The delimiter of the first (header) line: tab if it has more tabs than commas outside quotes. */
function detectDelimiter(text: string): Delimiter {
  let commas = 0;
  let tabs = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === '\t') tabs++;
  }
  return tabs > commas ? '\t' : ',';
}

function malformed(source: string, line: number, problem: string): SpearsimError {
  return new SpearsimError('ERR_INVALID_TYPE', `${source}, line ${line}: ${problem}`, { option: source, expected: 'CSV with a header row' });
}

/**
 * Parses CSV text. `source` names the input in error messages. The delimiter is detected from the
 * header line unless given. Every row must have as many fields as the header.
 */
export function parseCsv(text: string, options: { delimiter?: Delimiter; source?: string } = {}): CsvTable {
  if (options === null || typeof options !== 'object') throw typeError('options', options, 'an object');
  const source = typeof options.source === 'string' ? options.source : 'CSV input';
  if (typeof text !== 'string') throw typeError(source, text, 'CSV text (a string)');
  if (options.delimiter !== undefined && options.delimiter !== ',' && options.delimiter !== '\t') throw rangeError('delimiter', options.delimiter, 'a comma or a tab');
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = options.delimiter ?? detectDelimiter(body);
  const records: Array<{ fields: string[]; line: number }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let recordQuoted = false;
  let line = 1;
  let recordLine = 1;
  const endField = (): void => {
    fields.push(wasQuoted ? field : field.trim());
    field = '';
    wasQuoted = false;
  };
  const endRecord = (): void => {
    endField();
    // a blank line (one empty unquoted field) is skipped
    if (fields.length > 1 || fields[0] !== '' || recordQuoted) records.push({ fields, line: recordLine });
    fields = [];
    recordQuoted = false;
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') {
      if (field.trim() !== '') throw malformed(source, line, 'a quote inside an unquoted field (quote the whole field and double inner quotes)');
      field = '';
      quoted = true;
      wasQuoted = true;
      recordQuoted = true;
    } else if (ch === delimiter) {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (wasQuoted) {
      if (ch !== ' ' && ch !== '\t') throw malformed(source, line, 'text after a closing quote');
    } else {
      field += ch;
    }
  }
  if (quoted) throw malformed(source, recordLine, 'a quoted field is not closed');
  if (field !== '' || wasQuoted || fields.length > 0) endRecord();
  const [head, ...data] = records;
  if (!head) throw malformed(source, 1, 'no header row (the file is empty)');
  for (const r of data) {
    if (r.fields.length !== head.fields.length) {
      throw malformed(source, r.line, `${r.fields.length} fields, but the header has ${head.fields.length} (delimiter ${delimiter === '\t' ? 'tab' : 'comma'})`);
    }
  }
  return { header: head.fields, rows: data.map((r) => r.fields), lines: data.map((r) => r.line), delimiter };
}

/** Reads and parses a CSV file (see {@link parseCsv}). */
export function readCsv(file: string, delimiter?: Delimiter): CsvTable {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpearsimError('ERR_IO', `cannot read ${file}: ${(e as Error).message}`, { option: 'file', value: file, cause: e });
  }
  return parseCsv(text, { delimiter, source: file });
}

/** Index of a column given by header name, or by 1-based position when no header has that name. */
export function columnIndex(table: CsvTable, column: string, option: string): number {
  if (typeof column !== 'string') throw typeError(option, column, 'a column name or a 1-based column number (a string)');
  const byName = table.header.indexOf(column);
  if (byName >= 0) return byName;
  if (/^[1-9]\d*$/.test(column) && Number(column) <= table.header.length) return Number(column) - 1;
  // near misses: a typo, or the start of a longer name such as "dose" for "dose (mg)"
  const starts = table.header.filter((h) => h.toLowerCase().startsWith(column.toLowerCase()));
  const hint = nearestName(column, table.header) ?? (starts.length === 1 ? starts[0] : undefined);
  throw rangeError(option, column, `a column name (${table.header.map((h) => JSON.stringify(h)).join(', ')}) or a 1-based column number${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''}`);
}

/** Cells read as missing: empty, NA, NaN, null, "." (case-insensitive). */
export function isMissing(cell: string): boolean {
  return /^(|na|nan|null|\.)$/i.test(cell.trim());
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Paired numeric columns; rows with a missing x or y are skipped and listed by line number. */
export interface PairedColumns {
  x: number[];
  y: number[];
  /** Column names as in the header. */
  xName: string;
  yName: string;
  /** Line numbers of the rows skipped for a missing value. */
  skippedLines: number[];
}

/**
 * Two numeric columns of a table as paired vectors (pairwise complete: a row missing either value is
 * skipped and reported). A cell that is neither a decimal number nor missing is an error naming its
 * line and column.
 */
export function pairedColumns(table: CsvTable, xColumn: string, yColumn: string, source = 'CSV input'): PairedColumns {
  const xi = columnIndex(table, xColumn, 'x');
  const yi = columnIndex(table, yColumn, 'y');
  const out: PairedColumns = { x: [], y: [], xName: table.header[xi]!, yName: table.header[yi]!, skippedLines: [] };
  const parse = (cell: string, r: number, name: string): number => {
    const value = Number(cell.trim());
    if (!DECIMAL.test(cell.trim()) || !Number.isFinite(value)) {
      throw new SpearsimError('ERR_INVALID_TYPE', `${source}, line ${table.lines[r]}: column ${JSON.stringify(name)} holds ${JSON.stringify(cell)}, not a number or a missing value`, {
        option: name,
        value: cell,
        expected: 'a decimal number, or empty / NA / NaN / null / . for missing',
      });
    }
    return value;
  };
  table.rows.forEach((row, r) => {
    const xs = row[xi]!;
    const ys = row[yi]!;
    if (isMissing(xs) || isMissing(ys)) {
      out.skippedLines.push(table.lines[r]!);
      return;
    }
    out.x.push(parse(xs, r, out.xName));
    out.y.push(parse(ys, r, out.yName));
  });
  return out;
}
