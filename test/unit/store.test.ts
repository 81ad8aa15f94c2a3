import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import { readEventBack } from '../../src/core/store/readBack';
import { DbClient } from '../../src/host/dbClient';
import type { LoadProgress, SqlValue } from '../../src/shared/protocol';

const repo = path.resolve(__dirname, '..', '..', '..');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const sample = path.join(repo, 'samples', 'sample.audit.jsonl');
const fixtures = path.join(repo, 'test', 'fixtures');
const malformed = path.join(fixtures, 'malformed.jsonl');
const sampleRecords = fs.readFileSync(sample, 'utf8').trim().split('\n').length;

async function load(paths: string[], options = {}) {
  const db = await openDatabase(wasm);
  return { db, ...(await loadSources(db, paths, options)) };
}

function tmp(name: string, content: string | Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-unit-')), name);
  fs.writeFileSync(file, content);
  return file;
}

describe('loadSources (sql.js store)', () => {
  it('stores every event and every skipped line, and sums the totals', async () => {
    const { db, store, summary } = await load([malformed]);
    assert.equal(summary.records, 4);
    assert.equal(summary.events, 4);
    assert.equal(summary.skipped, 2);
    assert.equal(summary.lines, 7);
    assert.equal(summary.blankLines, 1);
    assert.equal(summary.inputTokens, 220);
    assert.equal(summary.outputTokens, 50);
    assert.equal(summary.errors, 1);
    assert.equal(summary.sessions, 1);
    assert.equal(summary.firstTs, '2026-11-02T08:00:00.000Z');
    assert.deepEqual(summary.eventsByKind, { llm: 2, feedback: 1, session: 1 });
    assert.equal(summary.files[0].format, 'jsonl');
    assert.match(summary.files[0].formatReason, /first line is a complete JSON object/);
    assert.deepEqual(store.query('SELECT line FROM skipped_lines').rows.map((r: SqlValue[]) => r[0]), [3, 6]);
    assert.deepEqual(store.preview(2).rows.map((r) => r.line), [1, 2]);
    assert.equal(store.preview(2).matching, 4);
    assert.deepEqual(store.preview(10, { status: 'error' }).rows.map((r) => r.line), [2]);
    assert.deepEqual(store.preview(10, { text: 'SECOND' }).rows.map((r) => r.line), [2]);
    assert.equal(store.preview(10, { text: '100%_' }).matching, 0, 'LIKE wildcards in the text are literal');
    db.close();
  });

  it('lists only the first skipped lines but counts all of them', async () => {
    const { db, summary } = await load([malformed], { maxSkippedListed: 1 });
    assert.equal(summary.skipped, 2);
    assert.equal(summary.skippedLines.length, 1);
    db.close();
  });

  it('derives sessions with user, resolution and totals from the sample', async () => {
    const { db, store, summary } = await load([sample]);
    assert.equal(summary.records, sampleRecords);
    assert.equal(summary.sessions, 24);
    const s = store.query(`SELECT count(*), sum(resolution IS NOT NULL), sum(user_id IS NOT NULL) FROM sessions`).rows[0];
    assert.deepEqual(s, [24, 24, 24]);
    const chunks = store.query('SELECT count(*) FROM chunks').rows[0][0] as number;
    const expected = fs.readFileSync(sample, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).reduce((n, r) => n + (r.retrieval?.length ?? 0), 0);
    assert.equal(chunks, expected);
    db.close();
  });

  it('reads the same records from JSON Lines, gzip, a JSON array and CSV', async () => {
    const gz = tmp('sample.audit.jsonl.gz', zlib.gzipSync(fs.readFileSync(sample)));
    const counts = [];
    for (const file of [sample, gz, path.join(fixtures, 'sample.audit.json'), path.join(fixtures, 'sample.audit.csv')]) {
      const { db, summary, store } = await load([file]);
      counts.push([summary.files[0].format, summary.records, summary.skipped, summary.inputTokens, summary.sessions, store.query('SELECT count(*) FROM chunks').rows[0][0]]);
      db.close();
    }
    assert.deepEqual(counts.map((c) => c[0]), ['jsonl', 'jsonl', 'json-array', 'csv']);
    for (const c of counts) assert.deepEqual(c.slice(1), counts[0].slice(1));
  });

  it('honours a format chosen by the user', async () => {
    const { db, summary } = await load([malformed], { format: 'csv' });
    assert.equal(summary.files[0].format, 'csv');
    assert.match(summary.files[0].formatReason, /chosen by the user/);
    db.close();
  });

  it('handles an empty file, a binary file and a truncated last line with clear counts', async () => {
    const empty = await load([tmp('empty.jsonl', '')]);
    assert.deepEqual([empty.summary.records, empty.summary.skipped, empty.summary.events], [0, 0, 0]);
    const binary = await load([tmp('blob.jsonl', Buffer.from([0, 1, 2, 3, 255, 254, 10, 7, 8, 9]))]);
    assert.equal(binary.summary.records, 0);
    assert.equal(binary.summary.skipped, 2);
    assert.match(binary.summary.files[0].formatReason, /binary/);
    const truncated = await load([tmp('cut.jsonl', '{"type":"llm.call","ts":"2026-01-01T00:00:00Z"}\n{"type":"llm.call","ts":"2026-01-')]);
    assert.equal(truncated.summary.records, 1);
    assert.equal(truncated.summary.skipped, 1);
    assert.equal(truncated.summary.skippedLines[0].line, 2);
    assert.match(truncated.summary.skippedLines[0].reason, /invalid JSON/);
  });

  it('handles a 50 MB single line: skipped over the limit, or read when within it, and neighbours kept', async () => {
    const big = JSON.stringify({ type: 'llm.call', messages: [{ role: 'user', content: 'x'.repeat(50 * 1024 * 1024) }] });
    const file = tmp('big.jsonl', `{"type":"feedback"}\n${big}\n{"type":"session.end"}\n`);
    const small = await load([file], { maxValueBytes: 10 * 1024 * 1024 });
    assert.equal(small.summary.records, 2);
    assert.equal(small.summary.skipped, 1);
    assert.match(small.summary.skippedLines[0].reason, /over the limit/);
    const ok = await load([file]);
    assert.equal(ok.summary.records, 3);
  });

  it('keeps unknown fields and wrong types from stopping a record', async () => {
    const file = tmp('odd.jsonl', '{"type":"llm.call","model":42,"usage":{"input_tokens":"12","output_tokens":[1]},"ts":"not a date","whatever":{"x":1}}\n');
    const { summary, store } = await load([file]);
    assert.equal(summary.records, 1);
    assert.deepEqual(store.query('SELECT request_model, input_tokens, output_tokens, ts FROM events').rows[0], ['42', 12, null, null]);
  });

  it('reads an event back with its content, from JSON Lines directly and from CSV by rescanning', async () => {
    for (const file of [sample, path.join(fixtures, 'sample.audit.csv')]) {
      const { db, store, summary } = await load([file]);
      const rowid = store.query("SELECT rowid FROM events WHERE kind = 'llm' AND chunk_count > 0 ORDER BY rowid LIMIT 1").rows[0][0] as number;
      const loc = store.location(rowid)!;
      const f = summary.files[0];
      const back = await readEventBack({ path: f.path, format: f.format, compressed: f.compressed }, loc);
      assert.equal(back.event.kind, 'llm');
      assert.ok(back.event.content.input.some((m) => m.role === 'user' && m.content.length > 0));
      assert.ok(back.event.chunks.length > 0 && back.event.chunks[0].text);
      db.close();
    }
  });
});

