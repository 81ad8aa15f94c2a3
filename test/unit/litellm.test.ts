// LiteLLM: StandardLoggingPayload lines, spend-log rows (JSON and CSV) and audit-log rows (tools/litellm-fixtures builds
// them from LiteLLM's published types and schema); expected.json states what was generated.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { utcTimestamp } from '../../src/core/formats/litellm';
import { loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import { readEventWithContent } from '../../src/core/store/readBack';
import type { SqlValue } from '../../src/shared/protocol';

const repo = path.resolve(__dirname, '..', '..', '..');
const dir = path.join(repo, 'test', 'fixtures', 'litellm');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const file = (k: string) => path.join(dir, expected.files[k]);

async function load(paths: string[]) {
  const db = await openDatabase(wasm);
  return { db, ...(await loadSources(db, paths)) };
}

const PER_CALL = `SELECT id, kind, request_model, input_tokens, output_tokens, cost_usd, status, error_type, session_id, user_id, ts, end_ts, latency_ms, tags
  FROM events ORDER BY id`;

describe('LiteLLM StandardLoggingPayload and spend logs', () => {
  const CALL_FILES: [string, string, string][] = [
    ['payloads', 'litellm-payload', 'jsonl'],
    ['spendJson', 'litellm-spend-log', 'json-array'],
    ['spendCsv', 'litellm-spend-log', 'csv'],
  ];
  for (const [key, dialect, format] of CALL_FILES) {
    it(`${expected.files[key]}: ${dialect}, with the calls, tokens, logged cost, errors, sessions and users generated`, async () => {
      const { db, store, summary } = await load([file(key)]);
      assert.equal(summary.skipped, 0);
      assert.deepEqual([summary.files[0].format, summary.files[0].dialects], [format, { [dialect]: expected.calls.total }]);
      assert.deepEqual({ ...summary.eventsByKind }, { llm: expected.calls.llm, embedding: expected.calls.embedding });
      assert.equal(summary.inputTokens, expected.totals.inputTokens);
      assert.equal(summary.outputTokens, expected.totals.outputTokens);
      const logged = store.query('SELECT sum(cost_usd) FROM events').rows[0][0] as number;
      assert.ok(Math.abs(logged - expected.totals.loggedCostUsd) < 1e-12, String(logged));
      assert.equal(summary.errors, expected.calls.failed);
      assert.deepEqual(store.query("SELECT id, error_type FROM events WHERE status = 'error'").rows, expected.errors.map((e: { id: string; errorClass: string }) => [e.id, e.errorClass]));
      assert.equal(summary.sessions, expected.sessions.count);
      assert.deepEqual(store.query('SELECT id, user_id FROM sessions ORDER BY id').rows.map((r: SqlValue[]) => r[0]), expected.sessions.ids);
      assert.equal(summary.users, expected.users.count);
      assert.equal(store.query(`SELECT count(*) FROM events WHERE tags LIKE '%"cache_hit"%'`).rows[0][0], expected.calls.cacheHits);
      assert.deepEqual(store.query('SELECT DISTINCT request_model FROM events ORDER BY 1').rows.map((r: SqlValue[]) => r[0]), expected.modelGroups);
      db.close();
    });
  }

  it('maps each call the same from the payload, the spend-log JSON and the spend-log CSV (naive CSV times are UTC)', async () => {
    const results: SqlValue[][][] = [];
    for (const key of ['payloads', 'spendJson', 'spendCsv']) {
      const { db, store } = await load([file(key)]);
      results.push(store.query(PER_CALL).rows);
      db.close();
    }
    assert.equal(results[0].length, expected.calls.total);
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[2], results[0]);
    assert.equal(results[0][0][10], '2025-04-02T14:00:00.000Z');
    assert.equal(results[0][0][12], 820);
  });

  it('keeps the payload: trace (a fallback shares the failed call’s trace), messages, response, parameters, provider', async () => {
    const { db, store, summary } = await load([file('payloads')]);
    assert.equal(store.query('SELECT count(DISTINCT trace_id) FROM events').rows[0][0], expected.traces);
    const fallback = store.query("SELECT group_concat(status, ',') FROM (SELECT status FROM events WHERE trace_id = 'trace-ll-0005' ORDER BY ts)").rows[0][0];
    assert.equal(fallback, 'error,ok');
    const row = store.query("SELECT rowid, provider, temperature, max_tokens, finish_reason, response_model, preview FROM events WHERE id = 'chatcmpl-ll-0001'").rows[0];
    assert.deepEqual(row.slice(1), ['openai', 0.2, 256, 'stop', 'gpt-4o-mini', 'Where is parcel PX-1001?']);
    const files = summary.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed }));
    const back = await readEventWithContent(files, (id) => store.location(id), (t, s) => store.linkedMessages(t, s), row[0] as number);
    assert.ok(back);
    assert.equal(back.event.content.system, 'You are the Acme shipping assistant.');
    assert.match(back.event.content.output[0].content, /Leeds depot/);
    db.close();
  });

  it('reads naive timestamps as UTC and epoch seconds with milliseconds', () => {
    assert.equal(utcTimestamp('2025-04-02 14:00:00.310'), '2025-04-02T14:00:00.310Z');
    assert.equal(utcTimestamp('2025-04-02T14:00:00.310Z'), '2025-04-02T14:00:00.310Z');
    assert.equal(utcTimestamp(1743602400.31), '2025-04-02T14:00:00.310Z');
  });
});

