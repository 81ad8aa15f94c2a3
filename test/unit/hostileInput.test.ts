// Hostile exports through the whole load pipeline (reader → mapValue → sql.js store): JSON nested 100,000 levels
// deep as a JSON Lines record, a CSV cell, a JSON array element and a whole JSON document; truncated and corrupt
// gzip; byte-order marks where files were concatenated; prototype-pollution keys; millions of skipped lines' worth
// of bookkeeping. Whatever the bad value, the load finishes, nothing escapes as an exception, the counts add up and
// every valid neighbour is loaded at its line.
import * as assert from 'node:assert/strict';
import path from 'node:path';
import zlib from 'node:zlib';
import { readCsv } from '../../src/core/ingest/csvReader';
import { readJsonArray } from '../../src/core/ingest/jsonArrayReader';
import { readJsonl } from '../../src/core/ingest/jsonlReader';
import { DEFAULT_SKIPPED_LISTED, DEFAULT_SKIPPED_STORED, loadSources, type LoadOptions } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import { readEventBack } from '../../src/core/store/readBack';
import type { LoadSummary } from '../../src/shared/protocol';
import { assertSaneLocs, readAll, tmpFile } from '../stress/support';

const repo = path.resolve(__dirname, '..', '..', '..');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');

const DEPTH = 100_000;
const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const deepObject = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);
const deepAnyValue = '{"kvlistValue":{"values":[{"key":"k","value":'.repeat(DEPTH) + '{"stringValue":"x"}' + '}]}}'.repeat(DEPTH);

/** A record of the project's own format, numbered so it can be found after the load. */
const rec = (n: number) => JSON.stringify({ schema: 'auditlens/1', seq: n, id: `r${n}`, ts: '2026-11-02T08:00:00.000Z', type: 'llm.call', model: 'gpt-4o-mini', usage: { input_tokens: n, output_tokens: 1 } });

/** An OTLP span whose one attribute is nested 100,000 levels deep; its other attributes must survive. */
const deepSpan =
  '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeSpans":[{"spans":[{"name":"chat",' +
  '"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","startTimeUnixNano":"1762070400000000000","endTimeUnixNano":"1762070401000000000",' +
  `"attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"deep-model"}},{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"deep","value":${deepAnyValue}}]}]}]}]}`;

async function load(paths: string[], options: LoadOptions = {}) {
  const db = await openDatabase(wasm);
  const { store, summary } = await loadSources(db, paths, options);
  const q = (sql: string) => store.query(sql).rows;
  return { db, store, summary, q };
}

/** JSON Lines: lines = records + skipped + blank, for every file and in all. (For CSV and JSON arrays `lines` is
 *  the line of the last row or element, which also counts the header and multi-line values.) */
function assertCountsAddUp(summary: LoadSummary): void {
  for (const f of summary.files) if (f.format === 'jsonl') assert.equal(f.lines, f.records + f.skipped + f.blankLines, `${f.fileName}: lines = records + skipped + blank`);
  if (summary.files.every((f) => f.format === 'jsonl')) assert.equal(summary.lines, summary.records + summary.skipped + summary.blankLines);
}

