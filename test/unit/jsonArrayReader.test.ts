import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { JsonArraySplitter, readJsonArray } from '../../src/core/ingest/jsonArrayReader';
import type { ReadEvent, ReaderOptions } from '../../src/core/ingest/readerTypes';

function tmpFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-unit-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function read(content: string | Buffer, options?: ReaderOptions): Promise<ReadEvent[]> {
  const out: ReadEvent[] = [];
  for await (const ev of readJsonArray(tmpFile('a.json', content), options)) out.push(ev);
  return out;
}

/** Feeds the content to a splitter in chunks of `size` bytes. */
function split(content: Buffer, size: number, max?: number): ReadEvent[] {
  const s = new JsonArraySplitter(max);
  const out: ReadEvent[] = [];
  for (let i = 0; i < content.length && !s.stopped; i += size) out.push(...s.push(content.subarray(i, i + size)));
  out.push(...s.end());
  return out;
}

/** A compact view of events for deepEqual: [kind, line, value or reason]. */
function brief(events: ReadEvent[]): unknown[] {
  return events.map((e) => (e.kind === 'value' ? ['value', e.loc.line, e.value] : e.kind === 'skip' ? ['skip', e.loc.line, e.reason] : ['blank', e.loc.line]));
}

/** Every value's loc covers exactly its element: the bytes parse back to it, and the line is where they start. */
function assertLocs(content: Buffer, events: ReadEvent[]): void {
  for (const e of events) {
    if (e.kind !== 'value') continue;
    const bytes = content.subarray(e.loc.byteOffset, e.loc.byteOffset + e.loc.byteLength);
    assert.deepEqual(JSON.parse(bytes.toString('utf8')), e.value);
    let line = 1;
    for (let i = content.indexOf(0x0a); i !== -1 && i < e.loc.byteOffset; i = content.indexOf(0x0a, i + 1)) line++;
    assert.equal(e.loc.line, line);
  }
}

