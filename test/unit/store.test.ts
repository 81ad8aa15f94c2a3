import * as assert from 'node:assert/strict';
import path from 'node:path';
import { loadExport } from '../../src/core/store/loadExport';
import { openDatabase } from '../../src/core/store/openDatabase';
import { DbClient } from '../../src/host/dbClient';
import type { LoadProgress } from '../../src/shared/protocol';

const repo = path.resolve(__dirname, '..', '..', '..');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const sample = path.join(repo, 'samples', 'sample.audit.jsonl');
const malformed = path.join(repo, 'test', 'fixtures', 'malformed.jsonl');

describe('loadExport (sql.js store)', () => {
  it('stores every record and every skipped line, and sums the totals', async () => {
    const db = await openDatabase(wasm);
    const { store, summary } = await loadExport(db, malformed);
    assert.equal(summary.records, 4);
    assert.equal(summary.skipped, 2);
    assert.equal(summary.lines, 7);
    assert.equal(summary.inputTokens, 220);
    assert.equal(summary.outputTokens, 50);
    assert.equal(summary.errors, 1);
    assert.equal(summary.sessions, 1);
    assert.equal(summary.firstTs, '2026-11-02T08:00:00.000Z');
    assert.deepEqual(store.query('SELECT line, reason FROM skipped_lines').rows.map((r) => r[0]), [3, 6]);
    assert.deepEqual(store.preview(2).map((r) => r.line), [1, 2]);
    db.close();
  });

  it('lists only the first skipped lines but counts all of them', async () => {
    const db = await openDatabase(wasm);
    const { summary } = await loadExport(db, malformed, { maxSkippedListed: 1 });
    assert.equal(summary.skipped, 2);
    assert.equal(summary.skippedLines.length, 1);
    db.close();
  });
});

describe('DbClient and the database worker (built bundle)', function () {
  this.timeout(30_000);
  const worker = path.join(repo, 'dist', 'dbWorker.js');

  it('loads an export off the calling thread, reports progress and answers queries', async () => {
    const client = new DbClient(worker);
    try {
      const progress: LoadProgress[] = [];
      const summary = await client.request({ kind: 'load', path: sample }, (p) => progress.push(p));
      assert.equal(summary.records, 147);
      assert.ok(progress.length >= 1);
      assert.equal(progress[progress.length - 1].bytesRead, summary.bytes);
      const res = await client.request({ kind: 'query', sql: 'SELECT count(DISTINCT session_id) AS n FROM records WHERE session_id IS NOT NULL' });
      assert.deepEqual(res, { columns: ['n'], rows: [[summary.sessions]] });
      const rows = await client.request({ kind: 'preview', limit: 3 });
      assert.deepEqual(rows.map((r) => r.line), [1, 2, 3]);
    } finally {
      await client.dispose();
    }
  });

  it('fails a bad query with SQLite\'s message and keeps working', async () => {
    const client = new DbClient(worker);
    try {
      await client.request({ kind: 'load', path: malformed });
      await assert.rejects(client.request({ kind: 'query', sql: 'SELECT nope FROM records' }), /no such column: nope/);
      assert.equal((await client.request({ kind: 'summary' })).records, 4);
    } finally {
      await client.dispose();
    }
  });

  it('reports a missing file and a JSON array as a failed load, naming the file', async () => {
    const client = new DbClient(worker);
    try {
      await assert.rejects(client.request({ kind: 'load', path: path.join(repo, 'no-such.jsonl') }), /no-such\.jsonl/);
    } finally {
      await client.dispose();
    }
    const second = new DbClient(worker);
    try {
      await assert.rejects(second.request({ kind: 'load', path: path.join(repo, 'test', 'fixtures', 'array.json') }), /array\.json, line 1: this file is a JSON array/);
    } finally {
      await second.dispose();
    }
  });

  it('cancels: dispose rejects the pending load and later requests', async () => {
    const client = new DbClient(worker);
    const load = assert.rejects(client.request({ kind: 'load', path: sample }), /cancelled/);
    await client.dispose();
    await load;
    await assert.rejects(client.request({ kind: 'summary' }), /cancelled/);
  });
});