describe('hostile input: JSON nested 100,000 levels deep', function () {
  this.timeout(60_000);

  it('as JSON Lines records: no stack overflow escapes, the deep values are skipped or mapped, every neighbour loads at its line', async () => {
    const lines = [rec(1), deepArray, rec(3), deepObject, rec(5), `{"schema":"auditlens/1","type":"llm.call","seq":6,"metadata":${deepObject}}`, deepSpan, rec(8)];
    const { db, summary, q } = await load([tmpFile('deep.jsonl', lines.join('\n') + '\n')]);
    assertCountsAddUp(summary);
    assert.equal(summary.lines, 8);
    assert.deepEqual(
      summary.skippedLines.map((s) => [s.line, s.reason]),
      [[2, 'not a JSON object (found an array)']],
    );
    assert.deepEqual(q('SELECT DISTINCT line FROM events ORDER BY line').map((r) => r[0]), [1, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(q("SELECT request_model, service FROM events WHERE line = 7"), [['deep-model', 'svc']], 'the span keeps its other attributes');
    assert.deepEqual(q('SELECT seq FROM events WHERE seq IS NOT NULL ORDER BY line').map((r) => r[0]), [1, 3, 5, 6, 8]);
    db.close();
  });

  it('in a CSV cell, a JSON array element and a whole JSON document: read and loaded without a crash', async () => {
    const csvCell = (json: string) => `"${json.replace(/"/g, '""')}"`;
    const csv = ['schema,seq,type,metadata', `auditlens/1,1,llm.call,x`, `auditlens/1,2,llm.call,${csvCell(deepArray)}`, `auditlens/1,3,llm.call,${csvCell(deepObject)}`, 'auditlens/1,4,llm.call,y'].join('\r\n');
    const csvFile = tmpFile('deep.csv', csv);
    const csvEvents = await readAll(readCsv, csvFile);
    assert.deepEqual(csvEvents.map((e) => [e.kind, e.loc.line]), [['value', 2], ['value', 3], ['value', 4], ['value', 5]]);

    const array = `[${rec(1)},\n${deepArray},\n${deepObject},\n${rec(4)}]`;
    const arrayFile = tmpFile('deep.json', array);
    const arrayEvents = await readAll(readJsonArray, arrayFile);
    assertSaneLocs(arrayEvents, Buffer.from(array));
    assert.deepEqual(arrayEvents.map((e) => [e.kind, e.loc.line]), [['value', 1], ['skip', 2], ['value', 3], ['value', 4]]);

    const docFile = tmpFile('deep-doc.json', `{"schema":"auditlens/1","type":"llm.call","seq":1,\n"metadata":${deepObject}}`);
    for (const [file, records, skipped] of [[csvFile, 4, 0], [arrayFile, 3, 1], [docFile, 1, 0]] as const) {
      const { db, summary } = await load([file], file === docFile ? { format: 'json-document' } : {});
      assertCountsAddUp(summary);
      assert.equal(summary.records, records, path.basename(file));
      assert.equal(summary.skipped, skipped, path.basename(file));
      db.close();
    }
  });

  it('reading a deep record back (the event detail) answers or fails with a message, never crashes', async () => {
    const file = tmpFile('deep-back.jsonl', [rec(1), `{"schema":"auditlens/1","type":"llm.call","seq":2,"metadata":${deepObject}}`].join('\n'));
    const { db, store, summary } = await load([file]);
    const f = summary.files[0];
    for (const rowid of [1, 2]) {
      const loc = store.location(rowid)!;
      const back = await readEventBack({ path: f.path, format: f.format, compressed: f.compressed }, loc);
      assert.equal(back.event.seq, rowid, 'a plain JSON Lines record is read back from its byte range');
    }
    db.close();
    // CSV is read back by reading the file again and showing the value as JSON: too deep to show is an error
    // with a message (the worker answers "failed"), not a crash.
    const csv = tmpFile('deep-back.csv', `schema,seq,type,metadata\nauditlens/1,1,llm.call,"${deepObject.replace(/"/g, '""')}"\n`);
    const loaded = await load([csv]);
    const c = loaded.summary.files[0];
    const back = await readEventBack({ path: c.path, format: c.format, compressed: c.compressed }, loaded.store.location(1)!).catch((err: Error) => err);
    if (back instanceof Error) assert.match(back.message, /call stack/);
    else assert.equal(back.event.seq, 1);
    loaded.db.close();
  });
});

describe('hostile input: gzip that is truncated or corrupt', function () {
  this.timeout(60_000);
  const content = Array.from({ length: 2000 }, (_, i) => rec(i + 1)).join('\n') + '\n';
  const gz = zlib.gzipSync(content);

  it('a truncated .gz loads every record before the cut, then one skip that says the gzip data ends there', async () => {
    const { db, summary, q } = await load([tmpFile('cut.jsonl.gz', gz.subarray(0, Math.floor(gz.length / 2)))]);
    assertCountsAddUp(summary);
    assert.ok(summary.records > 100, `records before the cut are kept (${summary.records})`);
    assert.equal(summary.skipped, 1);
    assert.match(summary.skippedLines[0].reason, /gzip data is corrupt or truncated here \(unexpected end of file\)/);
    assert.equal(summary.skippedLines[0].line, summary.records + 1);
    const seqs = q('SELECT seq FROM events ORDER BY rowid').map((r) => r[0]);
    assert.deepEqual(seqs, Array.from({ length: summary.records }, (_, i) => i + 1), 'the records before the cut, in order');
    db.close();
  });

  it('gzip magic followed by junk, or a flipped CRC, is one skip with the reason, never a failed load', async () => {
    const junk = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not really gzip\n{"a":1}\n')]);
    const badCrc = Buffer.from(gz);
    badCrc[badCrc.length - 6] ^= 0xff; // the stored CRC-32 no longer matches
    for (const [name, bytes, formats] of [
      ['junk.jsonl.gz', junk, ['jsonl', 'json-array', 'csv', 'json-document']],
      ['crc.jsonl.gz', badCrc, ['jsonl', 'json-document']], // (read as an array or CSV it stops earlier, for other reasons)
    ] as const) {
      for (const format of formats) {
        const { db, summary } = await load([tmpFile(name, bytes)], { format });
        assert.ok(summary.skipped >= 1, `${name} as ${format}`);
        assert.match(summary.skippedLines[summary.skippedLines.length - 1].reason, /gzip data is corrupt or truncated/);
        db.close();
      }
    }
  });
});

describe('hostile input: what concatenated, mixed and malicious files do', function () {
  this.timeout(60_000);

  it('JSON Lines files concatenated with their byte-order marks: every record loads', async () => {
    const part = (a: number, b: number) => '\ufeff' + [rec(a), rec(b)].join('\r\n') + '\r\n';
    const { db, summary, q } = await load([tmpFile('cat.jsonl', part(1, 2) + part(3, 4) + part(5, 6))]);
    assert.equal(summary.records, 6);
    assert.equal(summary.skipped, 0);
    assert.deepEqual(q('SELECT seq, line FROM events ORDER BY rowid'), [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6]]);
    db.close();
  });

  it('NUL bytes, lone surrogates, huge numbers, binary garbage and CRLF/LF mixes: counts add up, valid records intact', async () => {
    const lines = [
      rec(1), '\u0000\u0000\u0000', rec(2).replace('gpt-4o-mini', 'a\\ud800b'), '{"schema":"auditlens/1","type":"llm.call","seq":3,"usage":{"input_tokens":1e999}}',
      '{"schema":"auditlens/1","type":"llm.call","seq":4,"latency_ms":1e20,"ts":"2026-11-02T08:00:00Z"}', '{"a":"\u0000"}', '   ', rec(5).slice(0, 40),
      '{"schema":"auditlens/1","type":"llm.call","seq":6,"ts":"99999-99-99"}',
    ];
    const bytes = Buffer.concat([
      Buffer.from(lines.slice(0, 4).join('\r\n') + '\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0xed, 0xa0, 0x80, 0x0d, 0x0a]),
      Buffer.from(lines.slice(4).join('\n')),
    ]);
    const { db, summary, q } = await load([tmpFile('mixed.jsonl', bytes)]);
    assertCountsAddUp(summary);
    assert.equal(summary.lines, 10);
    assert.deepEqual(q('SELECT seq, line FROM events ORDER BY rowid'), [[1, 1], [2, 3], [3, 4], [4, 6], [6, 10]]);
    // The record loads; SQLite stores text as UTF-8, where a lone surrogate has no encoding: it becomes U+FFFD.
    assert.match(String(q('SELECT request_model FROM events WHERE seq = 2')[0][0]), /^a\ufffd+b$/);
    assert.deepEqual(q('SELECT input_tokens FROM events WHERE seq = 3'), [[null]], 'an infinite token count is no count');
    assert.deepEqual(q('SELECT latency_ms, end_ts FROM events WHERE seq = 4'), [[1e20, null]], 'a latency past the Date range leaves no end time, and the record loads');
    db.close();
  });

  it('prototype-pollution keys in JSON Lines, CSV headers and OTLP attributes change no prototype', async () => {
    const jsonl = tmpFile('proto.jsonl', ['{"__proto__":{"polluted":1},"schema":"auditlens/1","type":"llm.call"}', '{"constructor":{"prototype":{"polluted":1}}}', rec(3)].join('\n'));
    const csv = tmpFile('proto.csv', '__proto__.polluted,constructor.prototype.polluted,__proto__,schema\n1,2,3,auditlens/1\n');
    const otlp = tmpFile('proto.otlp.jsonl', deepSpan.replace('"key":"deep"', '"key":"__proto__"'));
    for (const file of [jsonl, csv, otlp]) {
      const { db, summary } = await load([file]);
      assert.equal(summary.skipped, 0, path.basename(file));
      db.close();
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  });

  it('a minified JSON array with many bad elements on one line lists each of them, not just the last', async () => {
    const array = '[' + Array.from({ length: 50 }, (_, i) => (i % 2 ? rec(i) : String(i))).join(',') + ']';
    const { db, summary } = await load([tmpFile('min.json', array)]);
    assert.equal(summary.records, 25);
    assert.equal(summary.skipped, 25);
    assert.equal(summary.skippedLines.length, 25);
    assert.ok(summary.skippedLines.every((s) => s.line === 1 && /not a JSON object/.test(s.reason)));
    db.close();
  });
});

describe('hostile input: skipped lines cost a counter, not an ever-growing table', function () {
  this.timeout(60_000);

  it(`counts every skipped line, stores the first ${DEFAULT_SKIPPED_STORED}, lists the first ${DEFAULT_SKIPPED_LISTED} in file order`, async () => {
    const n = 25_000;
    const file = tmpFile('bad.jsonl', Array.from({ length: n }, (_, i) => (i % 1000 === 999 ? rec(i) : `bad ${i}`)).join('\n') + '\n');
    const { db, summary, q } = await load([file]);
    assertCountsAddUp(summary);
    assert.equal(summary.records, 25);
    assert.equal(summary.skipped, n - 25, 'every skipped line is counted');
    assert.equal(summary.files[0].skipped, n - 25);
    assert.deepEqual(q('SELECT count(*) FROM skipped_lines'), [[DEFAULT_SKIPPED_STORED]]);
    assert.equal(summary.skippedLines.length, DEFAULT_SKIPPED_LISTED);
    assert.deepEqual(summary.skippedLines.slice(0, 3).map((s) => s.line), [1, 2, 3]);
    assert.deepEqual(q('SELECT max(line) FROM skipped_lines'), [[DEFAULT_SKIPPED_STORED + Math.floor(DEFAULT_SKIPPED_STORED / 1000)]]);
    db.close();

    // Asking for a longer list stores at least that many.
    const more = await load([file], { maxSkippedListed: 20_000 });
    assert.equal(more.summary.skippedLines.length, 20_000);
    assert.equal(more.summary.skipped, n - 25);
    more.db.close();
  });
});

describe('hostile input: JSON Lines counts for a file of only separators', () => {
  it('CR, LF, CRLF and blank runs: one event per line, numbered in order', async () => {
    const content = '\n\r\n\r\r\n \n\t\r\n' + '\n'.repeat(100);
    const events = await readAll(readJsonl, tmpFile('seps.jsonl', content));
    assertSaneLocs(events, Buffer.from(content));
    assert.equal(events.length, 105);
    assert.deepEqual(events.map((e) => e.loc.line), Array.from({ length: 105 }, (_, i) => i + 1));
    assert.ok(events.every((e) => e.kind === 'blank'), 'CR and whitespace-only lines are blank');
  });
});

