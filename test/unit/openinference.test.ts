// OpenInference (Arize Phoenix) spans in OTLP JSON, written by the real openai SDK + @arizeai/openinference-instrumentation-openai
// and @arizeai/openinference-core (tools/openinference-fixtures); expected.json is what the scenario sent and received.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { indexedGroups } from '../../src/core/formats/openinference';
import { mapValue } from '../../src/core/formats/mapValue';
import { loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import { readEventWithContent } from '../../src/core/store/readBack';
import type { SqlValue } from '../../src/shared/protocol';

const repo = path.resolve(__dirname, '..', '..', '..');
const dir = path.join(repo, 'test', 'fixtures', 'openinference');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const traces = path.join(dir, expected.files.traces);

async function load() {
  const db = await openDatabase(wasm);
  return { db, ...(await loadSources(db, [traces])) };
}

const KIND: Record<string, string> = { LLM: 'llm', EMBEDDING: 'embedding', RETRIEVER: 'retrieval', TOOL: 'tool', AGENT: 'agent', CHAIN: 'chain', GUARDRAIL: 'guardrail' };

describe('OpenInference spans from the real Arize instrumentation', () => {
  it('is detected as openinference and gives one event per span of every kind', async () => {
    const { db, summary } = await load();
    assert.equal(summary.skipped, 0);
    assert.deepEqual(summary.files[0].dialects, { openinference: expected.lines });
    assert.equal(summary.events, expected.spans);
    const want: Record<string, number> = {};
    for (const [k, n] of Object.entries(expected.spansByKind as Record<string, number>)) want[KIND[k]] = (want[KIND[k]] ?? 0) + n;
    assert.deepEqual({ ...summary.eventsByKind }, want);
    assert.equal(summary.eventsByKind.llm, expected.calls.withSpan);
    db.close();
  });

  it('sums the token counts, cache reads and reasoning tokens the spans carry; sessions, users, errors', async () => {
    const { db, store, summary } = await load();
    assert.equal(summary.inputTokens, expected.totals.inputTokens);
    assert.equal(summary.outputTokens, expected.totals.outputTokens);
    const [cached, reasoning] = store.query('SELECT sum(cached_tokens), sum(reasoning_tokens) FROM events').rows[0];
    assert.equal(cached, expected.totals.cachedTokens);
    assert.equal(reasoning, expected.totals.reasoningTokens);
    assert.equal(summary.sessions, expected.sessions.count);
    assert.equal(summary.users, expected.users.count);
    assert.deepEqual(store.query('SELECT id FROM sessions ORDER BY id').rows.map((r: SqlValue[]) => r[0]), expected.sessions.ids);
    assert.equal(summary.errors, expected.errorSpans.CHAIN);
    const err = store.query("SELECT kind, type, error_message, has_stacktrace FROM events WHERE status = 'error'").rows[0];
    assert.deepEqual(err.slice(0, 2), ['chain', 'answer-question']);
    assert.match(String(err[2]), /^429 Rate limit/);
    assert.equal(err[3], 1);
    const models = store.query('SELECT DISTINCT request_model FROM events WHERE request_model IS NOT NULL ORDER BY 1').rows.map((r: SqlValue[]) => r[0]);
    assert.deepEqual(models, expected.modelsInTrace);
    const providers = store.query("SELECT DISTINCT provider FROM events WHERE kind IN ('llm', 'embedding')").rows.map((r: SqlValue[]) => r[0]);
    assert.deepEqual(providers, ['openai']);
    db.close();
  });

  it('keeps per-call usage, finish reason and tags as sent', async () => {
    const { db, store } = await load();
    const rows = store.query("SELECT request_model, input_tokens, output_tokens, cached_tokens, reasoning_tokens, finish_reason, tags, environment, service FROM events WHERE kind = 'llm' AND input_tokens IS NOT NULL ORDER BY ts, rowid").rows;
    const want = expected.perCall.filter((c: { usageInSpan: boolean }) => c.usageInSpan);
    assert.deepEqual(
      rows.map((r: SqlValue[]) => r.slice(0, 6)),
      want.map((c: { responseModel: string; promptTokens: number; completionTokens: number; cachedTokens: number | null; reasoningTokens: number | null; finishReasonInSpan: string | null }) => [
        c.responseModel, c.promptTokens, c.completionTokens, c.cachedTokens ?? 0, c.reasoningTokens ?? 0, c.finishReasonInSpan,
      ]),
    );
    for (const r of rows) {
      assert.ok(expected.tags.some((t: string[]) => JSON.stringify(t) === r[6]), String(r[6]));
      assert.deepEqual(r.slice(7), ['staging', 'acme-help-center']);
    }
    db.close();
  });

  it('stores the retrieved documents as chunks with their ids and scores', async () => {
    const { db, store } = await load();
    const chunks = store.query("SELECT c.document_id, c.score FROM chunks c JOIN events e ON e.rowid = c.event_rowid WHERE e.kind = 'retrieval' ORDER BY c.position").rows;
    assert.deepEqual(chunks, expected.retrievedDocuments.map((d: { id: string; score: number }) => [d.id, d.score]));
    db.close();
  });

  it('reads back messages (flattened parts, tool calls), tool arguments and document text; never the embedding vectors', async () => {
    const { db, store, summary } = await load();
    const files = summary.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed }));
    const read = async (where: string) => {
      const rowid = store.query(`SELECT rowid FROM events WHERE ${where} ORDER BY ts, rowid LIMIT 1`).rows[0][0] as number;
      const back = await readEventWithContent(files, (id) => store.location(id), (t, s) => store.linkedMessages(t, s), rowid);
      assert.ok(back);
      return back.event;
    };
    const first = await read("kind = 'llm' AND finish_reason = 'tool_calls'");
    assert.match(first.content.system ?? '', /^You are the Acme help-center assistant/);
    const user = first.content.input.find((m) => m.role === 'user');
    assert.match(user?.content ?? '', /Where is my order A-1001[\s\S]*Articles:/, 'both text parts of message.contents');
    assert.deepEqual(first.content.toolCalls.map((t) => [t.name, t.arguments]), [['get_order_status', { order_id: 'A-1001' }]]);
    assert.equal(first.temperature, 0.2);
    const tool = await read("kind = 'tool'");
    assert.deepEqual(tool.content.toolCalls[0].arguments, { order_id: 'A-1001' });
    assert.equal((tool.content.toolCalls[0].result as { status: string }).status, 'shipped');
    const retrieval = await read("kind = 'retrieval'");
    assert.match(retrieval.chunks[0].text ?? '', /Returns are accepted/);
    const embedding = await read("kind = 'embedding'");
    assert.equal(embedding.requestModel, 'text-embedding-3-small');
    assert.equal(embedding.content.input[0].content, 'Where is my order A-1001, and can I return it?');
    const raw = fs.readFileSync(traces, 'utf8');
    assert.match(raw, /embedding\.embeddings\.0\.embedding\.vector/);
    assert.ok(!/0\.84149/.test(JSON.stringify(embedding)), 'the vector is not copied into the event');
    const preview = store.query("SELECT preview FROM events WHERE kind = 'agent' ORDER BY ts LIMIT 1").rows[0][0];
    assert.equal(preview, 'Where is my order A-1001, and can I return it?');
    db.close();
  });

  it('groups flattened indexed attributes by index', () => {
    assert.deepEqual(
      indexedGroups({ 'a.1.x': 2, 'a.0.x': 1, 'a.0.y.0.z': 3, 'b.0.x': 9, 'a.n.x': 0 }, 'a'),
      [{ x: 1, 'y.0.z': 3 }, { x: 2 }],
    );
  });

  it('does not decode embedding vectors of a huge span', () => {
    const vector = { arrayValue: { values: Array.from({ length: 3072 }, (_, i) => ({ doubleValue: i / 3072 })) } };
    const span = {
      traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'embed', startTimeUnixNano: '1', endTimeUnixNano: '2',
      attributes: [
        { key: 'openinference.span.kind', value: { stringValue: 'EMBEDDING' } },
        { key: 'embedding.model_name', value: { stringValue: 'text-embedding-3-large' } },
        ...Array.from({ length: 4 }, (_, i) => ({ key: `embedding.embeddings.${i}.embedding.vector`, value: vector })),
        ...Array.from({ length: 4 }, (_, i) => ({ key: `embedding.embeddings.${i}.embedding.text`, value: { stringValue: `text ${i}` } })),
      ],
    };
    const mapped = mapValue({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }, { fileIndex: 0, line: 1, byteOffset: 0, byteLength: 1 });
    assert.ok(mapped.ok);
    assert.equal(mapped.dialect, 'openinference');
    const ev = mapped.events[0];
    assert.equal(ev.kind, 'embedding');
    assert.deepEqual(ev.content.input.map((m) => m.content), ['text 0', 'text 1', 'text 2', 'text 3']);
    assert.ok(JSON.stringify(ev).length < 2000);
  });

  it('audit-lens summary --json gives the counts the generator sent', function () {
    this.timeout(20_000);
    const out = JSON.parse(execFileSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'summary', traces, '--json'], { encoding: 'utf8' }));
    assert.equal(out.skipped, 0);
    assert.deepEqual(out.files[0].dialects, { openinference: expected.lines });
    assert.equal(out.eventsByKind.llm, expected.calls.withSpan);
    assert.equal(out.inputTokens, expected.totals.inputTokens);
    assert.equal(out.outputTokens, expected.totals.outputTokens);
    assert.equal(out.sessions, expected.sessions.count);
    assert.equal(out.users, expected.users.count);
    assert.equal(out.errors, expected.errorSpans.CHAIN);
    assert.deepEqual(out.models, expected.modelsInTrace);
  });
});
