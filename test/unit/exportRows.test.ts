import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { QueryRefusedError } from '../../src/core/analysis/queryGuard';
import { OutputRefusedError, assertSafeOutputPath } from '../../src/core/exporting/outputFile';
import { csvField, csvLine, exportRows, filterRowSource, parseCsv, queryRowSource, type RowSource } from '../../src/core/exporting/tabular';
import type { SqlValue } from '../../src/shared/protocol';
import { loadFiles, sample, tmpDir } from '../fixtures/findings/build';

const TRICKY: SqlValue[][] = [
  ['plain', 1, 1.5, null],
  ['a, comma', -2, 0, ''],
  ['a "quote"', 3e21, 0.1, 'x'],
  ['line\nbreak', 4, 2.5e-7, 'crlf\r\nin it'],
  ['=SUM(A1) leading', 5, 6, ' spaces kept '],
  ['ünïcödé ✓ 🚀', 6, 7, '""'],
];
const COLUMNS = ['text', 'n', 'x', 'maybe'];

function source(rows: SqlValue[][] = TRICKY, columns = COLUMNS): RowSource {
  return { columns, rows, total: rows.length };
}

const leftovers = (dir: string) => fs.readdirSync(dir).filter((n) => n.includes('.partial-'));

describe('exports: CSV, JSON, JSON Lines', () => {
  it('quotes CSV fields as RFC 4180 says and tells null from the empty string', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\ronly'), '"cr\ronly"');
    assert.equal(csvField(''), '""');
    assert.equal(csvField(null), '');
    assert.equal(csvField(12.5), '12.5');
    assert.equal(csvField('=cmd()', { neutralizeFormulas: true }), "'=cmd()");
    assert.equal(csvField('-1', { neutralizeFormulas: true }), "'-1");
    assert.equal(csvField(-1, { neutralizeFormulas: true }), '-1', 'numbers are not text');
    assert.equal(csvLine(['a', null, 'b,c']), 'a,,"b,c"\r\n');
  });

  it('round-trips tricky values through CSV', async () => {
    const out = path.join(tmpDir(), 'rows.csv');
    const progress: number[] = [];
    const res = await exportRows(source(), out, { format: 'csv', onProgress: (p) => progress.push(p.rows) });
    const text = fs.readFileSync(out, 'utf8');
    assert.ok(text.startsWith('text,n,x,maybe\r\nplain,1,1.5,\r\n"a, comma",-2,0,""\r\n"a ""quote""",3e+21,0.1,x\r\n"line\nbreak"'));
    const parsed = parseCsv(text);
    assert.deepEqual(parsed[0], COLUMNS);
    assert.deepEqual(
      parsed.slice(1),
      TRICKY.map((r) => r.map((v) => (v === null ? null : String(v)))),
    );
    assert.equal(res.rows, TRICKY.length);
    assert.equal(res.bytes, fs.statSync(out).size);
    assert.equal(res.sha256, createHash('sha256').update(fs.readFileSync(out)).digest('hex'));
    assert.equal(progress[progress.length - 1], TRICKY.length);
  });

  it('writes JSON (an array of objects) and JSON Lines, with repeated column names kept apart', async () => {
    const dir = tmpDir();
    await exportRows(source(), path.join(dir, 'rows.json'), { format: 'json' });
    const objects = JSON.parse(fs.readFileSync(path.join(dir, 'rows.json'), 'utf8'));
    assert.deepEqual(objects, TRICKY.map((r) => Object.fromEntries(COLUMNS.map((c, i) => [c, r[i]]))));
    await exportRows(source([[1, 2]], ['a', 'a']), path.join(dir, 'dup.jsonl'), { format: 'jsonl' });
    assert.equal(fs.readFileSync(path.join(dir, 'dup.jsonl'), 'utf8'), '{"a":1,"a_2":2}\n');
    await exportRows(source([], ['a']), path.join(dir, 'empty.json'), { format: 'json' });
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'empty.json'), 'utf8')), []);
    const lines = await exportRows(source(), path.join(dir, 'rows.jsonl'), { format: 'jsonl' });
    assert.deepEqual(fs.readFileSync(path.join(dir, 'rows.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)), objects);
    assert.equal(lines.rows, 6);
  });

  it('removes the partial output when cancelled or when the rows fail, and leaves an existing file alone', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'big.csv');
    function* many(): Generator<SqlValue[]> {
      for (let i = 0; i < 2_000_000; i++) yield [i, 'some text to make it big enough to flush several times'];
    }
    const ac = new AbortController();
    await assert.rejects(
      exportRows({ columns: ['i', 't'], rows: many() }, out, {
        format: 'csv',
        signal: ac.signal,
        onProgress: (p) => {
          if (p.rows > 10_000) ac.abort();
        },
      }),
      (err: Error) => err.name === 'AbortError',
    );
    assert.equal(fs.existsSync(out), false);
    assert.deepEqual(leftovers(dir), []);
    function* failing(): Generator<SqlValue[]> {
      yield [1, 'a'];
      throw new Error('source failed');
    }
    fs.writeFileSync(out, 'keep me');
    await assert.rejects(exportRows({ columns: ['i', 't'], rows: failing() }, out, { format: 'jsonl', overwrite: true }), /source failed/);
    assert.equal(fs.readFileSync(out, 'utf8'), 'keep me');
    assert.deepEqual(leftovers(dir), []);
  });

  it('refuses to write over an input export (same path, other spelling, symlink, hard link) or an existing file', async () => {
    const dir = tmpDir();
    const input = path.join(dir, 'export.audit.jsonl');
    fs.copyFileSync(sample, input);
    const original = fs.readFileSync(input);
    fs.symlinkSync(input, path.join(dir, 'link.jsonl'));
    fs.linkSync(input, path.join(dir, 'hard.jsonl'));
    for (const out of [input, path.join(dir, '.', 'sub', '..', 'export.audit.jsonl'), path.join(dir, 'link.jsonl'), path.join(dir, 'hard.jsonl')]) {
      await assert.rejects(exportRows(source(), out, { format: 'csv', inputPaths: [input], overwrite: true }), (err: Error) => err instanceof OutputRefusedError && /is the input export/.test(err.message), out);
    }
    assert.deepEqual(fs.readFileSync(input), original);
    const existing = path.join(dir, 'existing.csv');
    fs.writeFileSync(existing, 'x');
    assert.throws(() => assertSafeOutputPath(existing, { inputPaths: [input] }), /already exists/);
    await exportRows(source(), existing, { format: 'csv', inputPaths: [input], overwrite: true });
    assert.equal(parseCsv(fs.readFileSync(existing, 'utf8')).length, 7);
    assert.throws(() => assertSafeOutputPath(path.join(dir, 'missing', 'x.csv')), /does not exist/);
    assert.throws(() => assertSafeOutputPath(dir), /is a folder/);
    assert.deepEqual(leftovers(dir), []);
  });

  it('exports a read-only query and a filter’s events from the store, refusing writes before creating a file', async () => {
    const { db, store } = await loadFiles([sample]);
    try {
      const dir = tmpDir();
      const q = await exportRows(queryRowSource(store, "SELECT rowid, type, preview FROM events WHERE kind = 'system' ORDER BY rowid"), path.join(dir, 'q.csv'), { format: 'csv', inputPaths: [sample] });
      assert.equal(q.rows, 7);
      const parsed = parseCsv(fs.readFileSync(path.join(dir, 'q.csv'), 'utf8'));
      assert.deepEqual(parsed[0], ['rowid', 'type', 'preview']);
      assert.deepEqual(parsed[7], ['148', 'system.document_delete', 'Pricing sheet Q4.xlsx']);
      assert.throws(() => queryRowSource(store, 'DELETE FROM events'), QueryRefusedError);
      const f = await exportRows(filterRowSource(store, { kind: 'security' }), path.join(dir, 'f.jsonl'), { format: 'jsonl' });
      assert.equal(f.rows, 1);
      const row = JSON.parse(fs.readFileSync(path.join(dir, 'f.jsonl'), 'utf8'));
      assert.equal(row.rowid, 78);
      assert.equal(row.type, 'security.injection_detected');
      assert.equal(Object.keys(row).length, 61);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['f.jsonl', 'q.csv']);
    } finally {
      db.close();
    }
  });

  it('knows the loaded exports of a store source: refused as output even when the caller does not list them', async () => {
    const copy = path.join(tmpDir(), 'copy.audit.jsonl');
    fs.copyFileSync(sample, copy);
    const original = fs.readFileSync(copy);
    const { db, store } = await loadFiles([copy]);
    try {
      await assert.rejects(exportRows(queryRowSource(store, 'SELECT 1'), copy, { format: 'csv', overwrite: true }), /is the input export/);
      await assert.rejects(exportRows(filterRowSource(store, {}), copy, { format: 'jsonl', overwrite: true }), /is the input export/);
      assert.deepEqual(fs.readFileSync(copy), original);
      assert.deepEqual(leftovers(path.dirname(copy)), []);
    } finally {
      db.close();
    }
  });
});