describe('DbClient and the database worker (built bundle)', function () {
  this.timeout(60_000);
  const worker = path.join(repo, 'dist', 'dbWorker.js');

  it('loads an export off the calling thread, reports progress and answers queries', async () => {
    const client = new DbClient(worker);
    try {
      const progress: LoadProgress[] = [];
      const summary = await client.request({ kind: 'load', paths: [sample] }, (p) => progress.push(p));
      assert.equal(summary.records, sampleRecords);
      assert.ok(progress.length >= 1);
      assert.equal(progress[progress.length - 1].bytesRead, summary.bytes);
      const res = await client.request({ kind: 'query', sql: 'SELECT count(*) AS n FROM sessions' });
      assert.deepEqual(res, { columns: ['n'], rows: [[summary.sessions]] });
      const { rows } = await client.request({ kind: 'preview', limit: 3 });
      assert.deepEqual(rows.map((r) => r.line), [1, 2, 3]);
      const back = await client.request({ kind: 'event', rowid: rows[0].rowid });
      assert.equal(back?.event.type, 'system.document_upload');
      assert.equal(JSON.parse(back!.source).seq, 1);
    } finally {
      await client.dispose();
    }
  });

  it("fails a bad query with SQLite's message and keeps working", async () => {
    const client = new DbClient(worker);
    try {
      await client.request({ kind: 'load', paths: [malformed] });
      await assert.rejects(client.request({ kind: 'query', sql: 'SELECT nope FROM events' }), /no such column: nope/);
      assert.equal((await client.request({ kind: 'summary' })).records, 4);
    } finally {
      await client.dispose();
    }
  });

  it('reports a missing file as a failed load, naming the file', async () => {
    const client = new DbClient(worker);
    try {
      await assert.rejects(client.request({ kind: 'load', paths: [path.join(repo, 'no-such.jsonl')] }), /no-such\.jsonl/);
    } finally {
      await client.dispose();
    }
  });

  it('cancels: dispose rejects the pending load and later requests', async () => {
    const client = new DbClient(worker);
    const load = assert.rejects(client.request({ kind: 'load', paths: [sample] }), /cancelled/);
    await client.dispose();
    await load;
    await assert.rejects(client.request({ kind: 'summary' }), /cancelled/);
  });
});

describe('loadSources while it loads', () => {
  it('sends the first events once, in file order, before the load ends', async () => {
    const db = await openDatabase(wasm);
    const reports: { events: number; firstRows?: unknown[] }[] = [];
    const { summary } = await loadSources(db, [sample], { previewRows: 5, progressEveryMs: 0, chunkBytes: 4096, onProgress: (p) => reports.push(p) });
    const withRows = reports.filter((r) => r.firstRows);
    assert.equal(withRows.length, 1);
    assert.equal(withRows[0].firstRows!.length, 5);
    assert.ok(withRows[0].events < summary.events, 'sent before the last event was read');
    db.close();
  });
});
