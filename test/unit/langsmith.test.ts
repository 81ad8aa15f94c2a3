// LangSmith run exports (tools/langsmith-fixtures builds them from the published Run schema); expected.json states
// what was generated.
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
const dir = path.join(repo, 'test', 'fixtures', 'langsmith');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const jsonl = path.join(dir, expected.files.jsonl);
const json = path.join(dir, expected.files.json);
const KIND: Record<string, string> = { llm: 'llm', chain: 'chain', tool: 'tool', retriever: 'retrieval', embedding: 'embedding' };

async function load(paths: string[]) {
  const db = await openDatabase(wasm);
  return { db, ...(await loadSources(db, paths)) };
}

describe('LangSmith run export', () => {
  for (const [file, format] of [[jsonl, 'jsonl'], [json, 'json-array']]) {
    it(`${path.basename(file)}: langsmith-run, one event per run, tokens only from model runs`, async () => {
      const { db, store, summary } = await load([file]);
      assert.equal(summary.skipped, 0);
      assert.deepEqual([summary.files[0].format, summary.files[0].dialects], [format, { 'langsmith-run': expected.runs }]);
      const want: Record<string, number> = {};
      for (const [t, n] of Object.entries(expected.byRunType as Record<string, number>)) want[KIND[t]] = n;
      assert.deepEqual({ ...summary.eventsByKind }, want);
      assert.equal(summary.inputTokens, expected.totals.inputTokens, 'parent runs carry aggregated counts that must not be added');
      assert.equal(summary.outputTokens, expected.totals.outputTokens);
      const [logged, cached] = store.query('SELECT sum(cost_usd), sum(cached_tokens) FROM events').rows[0];
      assert.ok(Math.abs((logged as number) - expected.totals.loggedCostUsd) < 1e-12);
      assert.equal(cached, expected.totals.cachedTokens);
      assert.equal(summary.errors, expected.errors.runs);
      assert.equal(summary.sessions, expected.sessions.count);
      assert.deepEqual(store.query('SELECT id, user_id FROM sessions ORDER BY id').rows, expected.sessions.ids.map((s: string, i: number) => [s, expected.users.ids[i]]));
      assert.equal(summary.users, expected.users.count);
      assert.equal(store.query('SELECT count(DISTINCT trace_id) FROM events').rows[0][0], expected.traces);
      assert.deepEqual(store.query('SELECT DISTINCT request_model FROM events WHERE request_model IS NOT NULL ORDER BY 1').rows.map((r: SqlValue[]) => r[0]), expected.models);
      db.close();
    });
  }

  it('builds the run tree and reads messages, tool calls, documents and errors', async () => {
    const { db, store, summary } = await load([jsonl]);
    const roots = store.query('SELECT count(*) FROM events WHERE parent_span_id IS NULL').rows[0][0];
    assert.equal(roots, expected.traces);
    const chunks = store.query('SELECT c.chunk_id, c.score FROM chunks c ORDER BY c.position').rows;
    assert.deepEqual(chunks, expected.retrievedDocuments.map((d: { id: string; score: number }) => [d.id, d.score]));
    const files = summary.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed }));
    const read = async (where: string) => {
      const rowid = store.query(`SELECT rowid FROM events WHERE ${where} ORDER BY ts LIMIT 1`).rows[0][0] as number;
      const back = await readEventWithContent(files, (id) => store.location(id), (t, s) => store.linkedMessages(t, s), rowid);
      assert.ok(back);
      return back.event;
    };
    const first = await read("kind = 'llm'");
    assert.equal(first.content.system, 'You are the Acme returns agent. Use tools when needed.');
    assert.deepEqual(first.content.input.map((m) => m.role), ['system', 'user']);
    assert.deepEqual(first.content.toolCalls.map((t) => [t.name, t.arguments]), [['get_order', { order_id: 'R-5512' }]]);
    assert.deepEqual([first.responseModel, first.finishReason, first.temperature, first.provider], ['gpt-4o-mini-2024-07-18', 'tool_calls', 0.1, 'openai']);
    const tool = await read("kind = 'tool'");
    assert.deepEqual(tool.content.toolCalls[0].arguments, { order_id: 'R-5512' });
    const openaiStyle = await read("kind = 'llm' AND session_id = 'ls-thread-0001' AND input_tokens = 64");
    assert.equal(openaiStyle.content.output[0].content, 'No, return labels are free for orders over $50.');
    const failed = store.query("SELECT kind, error_type, error_message FROM events WHERE status = 'error' ORDER BY kind").rows;
    assert.deepEqual(failed.map((r: SqlValue[]) => r.slice(0, 2)), [['chain', 'RateLimitError'], ['llm', 'RateLimitError']]);
    assert.equal(store.query("SELECT preview FROM events WHERE kind = 'chain' ORDER BY ts LIMIT 1").rows[0][0], 'Can I still return order R-5512?');
    db.close();
  });

  it('maps nested child_runs of an exported trace and tells runs from generic records', () => {
    const runs = fs.readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const root = { ...runs[0], child_runs: runs.filter((r) => r.parent_run_id === runs[0].id) };
    const mapped = mapValue(root, { fileIndex: 0, line: 1, byteOffset: 0, byteLength: 1 });
    assert.ok(mapped.ok && mapped.dialect === 'langsmith-run');
    assert.equal(mapped.events.length, 5);
    assert.ok(mapped.events.every((e) => e.traceId === runs[0].id));
    const generic = mapValue({ id: 'x', run_type: 'llm', start_time: '2025-01-01T00:00:00Z' }, { fileIndex: 0, line: 1, byteOffset: 0, byteLength: 1 });
    assert.ok(generic.ok && generic.dialect === 'generic');
  });

  it('audit-lens summary --json gives the counts the generator wrote', function () {
    this.timeout(20_000);
    const out = JSON.parse(execFileSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'summary', jsonl, '--json'], { encoding: 'utf8' }));
    assert.equal(out.events, expected.runs);
    assert.equal(out.eventsByKind.llm, expected.byRunType.llm);
    assert.equal(out.inputTokens, expected.totals.inputTokens);
    assert.equal(out.outputTokens, expected.totals.outputTokens);
    assert.equal(out.errors, expected.errors.runs);
    assert.equal(out.sessions, expected.sessions.count);
    assert.equal(out.users, expected.users.count);
    assert.deepEqual(out.models, expected.models);
  });
});
