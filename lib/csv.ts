/**
 * A small CSV reader for real datasets: a header row, comma- or tab-separated fields (detected from
 * the header), RFC 4180 quoting ("a, b" and "" for a quote inside quotes, line breaks inside
 * quotes), CRLF or LF line ends, an optional UTF-8 byte-order mark; blank lines are skipped.
 * Files are streamed: only the current record and the columns asked for are held.
 * @module
 */
import { StringDecoder } from 'node:string_decoder';
import { nearestName } from './config';
import { SpearsimError, rangeError, typeError } from './errors';
import { readChunks } from './internal/read-bounded';
import { MAX_N } from './scenario';

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

/**
 * The delimiter of the first (header) line: tab if it has more tabs than commas outside quotes.
 * Undefined while the line has not ended and more text may come (`final` false).
 */
function headerDelimiter(text: string, final: boolean): Delimiter | undefined {
  let commas = 0;
  let tabs = 0;
  let quoted = false;
  let ended = final;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      ended = true;
      break;
    } else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === '\t') tabs++;
  }
  if (!ended) return undefined;
  return tabs > commas ? '\t' : ',';
}

function malformed(source: string, line: number, problem: string): SpearsimError {
  return new SpearsimError('ERR_INVALID_TYPE', `${source}, line ${line}: ${problem}`, { option: source, expected: 'CSV with a header row' });
}

/** Longest record (characters) the streaming reader holds; a longer one is an error, not an allocation. */
export const MAX_RECORD_CHARS = 1 << 20;

/**
 * Incremental CSV parser: text is pushed in pieces of any size (a quote pair or a CRLF may straddle
 * two pieces) and every record is handed to `onRecord` as soon as it ends, so a file is never held
 * whole. Blank lines are skipped. A record longer than `maxRecordChars` is an error.
 */
export class CsvParser {
  private delimiterFound: Delimiter | undefined;
  private head = '';
  private started = false;
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  /** A quote inside a quoted field: a doubled quote if the next character is one, else the closing quote. */
  private quotePending = false;
  private wasQuoted = false;
  private recordQuoted = false;
  private lfAfterCr = false;
  private line = 1;
  private recordLine = 1;
  private recordChars = 0;

  constructor(
    private readonly source: string,
    delimiter: Delimiter | undefined,
    private readonly onRecord: (fields: string[], line: number) => void,
    private readonly maxRecordChars = MAX_RECORD_CHARS,
  ) {
    this.delimiterFound = delimiter;
  }

  /** The delimiter in use (known once the header line has ended). */
  get delimiter(): Delimiter {
    return this.delimiterFound ?? ',';
  }

  /** Parses the next piece of text. */
  push(piece: string): void {
    let text = piece;
    if (!this.started) {
      if (text.length === 0) return;
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.delimiterFound === undefined) {
      this.head += text;
      this.delimiterFound = headerDelimiter(this.head, false);
      if (this.delimiterFound === undefined) {
        if (this.head.length > this.maxRecordChars) throw malformed(this.source, 1, `the header line is longer than ${this.maxRecordChars} characters`);
        return;
      }
      text = this.head;
      this.head = '';
    }
    this.scan(text);
  }

  /** Ends the input: parses what is left and checks that no quoted field is open. */
  end(): void {
    if (this.delimiterFound === undefined) {
      this.delimiterFound = headerDelimiter(this.head, true);
      this.scan(this.head);
      this.head = '';
    }
    if (this.quotePending) {
      this.quotePending = false;
      this.quoted = false;
    }
    if (this.quoted) throw malformed(this.source, this.recordLine, 'a quoted field is not closed');
    if (this.field !== '' || this.wasQuoted || this.fields.length > 0) this.endRecord();
  }

  private endField(): void {
    this.fields.push(this.wasQuoted ? this.field : this.field.trim());
    this.field = '';
    this.wasQuoted = false;
  }

  private endRecord(): void {
    this.endField();
    const fields = this.fields;
    const quoted = this.recordQuoted;
    this.fields = [];
    this.recordQuoted = false;
    this.recordChars = 0;
    // a blank line (one empty unquoted field) is skipped
    if (fields.length > 1 || fields[0] !== '' || quoted) this.onRecord(fields, this.recordLine);
  }

