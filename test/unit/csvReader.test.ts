import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { CsvSplitter, parseCsvCell, readCsv, splitCsvRow } from '../../src/core/ingest/csvReader';
import type { ReadEvent, ReaderOptions } from '../../src/core/ingest/readerTypes';

function tmpFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-unit-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function read(content: string | Buffer, options?: ReaderOptions): Promise<ReadEvent[]> {
  const out: ReadEvent[] = [];
  for await (const ev of readCsv(tmpFile('a.csv', content), options)) out.push(ev);
  return out;
}

/** Feeds the content to a splitter in chunks of `size` bytes. */
function split(content: Buffer, size: number, max?: number): ReadEvent[] {
  const s = new CsvSplitter(max);
  const out: ReadEvent[] = [];
  for (let i = 0; i < content.length && !s.stopped; i += size) out.push(...s.push(content.subarray(i, i + size)));
  out.push(...s.end());
  return out;
}

function brief(events: ReadEvent[]): unknown[] {
  return events.map((e) => (e.kind === 'value' ? ['value', e.loc.line, e.value] : e.kind === 'skip' ? ['skip', e.loc.line, e.reason] : ['blank', e.loc.line]));
}

const values = (events: ReadEvent[]) => events.map((e) => (e.kind === 'value' ? e.value : e));

