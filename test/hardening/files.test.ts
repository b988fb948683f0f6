// Bounded reads (lib/internal/read-bounded.ts): every file the package reads must be a regular file
// within a size limit, opened without blocking. Each kind of file the package reads is tried with
// /dev/zero, a FIFO without a writer, a directory, a symlink to /dev/zero, a file over its limit and
// a /proc file that reports size 0; the streamed CSV reader applies the row and memory limits while
// it reads, and gives the same table however the text is split into chunks.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/index';
import { CsvParser, parseCsv, readPairedColumns } from '../../lib/csv';
import { SpearsimError } from '../../lib/errors';
import { readJsonCache } from '../../lib/internal/disk-cache';
import { READ_LIMITS, type ReadKind, readTextFile } from '../../lib/internal/read-bounded';
import { mergeShards } from '../../lib/study/shards';
import { captureOutput } from '../helpers/capture';
import { tempDir } from './harness';

let dir: string;
let fifo: string;
const hostile: Record<string, string> = {};

beforeAll(() => {
  dir = tempDir('files');
  fifo = path.join(dir, 'fifo');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero-link'));
  fs.mkdirSync(path.join(dir, 'a-directory'));
  Object.assign(hostile, {
    'the endless device /dev/zero': '/dev/zero',
    'a FIFO with no writer': fifo,
    'a symlink to /dev/zero': path.join(dir, 'zero-link'),
    'a directory': path.join(dir, 'a-directory'),
  });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A sparse file one byte over `bytes` (no disk used). */
function sparse(name: string, bytes: number): string {
  const file = path.join(dir, name);
  const fd = fs.openSync(file, 'w');
  fs.ftruncateSync(fd, bytes + 1);
  fs.closeSync(fd);
  return file;
}

function errorOf(fn: () => unknown): SpearsimError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SpearsimError);
    return e as SpearsimError;
  }
  throw new Error('expected an error');
}

async function cli(argv: string[]): Promise<{ code: number; stderr: string }> {
  const { value: code, stderr } = await captureOutput(() => main(argv));
  return { code, stderr };
}