describe('readJsonArray', () => {
  it('reads a pretty-printed array with a BOM and CRLF line ends, with each element’s line and bytes', async () => {
    const content = Buffer.from('\ufeff[\r\n  {"a": 1},\r\n  {\r\n    "b": "x"\r\n  }\r\n]\r\n', 'utf8');
    const events = await read(content);
    assert.deepEqual(brief(events), [
      ['value', 2, { a: 1 }],
      ['value', 3, { b: 'x' }],
    ]);
    assert.deepEqual(
      events.map((e) => [e.loc.byteOffset, e.loc.byteLength]),
      [
        [8, 8],
        [21, 20],
      ],
    );
    assertLocs(content, events);
  });

  it('reads a gzip-compressed file like the plain one', async () => {
    const content = '[' + Array.from({ length: 500 }, (_, i) => JSON.stringify({ i, t: 'ü€'.repeat(i % 5) })).join(',\n') + ']';
    const plain = await read(content, { chunkBytes: 100 });
    assert.equal(plain.length, 500);
    assert.deepEqual(await read(zlib.gzipSync(content), { chunkBytes: 100 }), plain);
    assertLocs(Buffer.from(content), plain);
  });

  it('skips bad elements with their reason and keeps the valid neighbours', async () => {
    const content = '[\n{"a":1},\n{"b":},\n42,\n"s",\nnull,\n[1, 2],\n{"c":3} {"d":4},\n{"e":5}\n]\n';
    const events = await read(content);
    assert.deepEqual(
      events.map((e) => [e.kind, e.loc.line]),
      [
        ['value', 2],
        ['skip', 3],
        ['skip', 4],
        ['skip', 5],
        ['skip', 6],
        ['skip', 7],
        ['skip', 8],
        ['value', 9],
      ],
    );
    const reasons = events.map((e) => (e.kind === 'skip' ? e.reason : ''));
    assert.match(reasons[1], /^invalid JSON: /);
    assert.equal(reasons[2], 'not a JSON object (found a number)');
    assert.equal(reasons[3], 'not a JSON object (found a string)');
    assert.equal(reasons[4], 'not a JSON object (found null)');
    assert.equal(reasons[5], 'not a JSON object (found an array)');
    assert.match(reasons[6], /^invalid JSON: /, 'two values without a comma are one bad element');
    assert.deepEqual((events[7] as { value: unknown }).value, { e: 5 });
    // A skipped element's loc covers its own text too.
    const bytes = Buffer.from(content);
    assert.equal(bytes.subarray(events[1].loc.byteOffset, events[1].loc.byteOffset + events[1].loc.byteLength).toString(), '{"b":}');
  });

  it('counts lines inside an element that has raw newlines in a string, for the elements after it', async () => {
    const content = '[\n{"a":"x\n\ny"},\n{"b":"\n"},\n{"c":1}]';
    for (const size of [1, 2, 3, content.length]) {
      assert.deepEqual(
        split(Buffer.from(content), size).map((e) => [e.kind, e.loc.line]),
        [
          ['skip', 2],
          ['skip', 5],
          ['value', 7],
        ],
      );
    }
  });

  it('reports a missing value between commas and a trailing comma', async () => {
    assert.deepEqual(brief(await read('[{"a":1},,\n{"b":2},\n]')), [
      ['value', 1, { a: 1 }],
      ['skip', 1, 'invalid JSON: missing value between two commas'],
      ['value', 2, { b: 2 }],
      ['skip', 2, 'invalid JSON: trailing comma before the closing "]"'],
    ]);
    assert.deepEqual(brief(await read('[,{"a":1}]')), [
      ['skip', 1, 'invalid JSON: comma right after the opening "["'],
      ['value', 1, { a: 1 }],
    ]);
  });

  it('reports a truncated file: the partial last element, or the missing "]"', async () => {
    const cut = await read('[\n{"a":1},\n{"b":"unterminated');
    assert.deepEqual(brief(cut), [
      ['value', 2, { a: 1 }],
      ['skip', 3, 'truncated: the file ends inside this element (the array is not closed)'],
    ]);
    assert.deepEqual([cut[1].loc.byteOffset, cut[1].loc.byteLength], [11, '{"b":"unterminated'.length]);
    assert.deepEqual(brief(await read('[{"a":1},{"b":{"c":2}')), [
      ['value', 1, { a: 1 }],
      ['skip', 1, 'truncated: the file ends inside this element (the array is not closed)'],
    ]);
    // Cut right after a complete element or after a comma: everything is read, and the missing "]" reported.
    for (const text of ['[{"a":1}', '[{"a":1},\n', '[{"a":1}\n']) {
      const events = await read(text);
      assert.deepEqual(brief(events), [
        ['value', 1, { a: 1 }],
        ['skip', text.endsWith('\n') ? 2 : 1, 'truncated: the file ends before the array is closed (missing "]")'],
      ]);
      assert.deepEqual(events[1].loc, { line: text.endsWith('\n') ? 2 : 1, byteOffset: text.length, byteLength: 0 });
    }
    assert.deepEqual(brief(await read('[')), [['skip', 1, 'truncated: the file ends before the array is closed (missing "]")']]);
  });

  it('reports content that is not an array with one skip at line 1, and stops', async () => {
    for (const text of ['{"a":1}\n{"b":2}\n', 'id,name\n1,x\n', '"[1]"']) {
      const events = await read(text);
      assert.equal(events.length, 1, text);
      assert.equal(events[0].kind, 'skip');
      assert.equal(events[0].loc.line, 1);
      assert.equal(events[0].loc.byteOffset, 0);
      assert.match((events[0] as { reason: string }).reason, /^not a JSON array: the content starts with "." instead of "\["/);
    }
    const binary = await read(Buffer.from([0x00, 0x01, 0x5b]));
    assert.match((binary[0] as { reason: string }).reason, /^not a JSON array: the content starts with byte 0x00 instead/);
    const badBom = await read(Buffer.from([0xef, 0xbb, 0x5b, 0x5d]));
    assert.match((badBom[0] as { reason: string }).reason, /^not a JSON array: the content starts with byte 0xEF instead/);
  });

  it('reports trailing content after the closing "]" once, after the elements', async () => {
    const events = await read('[{"a":1}]\n\n  xyz [{"b":2}] \n');
    assert.deepEqual(brief(events), [
      ['value', 1, { a: 1 }],
      ['skip', 3, 'unexpected content after the closing "]" of the array'],
    ]);
    assert.deepEqual([events[1].loc.byteOffset, events[1].loc.byteLength], [13, 13]);
  });

  it('yields nothing for an empty array, an empty file and a whitespace-only file', async () => {
    for (const text of ['[]', '  [ \n ]  \n', '\ufeff[]\r\n', '', '\n \r\n\t', '\ufeff']) {
      assert.deepEqual(await read(text), [], JSON.stringify(text));
    }
  });

  it('finds the same elements whatever the chunk boundaries (strings, escapes, multi-byte characters)', async () => {
    const records = [
      { s: 'quote " and backslash \\ and \\" both', t: ']},{[' },
      { s: '\\', u: '\\\\"', e: '' },
      { emoji: 'héllo € 😀 ünïcödé', nested: [{ a: [1, [2, { b: '"]' }]] }, {}] },
      { esc: '\n\t\u0001 line\\nbreak', n: -1.5e-7, b: true, z: null },
    ];
    const content = Buffer.from('\ufeff[\n' + records.map((r) => '  ' + JSON.stringify(r)).join(',\r\n') + '\n]\n', 'utf8');
    const whole = split(content, content.length);
    assert.deepEqual(
      whole.map((e) => (e.kind === 'value' ? e.value : e)),
      records,
    );
    assertLocs(content, whole);
    for (let size = 1; size <= 17; size++) assert.deepEqual(split(content, size), whole, `chunks of ${size} bytes`);
    assert.deepEqual(await read(content, { chunkBytes: 7 }), whole);
  });

  it('skips an element over maxValueBytes without keeping it, and reads the next one', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(5 * 1024 * 1024) });
    const content = `[\n{"a":1},\n${big},\n{"b":2}\n]`;
    const events = await read(content, { maxValueBytes: 1024 * 1024, chunkBytes: 64 * 1024 });
    assert.deepEqual(brief(events), [
      ['value', 2, { a: 1 }],
      ['skip', 3, `element is ${big.length} bytes, over the limit of 1048576 bytes per value`],
      ['value', 4, { b: 2 }],
    ]);
    assert.deepEqual([events[1].loc.byteOffset, events[1].loc.byteLength], [11, big.length]);
    // An element exactly at the limit is read; trailing whitespace after it does not count.
    const exact = JSON.stringify({ s: 'y'.repeat(100) });
    const atLimit = split(Buffer.from(`[${exact}${' '.repeat(50)}]`), 16, exact.length);
    assert.deepEqual(brief(atLimit), [['value', 1, JSON.parse(exact)]]);
    assert.equal(split(Buffer.from(`[${exact}]`), 16, exact.length - 1)[0].kind, 'skip');
  });

  it('reports progress in bytes read from disk', async () => {
    const file = tmpFile('p.json', '[' + '{"a":1},'.repeat(10_000) + '{}]');
    let last = 0;
    for await (const _ of readJsonArray(file, { chunkBytes: 4096, onProgress: (n) => (last = n) })) {
      /* drain */
    }
    assert.equal(last, fs.statSync(file).size);
  });
});