describe('readCsv', () => {
  it('turns rows into typed, nested records', async () => {
    const csv = [
      'id,usage.input_tokens,usage.output_tokens,ok,note,tags,code,meta',
      'evt_1,12,3,true,hello,"[""a"",""b""]",007,"{""k"":null}"',
      'evt_2,,0,false,null,[1,2',
      'evt_3,-1.5,1e+21,TRUE,1.50,{not json},,',
      '',
    ].join('\n');
    assert.deepEqual(brief(await read(csv)), [
      ['value', 2, { id: 'evt_1', usage: { input_tokens: 12, output_tokens: 3 }, ok: true, note: 'hello', tags: ['a', 'b'], code: '007', meta: { k: null } }],
      ['skip', 3, 'expected 8 fields, found 7'],
      ['value', 4, { id: 'evt_3', usage: { input_tokens: -1.5, output_tokens: 1e21 }, ok: 'TRUE', note: '1.50', tags: '{not json}' }],
    ]);
  });

  it('reads quoted fields with commas, quotes and newlines, a BOM and CRLF, and gives each row’s line and bytes', async () => {
    const rows = ['\ufeffa,b,c', '1,"x, ""y""",z', '2,"two\r\nlines\nhere",w', '3,plain,"end"', '4,,'];
    const content = Buffer.from(rows.join('\r\n') + '\r\n', 'utf8');
    const events = await read(content);
    assert.deepEqual(brief(events), [
      ['value', 2, { a: 1, b: 'x, "y"', c: 'z' }],
      ['value', 3, { a: 2, b: 'two\r\nlines\nhere', c: 'w' }],
      ['value', 6, { a: 3, b: 'plain', c: 'end' }],
      ['value', 7, { a: 4 }],
    ]);
    events.forEach((e, i) => {
      assert.equal(content.subarray(e.loc.byteOffset, e.loc.byteOffset + e.loc.byteLength).toString('utf8'), rows[i + 1]);
    });
    // The same content compressed reads identically.
    assert.deepEqual(await read(zlib.gzipSync(content)), events);
  });

  it('skips rows with the wrong number of fields, an unterminated quote and blank lines, keeping the neighbours', async () => {
    const content = 'a,b,c,d,e\n1,2,3,4,5\n1,2,3\n\n   \n6,7,8,9,10\n11,"12,13,14,15\n16,17';
    const events = await read(content);
    assert.deepEqual(brief(events), [
      ['value', 2, { a: 1, b: 2, c: 3, d: 4, e: 5 }],
      ['skip', 3, 'expected 5 fields, found 3'],
      ['blank', 4],
      ['blank', 5],
      ['value', 6, { a: 6, b: 7, c: 8, d: 9, e: 10 }],
      ['skip', 7, 'truncated: a quoted field is not closed at the end of the file'],
    ]);
    const lastRow = content.indexOf('11,');
    assert.deepEqual(events[5].loc, { line: 7, byteOffset: lastRow, byteLength: content.length - lastRow });
  });

  it('reads a last row without a final newline, and nothing from a header-only or empty file', async () => {
    assert.deepEqual(values(await read('a,b\r\n1,"q"')), [{ a: 1, b: 'q' }]);
    assert.deepEqual(await read('a,b\r\n'), []);
    assert.deepEqual(await read(''), []);
    assert.deepEqual(await read('\ufeff'), []);
  });

  it('reads the line of a row after rows with embedded newlines', async () => {
    const events = await read('id,text\n1,"first\nsecond\nthird"\n2,"a\r\nb"\n3,c\n');
    assert.deepEqual(
      events.map((e) => e.loc.line),
      [2, 5, 7],
    );
  });

  it('renames empty and repeated header names instead of losing cells', async () => {
    assert.deepEqual(values(await read('id,,name,name,name_2,usage.n,usage.n\n1,2,3,4,5,6,7\n')), [
      { id: 1, column_2: 2, name: 3, name_3: 4, name_2: 5, usage: { n: 6, n_2: 7 } },
    ]);
  });

  it('keeps a name flat when nesting would clash or a dotted segment is empty, and never touches prototypes', async () => {
    const events = await read('a,a.b,x.,__proto__.polluted,constructor\n1,2,3,4,5\n,2,,,\n');
    // JSON.parse makes `__proto__` an own key, as the reader does (an object literal would set the prototype).
    assert.deepEqual(values(events)[0], JSON.parse('{"a":1,"a.b":2,"x.":3,"__proto__":{"polluted":4},"constructor":5}'));
    assert.deepEqual(values(events)[1], { a: { b: 2 } });
    const first = (events[0] as { value: Record<string, unknown> }).value;
    assert.equal(Object.getPrototypeOf(first), Object.prototype);
    assert.ok(Object.prototype.hasOwnProperty.call(first, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('finds the same rows whatever the chunk boundaries (inside quotes, at "" and CRLF, in multi-byte characters)', async () => {
    const content = Buffer.from(
      '\ufeff"id","text",note\r\n1,"a ""quoted"", comma\r\nnewline",é€😀\r\n2,"""",""\r\n3,"x\ny","z,""w"""\r\n',
      'utf8',
    );
    const whole = split(content, content.length);
    assert.deepEqual(values(whole), [
      { id: 1, text: 'a "quoted", comma\r\nnewline', note: 'é€😀' },
      { id: 2, text: '"' },
      { id: 3, text: 'x\ny', note: 'z,"w"' },
    ]);
    for (let size = 1; size <= 13; size++) assert.deepEqual(split(content, size), whole, `chunks of ${size} bytes`);
    assert.deepEqual(await read(content, { chunkBytes: 7 }), whole);
  });

  it('skips a row over maxValueBytes without keeping it, and reads the next one', async () => {
    const big = `2,"${'x'.repeat(5 * 1024 * 1024)}"`;
    const events = await read(`a,b\n1,x\n${big}\n3,z\n`, { maxValueBytes: 1024 * 1024, chunkBytes: 64 * 1024 });
    assert.deepEqual(brief(events), [
      ['value', 2, { a: 1, b: 'x' }],
      ['skip', 3, `row is ${big.length} bytes, over the limit of 1048576 bytes per value`],
      ['value', 4, { a: 3, b: 'z' }],
    ]);
    // A row exactly at the limit is read (its CRLF does not count).
    assert.deepEqual(values(split(Buffer.from('a,b\r\n1,xyz\r\n'), 3, 5)), [{ a: 1, b: 'xyz' }]);
    // Without a header nothing can be read: one skip, then the reader stops.
    assert.deepEqual(brief(split(Buffer.from('aaaaaa,b\n1,2\n'), 4, 5)), [
      ['skip', 1, 'header row is 8 bytes, over the limit of 5 bytes per value; no row can be read without it'],
    ]);
  });

  it('reports progress in bytes read from disk', async () => {
    const file = tmpFile('p.csv', 'a,b\n' + '1,2\n'.repeat(10_000));
    let last = 0;
    for await (const _ of readCsv(file, { chunkBytes: 4096, onProgress: (n) => (last = n) })) {
      /* drain */
    }
    assert.equal(last, fs.statSync(file).size);
  });
});

describe('CSV cells', () => {
  it('splits a row, keeping text after a closing quote', () => {
    assert.deepEqual(splitCsvRow(Buffer.from('a,"b,c",,"d""e"f,')), ['a', 'b,c', '', 'd"ef', '']);
    assert.deepEqual(splitCsvRow(Buffer.from('')), ['']);
    assert.deepEqual(splitCsvRow(Buffer.from('x"y,z')), ['x"y', 'z']);
  });

  it('types a cell only when it reads back exactly', () => {
    const cases: [string, unknown][] = [
      ['', undefined],
      ['true', true],
      ['false', false],
      ['null', null],
      ['0', 0],
      ['-12.5', -12.5],
      ['1e-7', 1e-7],
      ['007', '007'],
      ['1.0', '1.0'],
      [' 1', ' 1'],
      ['0x10', '0x10'],
      ['Infinity', 'Infinity'],
      ['NaN', 'NaN'],
      ['-0', '-0'],
      ['[1,{"a":2}]', [1, { a: 2 }]],
      ['{"a":[]}', { a: [] }],
      ['[oops', '[oops'],
      ['True', 'True'],
    ];
    for (const [cell, expected] of cases) assert.deepEqual(parseCsvCell(cell), expected, cell);
  });
});
