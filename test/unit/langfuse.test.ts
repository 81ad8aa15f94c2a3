// Langfuse: ingestion bodies recorded from the real langfuse SDK (+ observeOpenAI over the openai SDK), and the UI/API
// export of the same data (tools/langfuse-fixtures); expected.json is what the scenario sent and received.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mapValue } from '../../src/core/formats/mapValue';
import { loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import { readEventWithContent } from '../../src/core/store/readBack';
import type { SqlValue } from '../../src/shared/protocol';

const repo = path.resolve(__dirname, '..', '..', '..');
const dir = path.join(repo, 'test', 'fixtures', 'langfuse');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const file = (k: string) => path.join(dir, expected.files[k]);

async function load(paths: string[]) {
  const db = await openDatabase(wasm);
  return { db, ...(await loadSources(db, paths)) };
}

const base = { fileIndex: 0, line: 1, byteOffset: 0, byteLength: 1 };
// The API shows 0 tokens for a generation that logged none (the failed call): compare with 0 for absent.
const PER_OBSERVATION = `SELECT id, kind, request_model, coalesce(input_tokens, 0), coalesce(output_tokens, 0), cached_tokens, status, cost_usd, temperature, max_tokens, parent_span_id
  FROM events WHERE kind NOT IN ('message', 'feedback') AND operation <> 'trace' ORDER BY id`;

describe('Langfuse SDK ingestion bodies (real langfuse SDK)', () => {
  it('is detected as langfuse-ingestion; one event per trace, observation and score, parts across bodies merged', async () => {
    const { db, summary } = await load([file('ingestion')]);
    assert.equal(summary.skipped, 0);
    assert.deepEqual(summary.files[0].dialects, { 'langfuse-ingestion': expected.ingestion.requests });
    assert.equal(summary.eventsByKind.llm, expected.calls.generations);
    assert.equal(summary.eventsByKind.chain, expected.traces + expected.observations.byType.SPAN);
    assert.equal(summary.eventsByKind.other, expected.observations.byType.EVENT);
    assert.equal(summary.eventsByKind.feedback, expected.scores);
    assert.equal(summary.eventsByKind.message, expected.ingestion.entitiesAcrossBatches.length, 'each later part becomes a linked record');
    db.close();
  });

  it('gives the tokens, cached tokens, logged cost, sessions, users, models and errors that were sent', async () => {
    const { db, store, summary } = await load([file('ingestion')]);
    assert.equal(summary.inputTokens, expected.totals.inputTokens);
    assert.equal(summary.outputTokens, expected.totals.outputTokens);
    const [cached, logged] = store.query('SELECT sum(cached_tokens), sum(cost_usd) FROM events').rows[0];
    assert.equal(cached, expected.totals.cachedTokens);
    assert.ok(Math.abs((logged as number) - expected.totals.loggedCostUsd) < 1e-12);
    assert.equal(summary.sessions, expected.sessions.count);
    assert.equal(summary.users, expected.users.count);
    assert.deepEqual(store.query('SELECT id, user_id FROM sessions ORDER BY id').rows, expected.sessions.ids.map((s: string, i: number) => [s, expected.users.ids[i]]));
    assert.equal(summary.errors, expected.calls.errorGenerations);
    const err = store.query("SELECT request_model, error_message FROM events WHERE status = 'error'").rows[0];
    assert.equal(err[0], 'gpt-4o');
    assert.match(String(err[1]), /429 Rate limit/);
    const models = store.query("SELECT DISTINCT request_model FROM events WHERE kind = 'llm' ORDER BY 1").rows.map((r: SqlValue[]) => r[0]);
    assert.deepEqual(models, expected.models);
    db.close();
  });

  it('merges a generation whose update came in a later body: model and parameters from the create, usage and end from the update', async () => {
    const { db, store, summary } = await load([file('ingestion')]);
    const rows = store.query("SELECT rowid, kind, request_model, temperature, max_tokens, input_tokens, output_tokens, cached_tokens, cost_usd, status, ts < end_ts, latency_ms > 0, message_count FROM events WHERE span_id = 'lf-obs-0002'").rows;
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0].slice(1, 12), ['llm', 'gpt-4o-mini', 0.2, 256, 120, 14, 64, 0.0000264, 'ok', 1, 1]);
    assert.equal(rows[0][12], 3, 'system + user from the create, the answer from the update');
    const files = summary.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed }));
    const back = await readEventWithContent(files, (id) => store.location(id), (t, s) => store.linkedMessages(t, s), rows[0][0] as number);
    assert.ok(back);
    assert.equal(back.event.content.system, 'You are the Acme returns assistant. Be brief.');
    assert.deepEqual(back.event.content.input.map((m) => m.role), ['system', 'user']);
    assert.match(back.event.content.output[0]?.content ?? '', /30 days for a full refund/);
    const trace = store.query("SELECT count(*), min(preview) FROM events WHERE span_id = 'lf-trace-0001'").rows[0];
    assert.deepEqual(trace, [1, 'Can I return unused items?']);
    db.close();
  });

  it('keeps tool calls, the score as feedback on its generation, and the WARNING event under its span', async () => {
    const { db, store } = await load([file('ingestion')]);
    assert.equal(store.query("SELECT sum(tool_call_count) FROM events WHERE kind = 'llm'").rows[0][0], 2, 'the tool call in the output, and again in the history of the next call');
    assert.deepEqual(store.query("SELECT feedback_rating, feedback_comment, parent_span_id, session_id FROM events WHERE kind = 'feedback'").rows[0], [1, 'helpful', 'lf-obs-0002', 'lf-sess-0001']);
    assert.deepEqual(store.query("SELECT type, parent_span_id, status, preview FROM events WHERE kind = 'other'").rows[0], ['cache-miss', 'lf-obs-0003', 'ok', '{"key":"B-2002"}']);
    db.close();
  });
});

