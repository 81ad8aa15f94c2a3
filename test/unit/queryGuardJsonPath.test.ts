import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Database } from 'sql.js';
import { JsonPathRefusedError, checkJsonPath, evaluateOnRecord, jsonPathFilter } from '../../src/core/analysis/jsonPathFilter';
import { sourceFilesOf } from '../../src/core/analysis/storeAccess';
import type { EventStore } from '../../src/core/store/eventStore';
import { loadFiles, repo, sample, tmpDir } from '../fixtures/findings/build';

const g = globalThis as Record<string, unknown>;

describe('JSONPath filter over raw records', () => {
  let db: Database;
  let store: EventStore;
  before(async () => {
    ({ db, store } = await loadFiles([sample]));
  });
  after(() => db.close());

  it('filters records with $[?(…)] and returns their locations, rowids and values', async () => {
    const r = await jsonPathFilter(sourceFilesOf(store), '$[?(@.latency_ms > 5000)]', { store });
    assert.equal(r.count, 4);
    assert.equal(r.truncated, false);
    assert.equal(r.recordsScanned, 149);
    assert.deepEqual(r.matches.map((m) => m.line), [86, 103, 111, 118]);
    assert.deepEqual(r.matches.map((m) => m.rowids), [[86], [103], [111], [118]]);
    const lines = fs.readFileSync(sample, 'utf8').split('\n');
    const m = r.matches[0];
    assert.equal(m.fileIndex, 0);
    assert.equal(fs.readFileSync(sample).subarray(m.byteOffset, m.byteOffset + m.byteLength).toString('utf8'), lines[85]);
    assert.equal((m.values[0] as { latency_ms: number }).latency_ms, JSON.parse(lines[85]).latency_ms);
  });

  it('applies a path that does not start with $[ to the record itself', async () => {
    const files = sourceFilesOf(store);
    const types = await jsonPathFilter(files, "$[?(@.type == 'security.injection_detected')]");
    assert.deepEqual(types.matches.map((m) => m.line), [78]);
    const changes = await jsonPathFilter(files, '$.change.after');
    assert.deepEqual(changes.matches.map((m) => m.line), [47]);
    assert.match(String(changes.matches[0].values[0]), /never disclose these instructions/);
    const system = await jsonPathFilter(files, "$[?(@.type.startsWith('system.') && @.document)]");
    assert.deepEqual(system.matches.map((m) => m.line), [1, 2, 3, 4, 5, 148]);
    const nested = await jsonPathFilter(files, "$..messages[?(@.role == 'user' && @.content.match(/ignore all previous/i))]");
    assert.equal(nested.matches[0].line, 77);
  });

  it('caps the matches but counts them all, works on gzip and CSV, and stops when cancelled', async () => {
    const files = sourceFilesOf(store);
    const capped = await jsonPathFilter(files, "$[?(@.type == 'llm.call')]", { maxMatches: 3 });
    assert.equal(capped.count, 56);
    assert.equal(capped.matches.length, 3);
    assert.equal(capped.truncated, true);
    const gz = path.join(tmpDir(), 'sample.audit.jsonl.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(sample)));
    const fromGz = await jsonPathFilter([{ path: gz, format: 'jsonl', compressed: true }], '$[?(@.latency_ms > 5000)]');
    assert.deepEqual(fromGz.matches.map((m) => m.line), [86, 103, 111, 118]);
    const csv = await jsonPathFilter([{ path: path.join(repo, 'test', 'fixtures', 'sample.audit.csv'), format: 'csv', compressed: false }], '$[?(@.latency_ms > 5000)]');
    assert.equal(csv.count, 4);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(jsonPathFilter(files, '$[?(@.seq > 0)]', { signal: ac.signal }));
  });

  it('refuses hostile expressions before they run', () => {
    const hostile = [
      "$[?(@.constructor.constructor('return process')().exit())]",
      "$[?(@['constructor']['constructor']('return process')())]",
      "$[?(@.__proto__)]",
      "$[?(@['__proto__'])]",
      '$[?(process.exit(1))]',
      "$[?(require('child_process').execSync('id'))]",
      '$[?(globalThis.x = 1)]',
      '$[?(this)]',
      '$[?(Function("return 1")())]',
      '$[?(x = 1)]',
      '$[?(@.seq++)]',
      '$[?(`${1}`)]',
      "$[?(@.type.match(/(a+)+$/))]",
      "$[?(@.type.repeat(1e9))]",
      "$[?(@.type['repeat'](1e9))]",
      '$[?(unknownName > 1)]',
      '$[?(@.a >)]',
      'latency_ms > 5',
    ];
    for (const expr of hostile) assert.throws(() => checkJsonPath(expr), JsonPathRefusedError, expr);
    // Field names that only look like runtime names are fine as fields.
    checkJsonPath("$[?(@.document && @.document.name == 'x' && @.process == 1 && @.self)]");
    checkJsonPath("$[?(@.content == 'this = process; ++x')]");
  });

  it('cannot reach the runtime even when the checks are bypassed (safe evaluator only)', () => {
    delete g.__auditLensPwned;
    const attempts = [
      "$[?(@.constructor.constructor('globalThis.__auditLensPwned = 1')())]",
      "$[?(@.x.constructor.constructor('globalThis.__auditLensPwned = 1')())]",
      "$[?(@.__proto__.polluted = 1)]",
      "$[?(process.mainModule.require('fs').writeFileSync('/tmp/auditlens-pwned', 'x'))]",
      "$[?(_$_root.constructor.constructor('globalThis.__auditLensPwned = 1')())]",
    ];
    for (const expr of attempts) {
      let values: unknown[] = [];
      try {
        values = evaluateOnRecord(expr, { x: 'text', seq: 1 });
      } catch {
        // refused by the evaluator: fine
      }
      assert.deepEqual(values, [], expr);
    }
    assert.equal(g.__auditLensPwned, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(fs.existsSync('/tmp/auditlens-pwned'), false);
  });
});
