import * as assert from 'node:assert/strict';
import type { Database } from 'sql.js';
import { QueryRefusedError, checkReadOnlySql, engineCheck, iterateReadOnly, runReadOnly, schemaInfo } from '../../src/core/analysis/queryGuard';
import { tokenizeSql } from '../../src/core/analysis/sqlTokens';
import type { EventStore } from '../../src/core/store/eventStore';
import { loadFiles, sample } from '../fixtures/findings/build';

function refused(target: Database | EventStore, sql: string, what: string | RegExp): void {
  assert.throws(
    () => runReadOnly(target, sql),
    (err: unknown) => {
      assert.ok(err instanceof QueryRefusedError, `expected a refusal for ${sql}, got ${String(err)}`);
      if (typeof what === 'string') assert.equal(err.refused, what, sql);
      else assert.match(err.refused, what, sql);
      assert.match(err.message, /^Refused /);
      assert.match(err.message, /Only one SELECT, WITH … SELECT, VALUES, EXPLAIN QUERY PLAN or read-only PRAGMA/);
      return true;
    },
  );
}

describe('read-only SQL guard', () => {
  let db: Database;
  let store: EventStore;
  let initial: string;
  const fingerprint = () => JSON.stringify([runReadOnly(db, 'SELECT count(*), sum(rowid), max(preview) FROM events').rows, runReadOnly(db, 'SELECT type, name, sql FROM sqlite_master ORDER BY name').rows, runReadOnly(db, 'PRAGMA database_list').rows]);

  before(async () => {
    ({ db, store } = await loadFiles([sample]));
    initial = fingerprint();
  });
  after(() => db.close());

  it('tokenizes strings, quoted identifiers and comments as such', () => {
    const t = tokenizeSql(`SELECT 'it''s; DROP' AS "de""lete", [x] -- DELETE\n/* INSERT */ FROM t;`);
    assert.deepEqual(
      t.map((x) => [x.type, x.text]),
      [['word', 'SELECT'], ['string', "'it''s; DROP'"], ['word', 'AS'], ['quoted', '"de""lete"'], ['punct', ','], ['quoted', '[x]'], ['word', 'FROM'], ['word', 't'], ['punct', ';']],
    );
  });

  it('runs SELECT, WITH … SELECT (recursive too), VALUES, EXPLAIN QUERY PLAN and read-only PRAGMAs', () => {
    const r = runReadOnly(store, "SELECT kind, count(*) AS n FROM events WHERE kind = ? GROUP BY kind", ['llm']);
    assert.deepEqual(r.columns, ['kind', 'n']);
    assert.deepEqual(r.rows, [['llm', 56]]);
    assert.equal(r.kind, 'select');
    assert.equal(r.truncated, false);
    assert.ok(r.elapsedMs >= 0);
    assert.deepEqual(runReadOnly(db, 'WITH llm AS (SELECT * FROM events WHERE kind = :k) SELECT count(*) FROM llm', { ':k': 'security' }).rows, [[1]]);
    assert.deepEqual(runReadOnly(db, 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c LIMIT 3').rows, [[1], [2], [3]]);
    assert.deepEqual(runReadOnly(db, 'VALUES (1, 2)').rows, [[1, 2]]);
    const plan = runReadOnly(db, 'EXPLAIN QUERY PLAN SELECT * FROM events WHERE session_id = ?', ['x']);
    assert.equal(plan.kind, 'explain-query-plan');
    assert.match(String(plan.rows.map((x) => x[3]).join(' ')), /events_session/);
    const info = runReadOnly(db, 'PRAGMA table_info(events)');
    assert.equal(info.kind, 'pragma');
    assert.ok(info.rows.some((x) => x[1] === 'latency_ms'));
    assert.ok(runReadOnly(db, "SELECT name FROM pragma_table_info('chunks')").rows.length === 5);
    assert.deepEqual(runReadOnly(db, "SELECT replace('a-b', '-', '+'), CASE WHEN 1 THEN 'end' END").rows, [['a+b', 'end']]);
    assert.deepEqual(runReadOnly(db, 'select 1;  -- trailing comment').rows, [[1]]);
  });

  it('keeps keywords inside strings, quoted names and comments from refusing a query', () => {
    assert.deepEqual(runReadOnly(db, "SELECT 'DROP TABLE events; DELETE FROM events' AS s").rows, [['DROP TABLE events; DELETE FROM events']]);
    assert.deepEqual(runReadOnly(db, 'SELECT "delete" FROM (SELECT 1 AS "delete")').rows, [[1]]);
    assert.deepEqual(runReadOnly(db, 'SELECT 1 /* ; INSERT INTO events DEFAULT VALUES */ -- ; DROP TABLE events').rows, [[1]]);
    assert.deepEqual(runReadOnly(db, "SELECT count(*) FROM events WHERE action = 'config_change'").rows, [[1]]);
  });

  it('refuses every writing or state-changing statement, naming what', () => {
    refused(db, 'INSERT INTO events (kind) VALUES (1)', 'INSERT');
    refused(db, "UPDATE events SET preview = 'x'", 'UPDATE');
    refused(db, 'DELETE FROM events', 'DELETE');
    refused(db, 'REPLACE INTO files VALUES (9, 1, 1, 1, 1, 1, 1)', 'REPLACE');
    refused(db, 'CREATE TABLE x (a)', 'CREATE');
    refused(db, 'CREATE TEMP VIEW v AS SELECT 1', 'CREATE');
    refused(db, 'DROP TABLE events', 'DROP');
    refused(db, 'ALTER TABLE events ADD COLUMN x', 'ALTER');
    refused(db, "ATTACH DATABASE ':memory:' AS other", 'ATTACH');
    refused(db, 'DETACH DATABASE other', 'DETACH');
    refused(db, 'VACUUM', 'VACUUM');
    refused(db, 'REINDEX', 'REINDEX');
    refused(db, 'ANALYZE', 'ANALYZE');
    refused(db, 'BEGIN', 'BEGIN');
    refused(db, 'COMMIT', 'COMMIT');
    refused(db, 'ROLLBACK', 'ROLLBACK');
    refused(db, 'SAVEPOINT s', 'SAVEPOINT');
    refused(db, 'RELEASE s', 'RELEASE');
    refused(db, 'PRAGMA user_version = 7', 'PRAGMA user_version = …');
    refused(db, 'PRAGMA foreign_keys = ON', 'PRAGMA foreign_keys = …');
    refused(db, 'PRAGMA journal_mode', 'PRAGMA journal_mode');
    refused(db, 'PRAGMA writable_schema', 'PRAGMA writable_schema');
    refused(db, 'EXPLAIN SELECT 1', 'EXPLAIN');
    refused(db, 'EXPLAIN QUERY PLAN DELETE FROM events', 'EXPLAIN QUERY PLAN DELETE');
    refused(db, "SELECT load_extension('x')", 'load_extension()');
  });

  it('refuses writes hidden in CTEs, subqueries, after comments, or as extra statements', () => {
    refused(db, 'WITH x AS (SELECT 1) DELETE FROM events', 'DELETE');
    refused(db, 'WITH x AS (SELECT 1) INSERT INTO events (kind) SELECT 1 FROM x', 'INSERT');
    refused(db, '/* harmless */ -- really\nDROP TABLE events', 'DROP');
    refused(db, 'SELECT 1; DROP TABLE events', 'multiple statements');
    refused(db, 'SELECT 1; -- comment\n DELETE FROM events;', 'multiple statements');
    refused(db, 'SELECT 1;SELECT 2', 'multiple statements');
    refused(db, "SELECT 1 WHERE 'x' = 'y'; ATTACH ':memory:' AS a", 'multiple statements');
    refused(db, '', 'an empty query');
    refused(db, ' ; -- nothing', 'an empty query');
    refused(db, "SELECT 'unterminated", 'malformed SQL');
    refused(db, 'SELECT 1 /* unterminated', 'malformed SQL');
  });

  it('checks the compiled bytecode too (engine level), independently of the tokenizer', () => {
    const refusedBy = (sql: string) => {
      const r = engineCheck(db, sql);
      return r && !r.ok ? r.refused : null;
    };
    assert.match(refusedBy("INSERT INTO files VALUES (9, 'p', 'n', 'jsonl', NULL, 0, 0)") ?? '', /write transaction|OpenWrite/);
    assert.match(refusedBy('DELETE FROM events') ?? '', /write transaction|Clear/);
    assert.match(refusedBy('CREATE TEMP TABLE z (a)') ?? '', /write transaction|CreateBtree|OpenWrite|SetCookie/);
    assert.match(refusedBy("ATTACH ':memory:' AS x") ?? '', /sqlite_attach/);
    assert.match(refusedBy('PRAGMA user_version = 3') ?? '', /write transaction|SetCookie/);
    assert.equal(refusedBy('VACUUM'), 'a writing operation (Vacuum)');
    assert.equal(refusedBy('SELECT DISTINCT kind FROM events ORDER BY kind'), null, 'ephemeral tables of a SELECT are not writes');
    assert.equal(refusedBy('WITH c AS MATERIALIZED (SELECT kind FROM events) SELECT * FROM c'), null);
  });

  it('left the database unchanged after every refused attempt', () => {
    assert.equal(fingerprint(), initial);
  });

  it('caps rows with a truncated flag, converts blobs, iterates uncapped for exports', () => {
    const r = runReadOnly(db, 'SELECT rowid FROM events ORDER BY rowid', [], { maxRows: 5 });
    assert.deepEqual(r.rows, [[1], [2], [3], [4], [5]]);
    assert.equal(r.truncated, true);
    assert.equal(runReadOnly(db, 'SELECT rowid FROM events', [], { maxRows: 149 }).truncated, false);
    assert.deepEqual(runReadOnly(db, "SELECT x'00ff', 1.5, NULL").rows, [["x'00ff'", 1.5, null]]);
    assert.equal([...iterateReadOnly(db, 'SELECT rowid FROM events')].length, 149);
    assert.throws(() => [...iterateReadOnly(db, 'DELETE FROM events')], QueryRefusedError);
    const slow = runReadOnly(db, 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', [], { maxRows: 1_000_000, timeoutMs: 20 });
    assert.equal(slow.timedOut, true);
    assert.equal(slow.truncated, true);
  });

  it('reports SQL errors as errors, not refusals', () => {
    assert.throws(() => runReadOnly(db, 'SELECT nope FROM events'), (err: unknown) => !(err instanceof QueryRefusedError) && /no such column/.test(String(err)));
    assert.deepEqual(checkReadOnlySql('SELECT 1 ;').ok, true);
    assert.throws(() => runReadOnly(db, "SELECT json_extract('{', '$')"), /malformed JSON/);
    // The savepoint of each run is released, even after an error: no transaction is left open.
    assert.doesNotThrow(() => {
      db.run('BEGIN');
      db.run('ROLLBACK');
    });
  });

  it('describes the schema for a browser and completion', () => {
    const tables = schemaInfo(store);
    assert.deepEqual(tables.map((t) => t.name), ['chunks', 'events', 'files', 'sessions', 'skipped_lines']);
    const events = tables.find((t) => t.name === 'events')!;
    assert.equal(events.rows, 149);
    assert.deepEqual(events.columns.find((c) => c.name === 'latency_ms'), { name: 'latency_ms', type: 'REAL', notNull: false, primaryKey: false });
    assert.deepEqual(events.columns.find((c) => c.name === 'rowid'), { name: 'rowid', type: 'INTEGER', notNull: false, primaryKey: true });
  });
});
