import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { CsvSplitter, parseCsvCell, readCsv } from '../../src/core/ingest/csvReader';
import { readJsonArray } from '../../src/core/ingest/jsonArrayReader';
import type { ReadEvent, RecordReader, ReaderOptions } from '../../src/core/ingest/readerTypes';
import { toCsv, toJsonArray } from '../../src/core/sample/exportFormats';
import { generateSample } from '../../src/core/sample/generateSample';

const repo = path.resolve(__dirname, '..', '..', '..');
const REGENERATE =
  'after changing the generator or the writers, regenerate the fixtures: node esbuild.mjs && AUDITLENS_UPDATE_FIXTURES=1 npx mocha out/test/unit/exportFormats.test.js';

function tmpFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-unit-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function readAll(reader: RecordReader, file: string, options?: ReaderOptions): Promise<ReadEvent[]> {
  const out: ReadEvent[] = [];
  for await (const ev of reader(file, options)) out.push(ev);
  return out;
}

/** The values, asserting there is nothing but values. */
function onlyValues(events: ReadEvent[]): unknown[] {
  const other = events.filter((e) => e.kind !== 'value');
  assert.deepEqual(other, [], 'no skipped or blank rows');
  return events.map((e) => (e as { value: unknown }).value);
}

/** Every string that toCsv would write as a cell of its own (outside arrays), with its dotted key. */
function csvStrings(value: unknown, key: string, out: [string, string][]): void {
  if (typeof value === 'string') out.push([key, value]);
  else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) csvStrings(v, key === '' ? k : `${key}.${k}`, out);
  }
}

describe('export formats', () => {
  const records = generateSample();
  const rows = records as unknown as Record<string, unknown>[];

  it('writes a two-space indented JSON array with a final newline', () => {
    assert.equal(toJsonArray([{ a: 1 }, { b: [1] }]), '[\n  {\n    "a": 1\n  },\n  {\n    "b": [\n      1\n    ]\n  }\n]\n');
    assert.equal(toJsonArray([]), '[]\n');
  });

  it('writes CSV: union header in first-seen order, dotted nesting, JSON arrays, quoting, null, absent cells, CRLF', () => {
    const csv = toCsv([
      { id: 1, usage: { in: 2, out: { n: 3 } }, tags: ['a', 'b,c'], note: 'plain' },
      { id: 2, note: 'has, comma', extra: null, usage: { in: 4 } },
      { id: 3, note: 'say "hi"\nbye', flag: false, empty: {}, list: [{ x: 1 }], pad: ' x ', undef: undefined },
    ]);
    assert.equal(
      csv,
      [
        'id,usage.in,usage.out.n,tags,note,extra,flag,empty,list,pad',
        '1,2,3,"[""a"",""b,c""]",plain,,,,,',
        '2,4,,,"has, comma",null,,,,',
        '3,,,,"say ""hi""\nbye",,false,{},"[{""x"":1}]"," x "',
        '',
      ].join('\r\n'),
    );
    assert.equal(toCsv([]), '');
  });

  it('the sample has no string that CSV would read back as something else', () => {
    const strings: [string, string][] = [];
    for (const r of records) csvStrings(r, '', strings);
    assert.ok(strings.length > 1000);
    const ambiguous = strings.filter(([, s]) => parseCsvCell(s) !== s);
    assert.deepEqual(ambiguous, [], 'strings that look like numbers, booleans, null, JSON or are empty');
    for (const [key] of strings) assert.ok(!key.split('.').some((k) => k === ''), key);
  });

  for (const gzip of [false, true]) {
    const how = gzip ? 'gzip-compressed' : 'plain';

    it(`round-trips the whole sample through a ${how} JSON array`, async () => {
      const text = toJsonArray(records);
      const file = tmpFile('sample.audit.json', gzip ? zlib.gzipSync(text) : text);
      const events = await readAll(readJsonArray, file, { chunkBytes: 64 * 1024 });
      assert.deepEqual(onlyValues(events), records);
      const bytes = Buffer.from(text, 'utf8');
      for (const e of events) {
        assert.deepEqual(JSON.parse(bytes.subarray(e.loc.byteOffset, e.loc.byteOffset + e.loc.byteLength).toString('utf8')), (e as { value: unknown }).value);
        assert.equal(e.loc.line, bytes.subarray(0, e.loc.byteOffset).toString('utf8').split('\n').length);
      }
    });

    it(`round-trips the whole sample through ${how} CSV`, async () => {
      const text = toCsv(rows);
      const file = tmpFile('sample.audit.csv', gzip ? zlib.gzipSync(text) : text);
      const events = await readAll(readCsv, file, { chunkBytes: 64 * 1024 });
      assert.deepEqual(onlyValues(events), records);
      const bytes = Buffer.from(text, 'utf8');
      const header = text.slice(0, text.indexOf('\r\n'));
      for (const e of events) {
        const row = bytes.subarray(e.loc.byteOffset, e.loc.byteOffset + e.loc.byteLength).toString('utf8');
        // The row's bytes alone, under the header, read as the same record.
        const splitter = new CsvSplitter();
        const again = [...splitter.push(Buffer.from(`${header}\r\n${row}`, 'utf8')), ...splitter.end()];
        assert.deepEqual(onlyValues(again), [(e as { value: unknown }).value]);
      }
    });
  }

  it('the committed fixtures are the current generator output, and read back as the sample', async () => {
    const jsonFile = path.join(repo, 'test', 'fixtures', 'sample.audit.json');
    const csvFile = path.join(repo, 'test', 'fixtures', 'sample.audit.csv');
    if (process.env.AUDITLENS_UPDATE_FIXTURES === '1') {
      fs.writeFileSync(jsonFile, toJsonArray(records));
      fs.writeFileSync(csvFile, toCsv(rows));
    }
    assert.equal(fs.readFileSync(jsonFile, 'utf8'), toJsonArray(records), REGENERATE);
    assert.equal(fs.readFileSync(csvFile, 'utf8'), toCsv(rows), REGENERATE);
    assert.deepEqual(onlyValues(await readAll(readJsonArray, jsonFile)), records);
    assert.deepEqual(onlyValues(await readAll(readCsv, csvFile)), records);
  });
});