  private scan(text: string): void {
    const delimiter = this.delimiterFound!;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (++this.recordChars > this.maxRecordChars) throw malformed(this.source, this.recordLine, `a record longer than ${this.maxRecordChars} characters`);
      if (this.quotePending) {
        this.quotePending = false;
        if (ch === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false;
      }
      if (this.lfAfterCr) {
        this.lfAfterCr = false;
        if (ch === '\n') continue;
      }
      if (this.quoted) {
        if (ch === '"') this.quotePending = true;
        else {
          if (ch === '\n') this.line++;
          this.field += ch;
        }
      } else if (ch === '"') {
        if (this.field.trim() !== '') throw malformed(this.source, this.line, 'a quote inside an unquoted field (quote the whole field and double inner quotes)');
        this.field = '';
        this.quoted = true;
        this.wasQuoted = true;
        this.recordQuoted = true;
      } else if (ch === delimiter) {
        this.endField();
      } else if (ch === '\n' || ch === '\r') {
        this.lfAfterCr = ch === '\r';
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
      } else if (this.wasQuoted) {
        if (ch !== ' ' && ch !== '\t') throw malformed(this.source, this.line, 'text after a closing quote');
      } else {
        this.field += ch;
      }
    }
  }
}

function fieldCountError(source: string, line: number, got: number, want: number, delimiter: Delimiter): SpearsimError {
  return malformed(source, line, `${got} fields, but the header has ${want} (delimiter ${delimiter === '\t' ? 'tab' : 'comma'})`);
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
  const records: Array<{ fields: string[]; line: number }> = [];
  const parser = new CsvParser(source, options.delimiter, (fields, line) => records.push({ fields, line }), Infinity);
  parser.push(text);
  parser.end();
  const [head, ...data] = records;
  if (!head) throw malformed(source, 1, 'no header row (the file is empty)');
  for (const r of data) {
    if (r.fields.length !== head.fields.length) throw fieldCountError(source, r.line, r.fields.length, head.fields.length, parser.delimiter);
  }
  return { header: head.fields, rows: data.map((r) => r.fields), lines: data.map((r) => r.line), delimiter: parser.delimiter };
}

/**
 * Index of a column given by header name, or by 1-based position when no header has that name. A
 * name the header holds more than once is ambiguous: such a column must be given by number.
 */