describe('readTextFile: regular files only, bounded, never blocking', () => {
  it.each(Object.keys(READ_LIMITS) as ReadKind[])('kind %s: every hostile path is a coded ERR_IO at once', (kind) => {
    for (const [what, file] of Object.entries(hostile)) {
      const t0 = performance.now();
      const e = errorOf(() => readTextFile(file, kind));
      expect(e.code, what).toBe('ERR_IO');
      expect(e.message).toContain(file);
      expect(performance.now() - t0).toBeLessThan(2000); // a blocked open() would never return
    }
    const big = sparse(`big-${kind}`, READ_LIMITS[kind]);
    const e = errorOf(() => readTextFile(big, kind));
    expect(e.message).toMatch(new RegExp(`over the ${READ_LIMITS[kind]}-byte limit`));
    fs.rmSync(big);
  });

  it('reads a regular file through a symlink, and stops a file that reports size 0 at the limit', () => {
    const file = path.join(dir, 'ok.json');
    fs.writeFileSync(file, '{"a":1}');
    fs.symlinkSync(file, path.join(dir, 'ok-link'));
    expect(readTextFile(path.join(dir, 'ok-link'), 'config')).toBe('{"a":1}');
    // /proc files are regular and report size 0: what is read still counts
    expect(readTextFile('/proc/self/status', 'runRecord')).toMatch(/Pid:/);
    expect(errorOf(() => readTextFile('/proc/self/status', 'runRecord', 16)).message).toMatch(/larger than the 16-byte limit/);
  });

  it('a missing file is ERR_IO with the errno as the cause', () => {
    const e = errorOf(() => readTextFile(path.join(dir, 'missing'), 'config'));
    expect((e.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

describe('every reader of the package', () => {
  it('--config: /dev/zero, a FIFO, a symlink to /dev/zero, a directory, a file over 1 MiB', async () => {
    for (const file of [...Object.values(hostile), sparse('big-config.json', READ_LIMITS.config)]) {
      const r = await cli(['run', '--config', file]);
      expect(r.code, file).toBe(1);
      expect(r.stderr).toMatch(/\[ERR_IO\].*configuration file/);
    }
  });

  it('analyze: /dev/zero, a FIFO, a symlink to /dev/zero, a directory', async () => {
    for (const file of Object.values(hostile)) {
      const r = await cli(['analyze', file, '--x', '1', '--y', '2']);
      expect(r.code, file).toBe(1);
      expect(r.stderr).toContain('[ERR_IO]');
    }
  });

  it('cache entries: a FIFO, a link to /dev/zero, an oversized entry are a warning and a miss', () => {
    for (const file of [fifo, path.join(dir, 'zero-link'), sparse('big-cache.json', 1000)]) {
      const problems: string[] = [];
      const value = readJsonCache(file, 'null', { task: 'x' }, () => 1, (p) => problems.push(p), 1000);
      expect(value).toBeUndefined();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(file);
    }
  });

  it('merge: a shard results.json that links to /dev/zero, is a FIFO, or is over the limit', () => {
    for (const target of ['/dev/zero', fifo, sparse('big-results.json', READ_LIMITS.results)]) {
      const shard = fs.mkdtempSync(path.join(dir, 'shard-'));
      fs.symlinkSync(target, path.join(shard, 'results.json'));
      const e = errorOf(() => mergeShards([shard], { outputDir: path.join(dir, 'merged'), verbose: 0 }));
      expect(e.code).toBe('ERR_IO');
      expect(e.message).toContain(path.join(shard, 'results.json'));
    }
  });
});

describe('the streamed CSV reader', () => {
  const csvText = fc
    .array(fc.array(fc.oneof(fc.constantFrom('1', '2.5', '', 'NA', ' 3 ', 'a"b', 'x,y', 'line\nbreak', '"q"'), fc.string({ maxLength: 4 })), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 12 })
    .map((rows) => rows.map((r) => r.map((c) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')))
    .chain((lines) => fc.constantFrom('\n', '\r\n', '\r').map((eol) => `\uFEFF${lines.join(eol)}${eol}`));

  it('gives the same records however the text is split into pieces (quotes, CRLF and the BOM straddling pieces)', () => {
    fc.assert(
      fc.property(csvText, fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }), (text, cuts) => {
        let whole: unknown;
        try {
          const t = parseCsv(text);
          whole = [t.header, t.rows, t.lines];
        } catch (e) {
          whole = (e as Error).message;
        }
        const records: Array<{ fields: string[]; line: number }> = [];
        let pieces: unknown;
        try {
          const parser = new CsvParser('CSV input', undefined, (fields, line) => records.push({ fields, line }), Infinity);
          const points = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
          let at = 0;
          for (const p of [...points, text.length]) {
            parser.push(text.slice(at, p));
            at = p;
          }
          parser.end();
          const [head, ...data] = records;
          if (!head) throw new Error('no header');
          pieces = data.some((r) => r.fields.length !== head.fields.length) ? 'ragged' : [head.fields, data.map((r) => r.fields), data.map((r) => r.line)];
        } catch (e) {
          pieces = (e as Error).message;
        }
        if (typeof whole === 'string') expect(typeof pieces).toBe('string');
        else expect(pieces).toEqual(whole);
      }),
      { numRuns: 400 },
    );
  });

  it('stops at the 200 000-row limit while reading, naming the line', async () => {
    const file = path.join(dir, 'rows.csv');
    fs.writeFileSync(file, `a,b\n${'1,2\n'.repeat(200001)}${'x'.repeat(100)}`); // the tail is never parsed
    const e = await readPairedColumns(file, 'a', 'b').catch((err: unknown) => err as SpearsimError);
    expect(e).toBeInstanceOf(SpearsimError);
    expect((e as SpearsimError).code).toBe('ERR_OUT_OF_RANGE');
    expect((e as SpearsimError).message).toMatch(/line 200002: more than 200000 data rows/);
    const ok = await readPairedColumns(file, 'a', 'b', { maxRows: 300000 }).catch((err: unknown) => err as SpearsimError);
    expect((ok as SpearsimError).message).toMatch(/2 fields|1 fields/); // the tail line is ragged
  });

  it('a record longer than the memory allows is an error, not an allocation', async () => {
    const file = path.join(dir, 'long.csv');
    fs.writeFileSync(file, `a,b\n1,${'9'.repeat(3 << 20)}\n`);
    const e = (await readPairedColumns(file, 'a', 'b').catch((err: unknown) => err)) as SpearsimError;
    expect(e.code).toBe('ERR_INVALID_TYPE');
    expect(e.message).toMatch(/line 2: a record longer than 1048576 characters/);
    const small = (await readPairedColumns(file, 'a', 'b', { memoryLimit: 64 * 1024 }).catch((err: unknown) => err)) as SpearsimError;
    expect(small.message).toMatch(/a record longer than 8192 characters/);
    // the columns themselves count against the memory limit
    const rows = path.join(dir, 'many.csv');
    fs.writeFileSync(rows, `a,b\n${'1,2\n'.repeat(5000)}`);
    const tight = (await readPairedColumns(rows, 'a', 'b', { memoryLimit: 32 * 1024 }).catch((err: unknown) => err)) as SpearsimError;
    expect(tight.code).toBe('ERR_MEMORY_LIMIT');
  });

  it('a 50 MB CSV is parsed in bounded memory (RSS, child process)', () => {
    const file = path.join(dir, 'wide.csv');
    const line = `1,2,${'z'.repeat(330)}\n`; // 150 000 rows of 336 bytes
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, 'a,b,text\n');
    const block = line.repeat(1000);
    for (let i = 0; i < 150; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    expect(fs.statSync(file).size).toBeGreaterThan(50e6);
    const script = `
      const { readPairedColumns } = require(${JSON.stringify(path.resolve('dist/csv.js'))});
      const before = process.memoryUsage.rss();
      readPairedColumns(${JSON.stringify(file)}, 'a', 'b', { memoryLimit: 16 * 1024 * 1024 }).then((p) => {
        console.log(JSON.stringify({ n: p.x.length, before, peak: process.resourceUsage().maxRSS * 1024 }));
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 });
    expect(r.status, r.stderr).toBe(0);
    const { n, before, peak } = JSON.parse(r.stdout) as { n: number; before: number; peak: number };
    expect(n).toBe(150000);
    // whole-file parsing held the text and every row (several hundred MB); streaming holds a chunk,
    // a record and two columns of doubles, plus garbage the collector has not yet reclaimed
    expect(peak - before).toBeLessThan(96 * 1024 * 1024);
  }, 90000);
});