describe('Langfuse UI/API export (traces and observations)', () => {
  it('detects traces and observations in JSON, JSON Lines and CSV', async () => {
    const { db, summary } = await load([file('traces'), file('tracesCsv'), file('observationsJson'), file('observationsCsv')]);
    assert.equal(summary.skipped, 0);
    assert.deepEqual(summary.files.map((f) => [f.format, f.dialects]), [
      ['jsonl', { 'langfuse-trace': expected.traces }],
      ['csv', { 'langfuse-trace': expected.traces }],
      ['json-array', { 'langfuse-observation': expected.observations.total }],
      ['csv', { 'langfuse-observation': expected.observations.total }],
    ]);
    db.close();
  });

  it('gives the same counts as the ingestion it was made from; observations inherit session and user from their trace', async () => {
    const { db, store, summary } = await load([file('traces'), file('observationsJson')]);
    assert.equal(summary.eventsByKind.llm, expected.calls.generations);
    assert.equal(summary.eventsByKind.chain, expected.traces + expected.observations.byType.SPAN);
    assert.equal(summary.inputTokens, expected.totals.inputTokens);
    assert.equal(summary.outputTokens, expected.totals.outputTokens);
    assert.equal(summary.sessions, expected.sessions.count);
    assert.equal(summary.users, expected.users.count);
    assert.equal(summary.errors, expected.calls.errorGenerations);
    assert.equal(store.query("SELECT count(*) FROM events WHERE kind = 'llm' AND (session_id IS NULL OR user_id IS NULL)").rows[0][0], 0);
    db.close();
  });

  it('maps every observation exactly as the ingestion events do (JSON and CSV alike)', async () => {
    const a = await load([file('ingestion')]);
    const want = a.store.query(PER_OBSERVATION).rows;
    a.db.close();
    assert.equal(want.length, expected.observations.total);
    for (const f of ['observationsJson', 'observationsCsv']) {
      const b = await load([file(f)]);
      assert.deepEqual(b.store.query(PER_OBSERVATION).rows, want, f);
      b.db.close();
    }
  });

  it('tells Langfuse records from generic ones with the same common field names', () => {
    const generic = [
      { id: 'x', type: 'GENERATION', startTime: '2025-01-01T00:00:00Z', traceId: 't' }, // no Langfuse-only field
      { id: 'x', timestamp: '2025-01-01T00:00:00Z', userId: 'u', sessionId: 's' }, // a plain record
      { batch: [{ type: 'insert', body: {} }] }, // some other batch
      { batch: [] },
    ];
    for (const g of generic) {
      const m = mapValue(g, base);
      assert.ok(m.ok && m.dialect === 'generic', JSON.stringify(g));
    }
    const obs = mapValue({ id: 'x', type: 'GENERATION', startTime: '2025-01-01T00:00:00Z', traceId: 't', level: 'DEFAULT' }, base);
    assert.ok(obs.ok && obs.dialect === 'langfuse-observation');
  });

  it('audit-lens summary --json gives the counts the generator sent, for both shapes', function () {
    this.timeout(20_000);
    const cli = path.join(repo, 'dist', 'cli.js');
    for (const files of [[file('ingestion')], [file('tracesCsv'), file('observationsCsv')]]) {
      const out = JSON.parse(execFileSync(process.execPath, [cli, 'summary', ...files, '--json'], { encoding: 'utf8' }));
      assert.equal(out.skipped, 0);
      assert.equal(out.eventsByKind.llm, expected.calls.generations);
      assert.equal(out.inputTokens, expected.totals.inputTokens);
      assert.equal(out.outputTokens, expected.totals.outputTokens);
      assert.equal(out.sessions, expected.sessions.count);
      assert.equal(out.users, expected.users.count);
      assert.equal(out.errors, expected.calls.errorGenerations);
      assert.deepEqual(out.models, expected.models);
    }
  });
});