export function columnIndex(table: Pick<CsvTable, 'header'>, column: string, option: string): number {
  if (typeof column !== 'string') throw typeError(option, column, 'a column name or a 1-based column number (a string)');
  const byName = table.header.indexOf(column);
  if (byName >= 0) {
    const positions = table.header.flatMap((h, i) => (h === column ? [i + 1] : []));
    if (positions.length > 1) {
      throw rangeError(option, column, `an unambiguous column: the header names ${JSON.stringify(column)} ${positions.length} times (columns ${positions.join(', ')}); give the column by its 1-based number`);
    }
    return byName;
  }
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

/** A cell as a decimal number; anything else is an error naming `where` (file and line) and the column. */
export function numberCell(cell: string, column: string, where: string): number {
  const value = Number(cell.trim());
  if (!DECIMAL.test(cell.trim()) || !Number.isFinite(value)) {
    throw new SpearsimError('ERR_INVALID_TYPE', `${where}: column ${JSON.stringify(column)} holds ${JSON.stringify(cell)}, not a number or a missing value`, {
      option: column,
      value: cell,
      expected: 'a decimal number, or empty / NA / NaN / null / . for missing',
    });
  }
  return value;
}

/** One numeric column of a table; missing cells are skipped and their lines listed. */
export function numericColumn(table: CsvTable, column: string, option: string, source = 'CSV input'): { values: number[]; name: string; skippedLines: number[] } {
  const i = columnIndex(table, column, option);
  const name = table.header[i]!;
  const out = { values: [] as number[], name, skippedLines: [] as number[] };
  table.rows.forEach((row, r) => {
    if (isMissing(row[i]!)) out.skippedLines.push(table.lines[r]!);
    else out.values.push(numberCell(row[i]!, name, `${source}, line ${table.lines[r]}`));
  });
  return out;
}

/** Collects the x and y cells of the data rows of one header, row by row. */
class PairCollector {
  private readonly xi: number;
  private readonly yi: number;
  readonly out: PairedColumns;

  constructor(header: string[], xColumn: string, yColumn: string, private readonly source: string) {
    this.xi = columnIndex({ header }, xColumn, 'x');
    this.yi = columnIndex({ header }, yColumn, 'y');
    if (this.xi === this.yi) {
      // rho of a column with itself is 1 whatever the data: always a mistake
      throw rangeError('y', yColumn, `a column other than x (x = ${JSON.stringify(xColumn)} and y = ${JSON.stringify(yColumn)} both name column ${this.xi + 1}, ${JSON.stringify(header[this.xi])})`);
    }
    this.out = { x: [], y: [], xName: header[this.xi]!, yName: header[this.yi]!, skippedLines: [] };
  }

  private parse(cell: string, line: number, name: string): number {
    return numberCell(cell, name, `${this.source}, line ${line}`);
  }

  add(row: readonly string[], line: number): void {
    const xs = row[this.xi]!;
    const ys = row[this.yi]!;
    if (isMissing(xs) || isMissing(ys)) {
      this.out.skippedLines.push(line);
      return;
    }
    this.out.x.push(this.parse(xs, line, this.out.xName));
    this.out.y.push(this.parse(ys, line, this.out.yName));
  }

  /** Bytes held: two doubles per complete row, one number per skipped row. */
  bytes(): number {
    return 16 * this.out.x.length + 8 * this.out.skippedLines.length;
  }
}

/**
 * Two numeric columns of a table as paired vectors (pairwise complete: a row missing either value is
 * skipped and reported). A cell that is neither a decimal number nor missing is an error naming its
 * line and column; x and y must be different columns.
 */
export function pairedColumns(table: CsvTable, xColumn: string, yColumn: string, source = 'CSV input'): PairedColumns {
  const collector = new PairCollector(table.header, xColumn, yColumn, source);
  table.rows.forEach((row, r) => collector.add(row, table.lines[r]!));
  return collector.out;
}

/** Options of {@link readPairedColumns}. */
export interface ReadPairedOptions {
  /** Field separator (default: detected from the header line). */
  delimiter?: Delimiter;
  /** Most data rows read (default 200 000, the largest n of the package); one more is an error. */
  maxRows?: number;
  /** Bytes the reader may hold (the parsed columns and one record). */
  memoryLimit?: number;
  /** Stops the read between chunks. */
  signal?: AbortSignal;
}

/**
 * Streams a CSV file (or standard input for `-`) and collects two of its columns (see
 * {@link pairedColumns}). Only the current record and the two numeric columns are held: the data
 * row limit and the memory limit apply while the file is read, so a huge or endless input stops
 * with ERR_OUT_OF_RANGE or ERR_MEMORY_LIMIT at once. Only a regular file is read (ERR_IO
 * otherwise).
 */
export async function readPairedColumns(file: string, xColumn: string, yColumn: string, options: ReadPairedOptions = {}): Promise<PairedColumns> {
  const source = file === '-' ? 'stdin' : file;
  const maxRows = options.maxRows ?? MAX_N;
  const memoryLimit = options.memoryLimit ?? Infinity;
  // a record is held as a string (2 bytes per character) while it is split
  const maxRecord = Math.max(1024, Math.min(MAX_RECORD_CHARS, Math.floor(memoryLimit / 8)));
  let collector: PairCollector | undefined;
  let width = 0;
  let rows = 0;
  const parser = new CsvParser(source, options.delimiter, (fields, line) => {
    if (!collector) {
      collector = new PairCollector(fields, xColumn, yColumn, source);
      width = fields.length;
      return;
    }
    if (fields.length !== width) throw fieldCountError(source, line, fields.length, width, parser.delimiter);
    if (++rows > maxRows) {
      throw new SpearsimError('ERR_OUT_OF_RANGE', `${source}, line ${line}: more than ${maxRows} data rows; at most ${maxRows} rows can be analyzed`, {
        option: 'file', value: source, expected: `at most ${maxRows} data rows`,
      });
    }
    collector.add(fields, line);
    const held = collector.bytes() + 2 * maxRecord;
    if (held > memoryLimit) {
      throw new SpearsimError('ERR_MEMORY_LIMIT', `memoryLimit ${memoryLimit} bytes cannot hold the columns of ${source}: ${rows} rows need ${held} bytes; raise memoryLimit`, {
        option: 'memoryLimit', value: memoryLimit, expected: `at least ${held} bytes`,
      });
    }
  }, maxRecord);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of readChunks(file, 'csv', options.signal)) parser.push(decoder.write(chunk));
  parser.push(decoder.end());
  parser.end();
  if (!collector) throw malformed(source, 1, 'no header row (the file is empty)');
  return collector.out;
}