describe('LiteLLM audit log', () => {
  it('turns every audit row into a config_change system event with actor, target and before/after', async () => {
    const { db, store, summary } = await load([file('audit')]);
    assert.deepEqual(summary.files[0].dialects, { 'litellm-audit-log': expected.audit.rows });
    assert.deepEqual({ ...summary.eventsByKind }, { system: expected.audit.rows });
    assert.equal(summary.users, 0, 'administrators are actors, not users of the AI application');
    const rows = store.query('SELECT rowid, action, actor, target, operation, preview FROM events ORDER BY ts').rows;
    assert.deepEqual(
      rows.map((r: SqlValue[]) => [r[1], r[3], r[4]]),
      expected.audit.changes.map((c: { action: string; table: string; object: string }) => ['config_change', `${c.table}:${c.object}`, c.action]),
    );
    assert.deepEqual([...new Set(rows.map((r: SqlValue[]) => r[2]))].sort(), expected.audit.actors);
    const files = summary.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed }));
    const team = await readEventWithContent(files, (id) => store.location(id), (t, s) => store.linkedMessages(t, s), rows[1][0] as number);
    assert.ok(team?.event.system);
    assert.deepEqual(team.event.system.before, { max_budget: 100, tpm_limit: 100000 });
    assert.deepEqual(team.event.system.after, { max_budget: 250, tpm_limit: 200000 });
    const deleted = await readEventWithContent(files, (id) => store.location(id), (t, s) => store.linkedMessages(t, s), rows[3][0] as number);
    assert.equal(deleted?.event.system?.after, null);
    db.close();
  });
});

describe('LiteLLM: audit-lens summary --json', () => {
  it('gives the counts the generator wrote', function () {
    this.timeout(20_000);
    const cli = path.join(repo, 'dist', 'cli.js');
    const out = JSON.parse(execFileSync(process.execPath, [cli, 'summary', file('spendCsv'), file('audit'), '--json'], { encoding: 'utf8' }));
    assert.deepEqual(out.files.map((f: { dialects: Record<string, number> }) => f.dialects), [{ 'litellm-spend-log': expected.calls.total }, { 'litellm-audit-log': expected.audit.rows }]);
    assert.equal(out.eventsByKind.llm, expected.calls.llm);
    assert.equal(out.eventsByKind.system, expected.audit.rows);
    assert.equal(out.inputTokens, expected.totals.inputTokens);
    assert.equal(out.outputTokens, expected.totals.outputTokens);
    assert.equal(out.errors, expected.calls.failed);
    assert.equal(out.sessions, expected.sessions.count);
    assert.equal(out.users, expected.users.count);
    assert.deepEqual(out.models, expected.modelGroups);
  });
});
